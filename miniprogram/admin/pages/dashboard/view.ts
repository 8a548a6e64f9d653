/** What the dashboard renders, from the contract's `Dashboard`: figures, rows against the benchmark, bars. */
import type { ConversionRow, Dashboard, DashboardRange } from '../../../../typings';
import { benchmarkLabel, percent, shanghaiMinute, wholeYuan, yuan } from '../../shared/format';

export const RANGES: { value: DashboardRange; label: string }[] = [
  { value: 'today', label: '今日' },
  { value: '7d', label: '近7天' },
  { value: '30d', label: '近30天' },
];

export interface Figure {
  key: string;
  label: string;
  value: string;
  note: string;
}

export interface RowView {
  key: string;
  label: string;
  line: string;
  conversion: string;
  benchmark: string;
  badge: string;
}

export interface Bar {
  day: string;
  scans: number;
  signups: number;
  /** Heights, 0–100 of the tallest day. */
  scanHeight: number;
  signupHeight: number;
}

export interface StaffRowView {
  staffId: string;
  name: string;
  line: string;
}

export interface DashboardView {
  period: string;
  empty: boolean;
  funnel: Figure[];
  batches: RowView[];
  channels: RowView[];
  coupons: Figure[];
  members: Figure[];
  membersNote: string;
  triangle: Figure[];
  growth: Figure[];
  staff: StaffRowView[];
  bars: Bar[];
}

const fig = (key: string, label: string, value: string | number, note = ''): Figure => ({ key, label, value: String(value), note });

function rowView(r: ConversionRow): RowView {
  const cards = r.cards === null ? '' : `印制 ${r.cards} 张 · `;
  return {
    key: r.key,
    label: r.label,
    line: `${cards}扫码 ${r.scans} · 入会 ${r.signups}（入会率 ${percent(r.joinRate)}）· 领取福利 ${r.claims}`,
    conversion: r.conversion.rate === null ? '—' : percent(r.conversion),
    benchmark: benchmarkLabel(r.benchmark),
    badge: r.benchmark ? `badge--${r.benchmark}` : '',
  };
}

function barsOf(d: Dashboard): Bar[] {
  if (d.series.length < 2) return [];
  const top = Math.max(1, ...d.series.map((p) => Math.max(p.scans, p.signups)));
  // A month of days is too many labels for a phone: every fifth, and the last.
  const labelled = (i: number) => d.series.length <= 7 || i % 5 === 0 || i === d.series.length - 1;
  return d.series.map((p, i) => ({
    day: labelled(i) ? p.day.slice(5) : '',
    scans: p.scans,
    signups: p.signups,
    scanHeight: Math.round((p.scans / top) * 100),
    signupHeight: Math.round((p.signups / top) * 100),
  }));
}

export function toDashboardView(d: Dashboard): DashboardView {
  const f = d.funnel;
  const m = d.members;
  return {
    period: d.fromDay === d.toDay ? d.toDay : `${d.fromDay} 至 ${d.toDay}`,
    empty: f.scans + f.signups + f.orders + f.claims + f.redeemed === 0,
    funnel: [
      fig('scans', '扫码', f.scans),
      fig('signups', '入会', f.signups, `扫码入会率 ${percent({ num: f.signups, den: f.scans, rate: f.scans ? f.signups / f.scans : null })}`),
      fig('claims', '领券', f.claims),
      fig('redeemed', '核销', f.redeemed),
      fig('orders', '绑定订单', f.orders, `${wholeYuan(f.orderFen)} 元`),
    ],
    batches: d.batches.map(rowView),
    channels: d.channels.map(rowView),
    coupons: [
      fig('claimed', '领取', d.coupons.claimed),
      fig('redeemed', '核销', d.coupons.redeemed, `核销率 ${percent(d.coupons.redeemRate)}`),
      fig('redeemedFen', '核销订单金额', `${wholeYuan(d.coupons.redeemedFen)} 元`),
    ],
    members: [
      fig('total', '会员总数', m.total),
      fig('active', '私域有效率', percent(m.active), `近 ${m.activeDays} 天下单或核销 ${m.active.num} 人`),
      fig('repurchase', '复购率', percent(m.repurchase), `${m.repurchase.num} / ${m.repurchase.den} 位购买会员`),
    ],
    membersNote: m.computedAt ? `会员数据统计于 ${shanghaiMinute(m.computedAt)}` : '会员数据还在统计中，几分钟后再看',
    triangle: [
      fig('gained', '会员增长', d.triangle.gained, '私域产权力：新入会'),
      fig('value', '人均消费', d.triangle.valuePerMemberFen === null ? '—' : `${yuan(d.triangle.valuePerMemberFen)} 元`, d.triangle.lifetimeValuePerMemberFen === null ? '单客价值度' : `累计人均 ${yuan(d.triangle.lifetimeValuePerMemberFen)} 元`),
      fig('referral', '推荐率', percent(d.triangle.referral), `邀请入会 ${d.triangle.referral.num} 人`),
    ],
    growth: [
      fig('invites', '邀请入会', d.growth.invitedSignups, `邀请链接打开 ${d.growth.inviteOpens} 次`),
      fig('groups', '拼团成团', d.growth.groupsCompleted, `成团率 ${percent(d.growth.groupSuccess)}`),
      fig('invitedOrders', '受邀首单', d.growth.invitedOrders),
    ],
    staff: d.staff.map((s) => ({ staffId: s.staffId, name: s.name, line: `入会 ${s.signups} · 领取 ${s.claims} · 订单 ${s.orders}（${wholeYuan(s.orderFen)} 元）· 核销 ${s.redeemed}` })),
    bars: barsOf(d),
  };
}
