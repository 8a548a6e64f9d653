/**
 * The dashboard's figures from day counters and the member snapshot. Pure: every number is a sum of
 * counters or a ratio of two, so a recount from the raw events gives the same answer.
 *
 * Event types read: card_scan, member_signup, card_claim + coupon_claim (claims), coupon_redeem,
 * order_bind (orders and their money), invite_open / invite_signup / invite_order, group_open /
 * group_complete / group_fail. A type nobody records yet reads as 0.
 */
import type { Benchmark, CardChannel, ConversionRow, Dashboard, DashboardRange, DayCounters, DayPoint, Ratio, StaffFigures, Tally } from '../../../typings';
import { CHANNEL_NAMES } from '../../cards/model';
import type { SnapshotDoc } from '../state';

/** What package cards usually convert (sign-ups per card printed). */
export const BENCHMARK = { low: 0.05, high: 0.15 };

export const ratio = (num: number, den: number): Ratio => ({ num, den, rate: den > 0 ? num / den : null });

export function benchmarkOf(r: Ratio): Benchmark {
  if (r.rate === null) return null;
  if (r.rate < BENCHMARK.low) return 'below';
  return r.rate <= BENCHMARK.high ? 'within' : 'above';
}

type ByType = Record<string, Tally>;

const n = (t: ByType | undefined, type: string): number => t?.[type]?.n ?? 0;
const fen = (t: ByType | undefined, type: string): number => t?.[type]?.fen ?? 0;

function addInto(into: ByType, from: ByType): void {
  for (const [type, t] of Object.entries(from)) {
    const cur = (into[type] ??= { n: 0, fen: 0 });
    cur.n += t.n;
    cur.fen += t.fen;
  }
}

function merged(days: DayCounters[], pick: (d: DayCounters) => Record<string, ByType>): Map<string, ByType> {
  const out = new Map<string, ByType>();
  for (const d of days) {
    for (const [key, byType] of Object.entries(pick(d))) {
      const into = out.get(key) ?? {};
      addInto(into, byType);
      out.set(key, into);
    }
  }
  return out;
}

const claimsOf = (t: ByType | undefined): number => n(t, 'card_claim') + n(t, 'coupon_claim');

function conversionRow(key: string, label: string, cards: number | null, t: ByType): ConversionRow {
  const scans = n(t, 'card_scan');
  const signups = n(t, 'member_signup');
  const conversion = cards === null ? { num: signups, den: 0, rate: null } : ratio(signups, cards);
  return { key, label, cards, scans, signups, claims: claimsOf(t), joinRate: ratio(signups, scans), conversion, benchmark: benchmarkOf(conversion) };
}

const channelName = (c: string): string => CHANNEL_NAMES[c as CardChannel] ?? c;
const isCardChannel = (c: string): boolean => c in CHANNEL_NAMES;
const byScans = (a: ConversionRow, b: ConversionRow): number => b.scans - a.scans || b.signups - a.signups || a.key.localeCompare(b.key);

export const BATCH_ROWS = 20;

export interface FigureInput {
  range: DashboardRange;
  days: DayCounters[];
  snapshot: SnapshotDoc | null;
  docsRead: number;
}

export function dashboardOf({ range, days, snapshot, docsRead }: FigureInput): Dashboard {
  const total: ByType = {};
  for (const d of days) addInto(total, d.byType);

  const labels = new Map((snapshot?.batches ?? []).map((b) => [b.id, b]));
  const batches = [...merged(days, (d) => d.byBatch)]
    .map(([id, t]) => {
      const b = labels.get(id);
      return conversionRow(id, b ? `${b.product} · ${channelName(b.channel)}` : `批次 ${id}`, b ? b.quantity : null, t);
    })
    .sort(byScans)
    .slice(0, BATCH_ROWS);

  const cardsByChannel = new Map<string, number>();
  for (const b of snapshot?.batches ?? []) cardsByChannel.set(b.channel, (cardsByChannel.get(b.channel) ?? 0) + b.quantity);
  const channels = [...merged(days, (d) => d.byChannel)]
    .filter(([c]) => isCardChannel(c))
    .map(([c, t]) => conversionRow(c, channelName(c), cardsByChannel.get(c) ?? null, t))
    .sort(byScans);

  const staffNames = new Map((snapshot?.staff ?? []).map((s) => [s.id, s.name]));
  const staff: StaffFigures[] = [...merged(days, (d) => d.byStaff)]
    .map(([staffId, t]) => ({
      staffId,
      name: staffNames.get(staffId) ?? `员工 ${staffId.slice(-4)}`,
      signups: n(t, 'member_signup'),
      claims: claimsOf(t),
      orders: n(t, 'order_bind'),
      orderFen: fen(t, 'order_bind'),
      redeemed: n(t, 'coupon_redeem'),
    }))
    .sort((a, b) => b.orderFen - a.orderFen || b.signups - a.signups || a.staffId.localeCompare(b.staffId));

  const series: DayPoint[] = days.map((d) => ({
    day: d.day,
    scans: n(d.byType, 'card_scan'),
    signups: n(d.byType, 'member_signup'),
    orders: n(d.byType, 'order_bind'),
    orderFen: fen(d.byType, 'order_bind'),
  }));

  const m = snapshot?.members ?? null;
  const members = m?.members ?? 0;
  const signups = n(total, 'member_signup');
  const orderFen = fen(total, 'order_bind');
  const completed = n(total, 'group_complete');
  const failed = n(total, 'group_fail');

  return {
    range,
    fromDay: days[0]?.day ?? '',
    toDay: days[days.length - 1]?.day ?? '',
    funnel: {
      scans: n(total, 'card_scan'),
      signups,
      claims: claimsOf(total),
      redeemed: n(total, 'coupon_redeem'),
      orders: n(total, 'order_bind'),
      orderFen,
    },
    benchmark: { ...BENCHMARK },
    batches,
    channels,
    coupons: { claimed: claimsOf(total), redeemed: n(total, 'coupon_redeem'), redeemedFen: fen(total, 'coupon_redeem'), redeemRate: ratio(n(total, 'coupon_redeem'), claimsOf(total)) },
    members: {
      computedAt: m ? new Date(m.computedAt).toISOString() : null,
      total: members,
      activeDays: m?.activeDays ?? 30,
      active: ratio(m?.active ?? 0, members),
      repurchase: ratio(m?.repeat ?? 0, m?.buyers ?? 0),
    },
    triangle: {
      gained: signups,
      valuePerMemberFen: members > 0 ? Math.round(orderFen / members) : null,
      lifetimeValuePerMemberFen: members > 0 ? Math.round((m?.spentFen ?? 0) / members) : null,
      referral: ratio(n(total, 'invite_signup'), signups),
    },
    growth: {
      inviteOpens: n(total, 'invite_open'),
      invitedSignups: n(total, 'invite_signup'),
      invitedOrders: n(total, 'invite_order'),
      groupsOpened: n(total, 'group_open'),
      groupsCompleted: completed,
      groupsFailed: failed,
      groupSuccess: ratio(completed, completed + failed),
    },
    staff,
    series,
    docsRead,
  };
}
