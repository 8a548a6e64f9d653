/**
 * The scan behind the landing page. At most 3 billable operations: the invocation, ONE read (the
 * card's coupon slot, or the batch for a card without a benefit) and ONE event write. A forged or
 * damaged scene is refused by its signature before any read, and still counted.
 *
 * A card with a benefit is read from its slot alone: the slot carries the card's summary and its
 * state (reserved / revoked / claimed by whom), and a revoke flips the slots it concerns.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardScanState, CardScanView, CardSummary } from '../../typings';
import { type CardCouponDoc, isReserved, readCardSlot } from '../coupons/reserved';
import { appendEvents, type EventInput } from '../events/log';
import { getById } from '../runtime/db';
import { notStarted } from '../runtime/schedule';
import { type CardBatchDoc, cardSummaryOf, isPastClaimUntil, notOpenState } from './model';
import { decodeScene, type SceneFacts } from './scene';

const STILL_WELCOME = '你仍然可以加入会员，第一时间收到店铺的新品和福利。';

const MESSAGES: Record<CardScanState, (card: CardSummary | null) => string> = {
  fresh: (card) => (card?.benefit ? `感谢你的支持！加入会员即可领取「${card.benefit}」。` : '感谢你的支持！加入会员，第一时间收到店铺的新品和福利。'),
  mine: () => '你已经领取过这张卡片的福利，可以在「我的优惠券」中查看。',
  used: () => `这张卡片的福利已经被领取。${STILL_WELCOME}`,
  invalid: () => `这张卡片的二维码无法识别，可能已损坏或不是本店的卡片。${STILL_WELCOME}`,
  expired: () => `这张卡片已过领取期限。${STILL_WELCOME}`,
  revoked: () => `这批卡片已停止使用。${STILL_WELCOME}`,
  paused: () => `这批卡片的福利暂停领取，请稍后再来。${STILL_WELCOME}`,
  scheduled: () => `这张卡片的福利还没到领取时间，请到时再来。${STILL_WELCOME}`,
};

/** The landing's sentence for a state (also what a staff preview shows). */
export const scanMessage = (state: CardScanState, card: CardSummary | null): string => MESSAGES[state](card);

interface Outcome {
  state: CardScanState;
  card: CardSummary | null;
  couponId: string | null;
  /** Why an invalid scan was refused, for the event (`forged`, `unknown`). */
  reason?: string;
}

async function lookUp(facts: SceneFacts, openid: string, now: Date): Promise<Outcome> {
  const { batchId, serial, benefit } = facts;
  if (benefit.kind === 'none') {
    const batch = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, batchId);
    if (!batch || serial > batch.quantity) return { state: 'invalid', card: null, couponId: null, reason: 'unknown' };
    const card = cardSummaryOf(batch, serial);
    if (batch.status === 'revoked') return { state: 'revoked', card, couponId: null };
    if (isPastClaimUntil(batch, now)) return { state: 'expired', card, couponId: null };
    return { state: notOpenState(batch, now) ?? 'fresh', card, couponId: null };
  }
  const slot = await readCardSlot(benefit.templateId, batchId, serial);
  if (!slot) return { state: 'invalid', card: null, couponId: null, reason: 'unknown' };
  if (isReserved(slot)) {
    if (slot.state === 'revoked') return { state: 'revoked', card: slot.card, couponId: null };
    if (new Date(slot.claimUntil).getTime() < now.getTime()) return { state: 'expired', card: slot.card, couponId: null };
    if (slot.state === 'paused') return { state: 'paused', card: slot.card, couponId: null };
    if (slot.state === 'scheduled' && notStarted({ startsAt: slot.claimFrom }, now)) return { state: 'scheduled', card: slot.card, couponId: null };
    return { state: 'fresh', card: slot.card, couponId: null };
  }
  const coupon = slot as CardCouponDoc;
  return coupon.holder === openid ? { state: 'mine', card: coupon.card, couponId: coupon._id } : { state: 'used', card: coupon.card, couponId: null };
}

function scanEvent(outcome: Outcome, openid: string): EventInput {
  const { card } = outcome;
  // A genuine card of a paused or not-yet-open batch is still a scan of that card.
  const valid = ['fresh', 'mine', 'used', 'paused', 'scheduled'].includes(outcome.state);
  return {
    type: valid ? 'card_scan' : 'card_scan_invalid',
    openid,
    ...(card ? { batchId: card.batchId, channel: card.channel } : {}),
    ...(card?.ownerStaffId ? { staffId: card.ownerStaffId } : {}),
    // Valid scans name the card; refused ones say why (and which card, when it is known).
    ref: valid ? card!.cardId : [outcome.reason ?? outcome.state, card?.cardId].filter(Boolean).join(':'),
  };
}

export async function scanCard(openid: string, scene: string, now: Date): Promise<CardScanView> {
  const facts = decodeScene(scene);
  const outcome: Outcome = facts ? await lookUp(facts, openid, now) : { state: 'invalid', card: null, couponId: null, reason: 'forged' };
  await appendEvents([scanEvent(outcome, openid)], now);
  return { state: outcome.state, card: outcome.card, couponId: outcome.couponId, message: scanMessage(outcome.state, outcome.card) };
}
