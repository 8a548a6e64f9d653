/** What a member's page renders, mapped from the contract's `MemberPage`. */
import type { BoundOrderView, MemberCouponRow, MemberPage, PointsEntryView, TimelineEntry } from '../../../../typings';
import { STATE_LABELS } from '../../../components/coupon-card/text';
import { shanghaiDate, shanghaiMinute, yuan } from '../../shared/format';

export interface HeaderView {
  nickname: string;
  phone: string;
  level: string;
  segments: string[];
  joinedOn: string;
  points: number;
  orders: number;
  spent: string;
  lastOrder: string;
  source: string;
  sourceDetail: string;
  staff: string;
}

export function toHeader(p: MemberPage): HeaderView {
  const m = p.member;
  return {
    nickname: m.nickname,
    phone: m.phoneIsDevelopment ? `${m.phoneMasked}（开发测试号码）` : m.phoneMasked,
    level: m.level,
    segments: m.segments.map((s) => s.label),
    joinedOn: shanghaiDate(m.joinedAt),
    points: m.points,
    orders: m.orders,
    spent: yuan(m.spentFen),
    lastOrder: m.lastOrderAt ? shanghaiDate(m.lastOrderAt) : '暂无',
    source: p.source.label,
    sourceDetail: p.source.detail ?? '',
    staff: p.staff ? p.staff.name : '未分配',
  };
}

export interface OrderRow {
  key: string;
  title: string;
  line: string;
}

export const toOrderRow = (o: BoundOrderView): OrderRow => ({
  key: `${o.platform}:${o.orderNo}`,
  title: o.product || o.orderNo,
  line: `${o.orderNo} · ${yuan(o.amountFen)} 元 · ${shanghaiDate(o.paidAt)} 付款`,
});

export interface CouponRow {
  id: string;
  title: string;
  line: string;
}

export const toCouponRow = (c: MemberCouponRow): CouponRow => ({
  id: c.id,
  title: `${c.benefit} ${c.title}`,
  line: c.redeemedAt ? `${STATE_LABELS[c.state]} · ${shanghaiMinute(c.redeemedAt)} 核销` : `${STATE_LABELS[c.state]} · ${shanghaiDate(c.expiresAt)} 到期`,
});

export interface PointsRow {
  id: string;
  reason: string;
  delta: string;
}

export const toPointsRow = (p: PointsEntryView): PointsRow => ({ id: p.id, reason: p.reason, delta: p.delta >= 0 ? `+${p.delta}` : String(p.delta) });

export interface TimelineRow {
  key: string;
  at: string;
  title: string;
  detail: string;
}

export const toTimelineRow = (e: TimelineEntry, i: number): TimelineRow => ({
  key: `${e.at}-${e.type}-${i}`,
  at: shanghaiMinute(e.at),
  title: e.title,
  detail: [e.detail, e.amountFen !== null ? `${yuan(e.amountFen)} 元` : null].filter(Boolean).join(' · '),
});

/** The suggestions beside the tag editor: tags used in the store that this member does not have. */
export const suggestionsOf = (known: string[], tags: string[]): string[] => known.filter((t) => !tags.includes(t)).slice(0, 12);
