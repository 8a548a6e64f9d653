/** What the claim page renders about an offer, mapped from the contract's ClaimableView. */
import type { ClaimableView, CouponView, ErrorCode } from '../../../../typings';
import { shanghaiMinute, validityText } from '../../../components/coupon-card/text';

export interface OfferView {
  benefit: string;
  title: string;
  rules: string;
  validity: string;
  stock: string;
  claimedByMe: number;
  canClaim: boolean;
  /** The button's label: 立即领取, or in a few words why not (已领完, 活动已暂停 ...). */
  buttonText: string;
  /** The full sentence when the offer cannot be claimed. */
  reason: string;
}

export interface ClaimedView {
  benefit: string;
  title: string;
  expiresAt: string;
}

export const CLAIM_LABEL = '立即领取';

/** A few words for the disabled button, from the cloud's reason code; the sentence shows below. */
const BLOCKED_LABELS: Partial<Record<ErrorCode, string>> = {
  SOLD_OUT: '已领完',
  LIMIT_REACHED: '已达到领取上限',
  CONFLICT: '活动已暂停',
  EXPIRED: '活动已结束',
  FORBIDDEN: '暂不可领取',
};

function blockedLabel(view: ClaimableView): string {
  return (view.reasonCode && BLOCKED_LABELS[view.reasonCode]) || '暂不可领取';
}

export function toOfferView(view: ClaimableView): OfferView {
  const { template } = view;
  return {
    benefit: view.benefit,
    title: template.title,
    rules: template.rules,
    validity: validityText(template.validity),
    stock: template.remaining === null ? '不限量' : `剩余 ${template.remaining} 张`,
    claimedByMe: view.claimedByMe,
    canClaim: view.canClaim,
    buttonText: view.canClaim ? CLAIM_LABEL : blockedLabel(view),
    reason: view.canClaim ? '' : view.reason ?? '暂时不能领取',
  };
}

/** Refusals that stay true on a retry; the offer closes with the reason instead of inviting one. */
const FINAL_REFUSALS: Partial<Record<ErrorCode, string>> = {
  SOLD_OUT: '已领完',
  LIMIT_REACHED: '已达到领取上限',
  EXPIRED: '活动已结束',
  FORBIDDEN: '暂不可领取',
};

/** The offer after a refused claim, or null when the refusal is worth another tap (network, contention). */
export function refusedOffer(offer: OfferView, code: ErrorCode, message: string): OfferView | null {
  const label = FINAL_REFUSALS[code];
  return label ? { ...offer, canClaim: false, buttonText: label, reason: message } : null;
}

export function toClaimedView(coupon: CouponView): ClaimedView {
  return { benefit: coupon.benefit, title: coupon.title, expiresAt: shanghaiMinute(coupon.expiresAt) };
}
