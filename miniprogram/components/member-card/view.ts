/** What the member card renders, mapped from the contract's MemberCard. */
import type { MemberCard } from '../../../typings';
import { expiryLine, STATE_LABELS } from '../coupon-card/text';

export interface MemberCardView {
  nickname: string;
  /** Image source, or '' for the initial in a circle. */
  avatar: string;
  initial: string;
  phone: string;
  devPhone: boolean;
  level: string;
  /** 0–100: the way to the next level (the threshold furthest from being met decides). */
  progress: number;
  /** 「再消费 171.50 元、再完成 1 笔订单即可升级为金卡会员」, or 已是最高等级. */
  nextLine: string;
  points: number;
  coupons: number;
  /** The coupon the card they came from gave them; null without one. */
  benefit: { couponId: string; source: string; line: string; title: string; state: string; note: string; usable: boolean } | null;
}

/** 300 → 「3」, 17150 → 「171.50」: whole yuan without decimals. */
export function yuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(whole) : `${whole}.${rest < 10 ? `0${rest}` : rest}`;
}

/** Share of the way from `from` to `to` at `at`, 0–1 (met when nothing was missing). */
function share(at: number, from: number, missing: number): number {
  if (missing <= 0) return 1;
  const span = at + missing - from;
  return span > 0 ? Math.min(1, Math.max(0, (at - from) / span)) : 0;
}

function nextOf(card: MemberCard): { progress: number; nextLine: string } {
  const next = card.nextLevel;
  if (!next) return { progress: 100, nextLine: '已是最高等级' };
  const parts: string[] = [];
  if (next.needSpentFen > 0) parts.push(`再消费 ${yuan(next.needSpentFen)} 元`);
  if (next.needOrders > 0) parts.push(`再完成 ${next.needOrders} 笔订单`);
  const spend = share(card.spentFen, card.level.minSpentFen, next.needSpentFen);
  const orders = share(card.orders, card.level.minOrders, next.needOrders);
  return { progress: Math.floor(Math.min(spend, orders) * 100), nextLine: `${parts.join('、')}即可升级为${next.name}` };
}

function benefitOf(card: MemberCard): MemberCardView['benefit'] {
  const from = card.cardBenefit;
  if (!from?.coupon) return null;
  const { coupon } = from;
  return {
    couponId: coupon.id,
    source: from.card ? `${from.card.channelName}包裹卡礼遇` : '包裹卡礼遇',
    line: coupon.benefit,
    title: coupon.title,
    state: STATE_LABELS[coupon.state],
    note: expiryLine(coupon),
    usable: coupon.state === 'available',
  };
}

export function toMemberCardView(card: MemberCard): MemberCardView {
  return {
    nickname: card.nickname,
    avatar: card.avatar ?? '',
    initial: card.nickname.slice(0, 1),
    phone: card.phoneMasked,
    devPhone: card.phoneIsDevelopment,
    level: card.level.name,
    ...nextOf(card),
    points: card.points,
    coupons: card.availableCoupons,
    benefit: benefitOf(card),
  };
}
