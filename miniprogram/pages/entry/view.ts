/** What the landing page renders about a scanned card, mapped from the contract's CardScanView. */
import type { CardClaimView, CardScanState, CardScanView, CardSummary } from '../../../typings';
import { shanghaiDate } from '../../components/coupon-card/text';

/** The page's one button: join (with the card), claim as a member, use the coupon, or see the member card. */
export type EntryAction = 'join' | 'claim' | 'use' | 'card';

export interface LandingView {
  state: CardScanState;
  /** Large title for every state but `fresh` (whose title is the benefit itself). */
  headline: string;
  note: string;
  letter: string;
  /** Shown large while the benefit can still be had (or is the customer's). */
  benefit: string;
  benefitTitle: string;
  /** Channel, product and serial, small: 「淘宝 · 明前龙井 250g · No.000003」. */
  origin: string;
  claimUntil: string;
  action: EntryAction;
  actionText: string;
}

const HEADLINES: Record<CardScanState, string> = {
  fresh: '',
  mine: '你已领取这张卡的礼遇',
  used: '这张卡的礼遇已被领取',
  invalid: '没能识别这张卡片',
  expired: '这张卡片已过领取期限',
  revoked: '这批卡片已停止使用',
  paused: '这批卡片的礼遇暂停领取',
  scheduled: '这张卡的礼遇还未开始领取',
};

/** The cloud's sentences invite a non-member to join; a member is told what they can do instead. */
const MEMBER_NOTES: Record<CardScanState, string> = {
  fresh: '你已是本店会员，点击领取即可放入券包。',
  mine: '它在你的券包里，结账时出示即可使用。',
  used: '礼遇先到先得。你已是本店会员，积分和优惠都在会员卡里。',
  invalid: '二维码可能已损坏或不是本店的卡片。你的积分和优惠都在会员卡里。',
  expired: '你的积分和优惠都在会员卡里。',
  revoked: '你的积分和优惠都在会员卡里。',
  paused: '请稍后再扫一次卡片领取。你的积分和优惠都在会员卡里。',
  scheduled: '到时再扫一次卡片即可领取。你的积分和优惠都在会员卡里。',
};

function pad6(n: number): string {
  return `00000${n}`.slice(-6);
}

function originOf(card: CardSummary | null): string {
  if (!card) return '';
  return [card.channelName, card.product, `No.${pad6(card.serial)}`].filter(Boolean).join(' · ');
}

function actionOf(view: CardScanView, isMember: boolean): { action: EntryAction; actionText: string } {
  const hasBenefit = !!view.card?.benefit;
  if (!isMember) {
    const withBenefit = hasBenefit && (view.state === 'fresh' || view.state === 'mine');
    return { action: 'join', actionText: withBenefit ? '一键入会并领取' : '加入会员' };
  }
  if (view.state === 'fresh' && hasBenefit) return { action: 'claim', actionText: '领取' };
  if (view.state === 'mine' && view.couponId) return { action: 'use', actionText: '已领取，去使用' };
  return { action: 'card', actionText: '查看会员卡' };
}

export function toLandingView(view: CardScanView, isMember: boolean): LandingView {
  const { card, state } = view;
  const open = state === 'fresh' || state === 'mine';
  return {
    state,
    headline: HEADLINES[state],
    note: isMember ? MEMBER_NOTES[state] : view.message,
    letter: card?.letter ?? '',
    benefit: open ? card?.benefit ?? '' : '',
    benefitTitle: open ? card?.benefitTitle ?? '' : '',
    origin: originOf(card),
    claimUntil: state === 'fresh' && card?.benefit ? `领取截止 ${shanghaiDate(card.claimUntil)}` : '',
    ...actionOf(view, isMember),
  };
}

/** No scene at all (opened without one, or an unreadable code): the friendly page, with no call. */
export function unreadableCard(): CardScanView {
  return { state: 'invalid', card: null, couponId: null, message: '没有读到卡片信息。你仍然可以加入会员，第一时间收到店铺的新品和福利。' };
}

/** The scanned card as it stands after this customer joined with it (`member.join`'s answer about it). */
export function afterJoin(scan: CardScanView, claim: CardClaimView | null): CardScanView {
  if (!claim) return scan;
  if (claim.status === 'claimed' || claim.status === 'already_mine') return { ...scan, state: 'mine', couponId: claim.coupon?.id ?? null };
  if (claim.status === 'used_by_other') return { ...scan, state: 'used', couponId: null };
  if (claim.status === 'invalid') return { ...scan, state: 'invalid', couponId: null };
  return scan;
}
