/**
 * What became of a card's benefit after `member.claimCard` or `member.join`, for people. Shared by
 * the landing page (members claiming) and the join page (joining with a card).
 */
import type { CardClaimStatus, CardClaimView } from '../../../typings';
import { shanghaiMinute } from '../../components/coupon-card/text';

export interface OutcomeView {
  status: CardClaimStatus;
  /** One line on what happened to the benefit. */
  title: string;
  note: string;
  /** The coupon the card gave this member ('' when none) and what it reads. */
  couponId: string;
  benefit: string;
  couponTitle: string;
}

const TITLES: Record<CardClaimStatus, string> = {
  claimed: '领取成功',
  already_mine: '你已领取过这张卡的礼遇',
  used_by_other: '这张卡的礼遇已被领取',
  no_benefit: '',
  limit_reached: '这份礼遇每人限领一份',
  expired: '这张卡片已过领取期限',
  invalid: '没能识别这张卡片',
  not_open: '这张卡的礼遇暂未开放领取',
};

const NOTES: Partial<Record<CardClaimStatus, string>> = {
  used_by_other: '礼遇先到先得，已被其他人领取。',
  limit_reached: '你已经领取过这批卡片的礼遇。',
  expired: '卡片上的礼遇无法再领取。',
  invalid: '二维码可能已损坏或不是本店的卡片，卡片上的礼遇无法领取。',
  not_open: '礼遇还没到领取时间或暂停领取，到时再扫一次卡片即可领取。',
};

/**
 * `repeated`: the same request had been sent before and its answer lost, so `already_mine` is this
 * very claim and reads as one.
 */
export function toOutcome(view: CardClaimView, repeated = false): OutcomeView {
  const { coupon } = view;
  const status: CardClaimStatus = repeated && view.status === 'already_mine' ? 'claimed' : view.status;
  return {
    status,
    title: TITLES[status],
    note: coupon ? `已放入券包，有效期至 ${shanghaiMinute(coupon.expiresAt)}` : NOTES[view.status] ?? '',
    couponId: coupon?.id ?? '',
    benefit: coupon?.benefit ?? '',
    couponTitle: coupon?.title ?? '',
  };
}
