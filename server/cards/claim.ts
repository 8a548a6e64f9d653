/**
 * Claiming a card's benefit: what `member.join` (and `member.claimCard`) call once the customer is
 * a member. The happy path is ONE billable operation, a conditional write on the card's reserved
 * coupon slot (coupons/reserved.ts), because the signed scene already names the slot and the
 * validity rule. Only when that write matches nothing does it read, to say who has the card.
 *
 * Events are the caller's to append, in its own single batch write: `claimEventsOf` gives them.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardSummary } from '../../typings';
import type { CouponDoc } from '../coupons/model';
import { type CardCouponDoc, claimReservedSlot, isReserved, openScheduledSlot, readCardSlot, type ReservedSlotDoc } from '../coupons/reserved';
import type { EventInput } from '../events/log';
import { getById } from '../runtime/db';
import { fail } from '../runtime/errors';
import { notStarted, startsText } from '../runtime/schedule';
import { type CardBatchDoc, cardSummaryOf, isPastClaimUntil, notOpenState } from './model';
import { cardIdOf, decodeScene, parseScene } from './scene';

export { parseScene };

export interface CardClaimResult {
  status: 'claimed' | 'already_mine' | 'used_by_other' | 'no_benefit';
  card: CardSummary;
  /** The member's coupon from this card (claimed / already_mine), else null. */
  coupon: CouponDoc | null;
}

export const INVALID_CARD_MESSAGE = '这张卡片的二维码无法识别，可能不是本店的卡片或已损坏';
export const EXPIRED_CARD_MESSAGE = '这张卡片已过领取期限';
export const REVOKED_CARD_MESSAGE = '这批卡片已停止使用';
export const PAUSED_CARD_MESSAGE = '这批卡片的福利暂停领取，请稍后再来';
const scheduledMessage = (startsAt: Date | string): string => `这张卡片的福利 ${startsText(startsAt)}领取`;

/** UNAVAILABLE: the batch is paused or not open yet (the card still works later). */
function notOpen(state: 'paused' | 'scheduled', startsAt: Date | string | null | undefined): never {
  fail('UNAVAILABLE', state === 'paused' || !startsAt ? PAUSED_CARD_MESSAGE : scheduledMessage(startsAt));
}

const invalidCard = (): never => fail('NOT_FOUND', INVALID_CARD_MESSAGE);

/**
 * Gives the card's benefit to `openid`, exactly once per card.
 * - `claimed`: this call took it; `already_mine`: this member had it before (a retry, a re-scan);
 *   `used_by_other`: someone else did; `no_benefit`: the card only invites into the community.
 * - Throws AppError NOT_FOUND for a forged, malformed or unknown scene, EXPIRED for a batch past
 *   its last day or revoked, LIMIT_REACHED when the member already holds the coupon's per-person
 *   limit (e.g. a second card of the same batch with a one-per-person coupon).
 */
export async function claimCardBenefit(input: { scene: string; openid: string; now: Date }): Promise<CardClaimResult> {
  const facts = decodeScene(input.scene);
  if (!facts) invalidCard();
  const { batchId, serial, benefit } = facts!;
  const cardId = cardIdOf(batchId, serial);

  if (benefit.kind === 'none') {
    const batch = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, batchId);
    if (!batch || serial > batch.quantity) invalidCard();
    if (batch!.status === 'revoked') fail('EXPIRED', REVOKED_CARD_MESSAGE);
    if (isPastClaimUntil(batch!, input.now)) fail('EXPIRED', EXPIRED_CARD_MESSAGE);
    const closed = notOpenState(batch!, input.now);
    if (closed) notOpen(closed, batch!.startsAt);
    return { status: 'no_benefit', card: cardSummaryOf(batch!, serial), coupon: null };
  }

  const claim = {
    templateId: benefit.templateId,
    batchId,
    serial,
    cardId,
    relativeDays: benefit.kind === 'relative' ? benefit.days : null,
    openid: input.openid,
    now: input.now,
  };
  const taken = await claimReservedSlot(claim);
  if (taken) return { status: 'claimed', card: taken.card, coupon: taken };

  // Nothing matched: the slot is someone's coupon, revoked, past its day, or not there.
  const slot = await readCardSlot(benefit.templateId, batchId, serial);
  if (!slot) invalidCard();
  if (!isReserved(slot!)) {
    const coupon = slot as CardCouponDoc;
    if (coupon.holder === input.openid) return { status: 'already_mine', card: coupon.card, coupon };
    return { status: 'used_by_other', card: coupon.card, coupon: null };
  }
  if (slot!.state === 'revoked') fail('EXPIRED', REVOKED_CARD_MESSAGE);
  if (new Date(slot!.claimUntil).getTime() < input.now.getTime()) fail('EXPIRED', EXPIRED_CARD_MESSAGE);
  if (slot!.state === 'paused') notOpen('paused', null);
  if (slot!.state === 'scheduled') await openWhenDue(slot as ReservedSlotDoc, claim);
  // Still reserved and in time: it was released between the write and the read (cannot happen
  // today; a slot never goes back to reserved), so one more try settles it.
  const retried = await claimReservedSlot(claim);
  if (retried) return { status: 'claimed', card: retried.card, coupon: retried };
  fail('CONFLICT', '领取的人太多了，请稍后再试');
}

/** A scheduled slot whose moment came is opened for the retry below; before it, UNAVAILABLE. */
async function openWhenDue(slot: ReservedSlotDoc, claim: { templateId: string; batchId: string; serial: number; now: Date }): Promise<void> {
  if (notStarted({ startsAt: slot.claimFrom }, claim.now)) notOpen('scheduled', slot.claimFrom);
  await openScheduledSlot(claim.templateId, claim.batchId, claim.serial, claim.now);
}

/**
 * The events a claim adds to the caller's batch (one write per call): `card_claim` when this call
 * took the benefit, nothing otherwise.
 */
export function claimEventsOf(result: CardClaimResult, openid: string): EventInput[] {
  if (result.status !== 'claimed') return [];
  const { card } = result;
  return [
    {
      type: 'card_claim',
      openid,
      batchId: card.batchId,
      channel: card.channel,
      ref: card.cardId,
      ...(card.ownerStaffId ? { staffId: card.ownerStaffId } : {}),
    },
  ];
}
