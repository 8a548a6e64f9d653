/**
 * The card a member came from: its benefit is claimed through the cards area (`claimCardBenefit`,
 * one conditional write on the card's reserved slot), and what happened is said in one sentence.
 * A forged or damaged scene never reaches a claim; an expired or withdrawn batch is reported, not
 * thrown, because the customer still joins.
 */
import type { CardClaimView, CardSummary } from '../../typings';
import { claimCardBenefit, claimEventsOf, parseScene } from '../cards/claim';
import type { EventInput } from '../events/log';
import { toCouponView } from '../coupons/model';
import { AppError } from '../runtime/errors';

export interface CardClaimOutcome {
  view: CardClaimView;
  /** The scene's card (signature checked), even when the claim failed; null when forged. */
  card: { batchId: string; serial: number } | null;
  summary: CardSummary | null;
  /** The events of this call's claim (`card_claim` when it took the benefit). */
  events: EventInput[];
}

const MESSAGES: Record<CardClaimView['status'], (card: CardSummary | null) => string> = {
  claimed: (c) => (c?.benefitTitle ? `已领取「${c.benefitTitle}」，可在「我的优惠券」中查看` : '福利已领取'),
  already_mine: () => '你已经领取过这张卡片的福利',
  used_by_other: () => '这张卡片的福利已被其他人领取，你的会员身份不受影响',
  no_benefit: () => '这张卡片是店主写给你的感谢信',
  limit_reached: () => '你已经领取过这批卡片的福利，每人限领一份',
  expired: () => '这张卡片的活动已结束，你的会员身份不受影响',
  not_open: () => '这张卡片的福利暂未开放领取，到时再扫一次即可领取，你的会员身份不受影响',
  invalid: () => '无法识别这张卡片，你的会员身份不受影响',
};

export function claimView(status: CardClaimView['status'], card: CardSummary | null, coupon: CardClaimView['coupon']): CardClaimView {
  return { status, message: MESSAGES[status](card), card, coupon };
}

const refused = (status: 'invalid' | 'expired' | 'limit_reached' | 'not_open', card: CardClaimOutcome['card']): CardClaimOutcome => ({
  view: claimView(status, null, null),
  card,
  summary: null,
  events: [],
});

export async function claimFromScene(scene: string, openid: string, now: Date): Promise<CardClaimOutcome> {
  const card = parseScene(scene);
  if (!card) return refused('invalid', null);
  try {
    const result = await claimCardBenefit({ scene, openid, now });
    const coupon = result.coupon ? toCouponView(result.coupon, now) : null;
    return { view: claimView(result.status, result.card, coupon), card, summary: result.card, events: claimEventsOf(result, openid) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'EXPIRED') return refused('expired', card);
    if (err.code === 'LIMIT_REACHED') return refused('limit_reached', card);
    if (err.code === 'UNAVAILABLE') return refused('not_open', card);
    if (err.code === 'NOT_FOUND') return refused('invalid', null);
    throw err;
  }
}
