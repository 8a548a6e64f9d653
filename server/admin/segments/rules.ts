/**
 * The segment rules (标签分层) and how a member is placed by them. Pure: the recompute (pass.ts)
 * gathers each member's facts and writes what `classify` answers.
 *
 * 购买用户 / 潜在用户 / 关注用户 split the members; 重度用户 are buyers who also meet the heavy
 * thresholds, so a heavy buyer carries both keys. That keeps `buyer` meaning what the rest of the
 * product already reads it as (「购买用户」 audiences, `isBuyer`), while the merchant tunes it.
 */
import { z } from 'zod';
import type { SegmentKey, SegmentLabel, SegmentRules, WithinDays } from '../../../typings';

export const SEGMENT_RULES_ID = 'segmentRules';

export const SEGMENT_KEYS: SegmentKey[] = ['heavy', 'buyer', 'potential', 'follower'];

export const SEGMENT_NAMES: Record<SegmentKey, string> = {
  heavy: '重度用户',
  buyer: '购买用户',
  potential: '潜在用户',
  follower: '关注用户',
};

export const DEFAULT_SEGMENT_RULES: SegmentRules = {
  heavy: { minOrders: 3, minSpentFen: 50_000, withinDays: 180 },
  buyer: { minOrders: 1, minSpentFen: 0, withinDays: null },
  potential: { withinDays: 30 },
  activeDays: 30,
};

const MAX_FEN = 100_000_000_00; // 1 亿元
const days = (what: string) => z.number({ error: `请填写${what}天数` }).int('天数须为整数').min(1, '天数至少为 1').max(3650, '天数最多 3650（10 年）');
const within = (what: string): z.ZodType<WithinDays> => days(what).nullable();
const orders = z.number({ error: '请填写订单数' }).int('订单数须为整数').min(1, '订单数至少为 1').max(100_000, '订单数过大');
const spent = z.number({ error: '请填写消费金额' }).int('金额须为整数（分）').min(0, '金额不能为负').max(MAX_FEN, '金额过大');

export const segmentRulesInput: z.ZodType<SegmentRules> = z
  .strictObject({
    heavy: z.strictObject({ minOrders: orders, minSpentFen: spent, withinDays: within('重度用户的最近下单') }),
    buyer: z.strictObject({ minOrders: orders, minSpentFen: spent, withinDays: within('购买用户的最近下单') }),
    potential: z.strictObject({ withinDays: days('潜在用户的最近互动') }),
    activeDays: days('活跃会员的统计'),
  })
  .superRefine((r, ctx) => {
    // Heavy buyers are buyers: their thresholds can only be stricter.
    if (r.heavy.minOrders < r.buyer.minOrders) ctx.addIssue({ code: 'custom', path: ['heavy', 'minOrders'], message: '重度用户的订单数不能低于购买用户' });
    if (r.heavy.minSpentFen < r.buyer.minSpentFen) ctx.addIssue({ code: 'custom', path: ['heavy', 'minSpentFen'], message: '重度用户的消费金额不能低于购买用户' });
    if (r.buyer.withinDays !== null && (r.heavy.withinDays === null || r.heavy.withinDays > r.buyer.withinDays)) {
      ctx.addIssue({ code: 'custom', path: ['heavy', 'withinDays'], message: '重度用户的最近下单天数不能长于购买用户' });
    }
  });

/** What the recompute knows about one member. */
export interface MemberFacts {
  joinedAt: Date;
  orders: number;
  spentFen: number;
  lastOrderAt: Date | null;
  /** Their newest event of any kind (scan, claim, group-buy, …) in the potential window, if any. */
  lastActivityAt: Date | null;
  /** Their newest coupon redemption, if any (within the active window is enough). */
  lastRedeemAt: Date | null;
}

export interface Placement {
  /** Sorted as SEGMENT_KEYS. */
  segments: SegmentKey[];
  active: boolean;
}

const DAY_MS = 86_400_000;

function isWithin(at: Date | null, window: WithinDays, now: Date): boolean {
  if (!at) return false;
  if (window === null) return true;
  return now.getTime() - new Date(at).getTime() <= window * DAY_MS;
}

export function classify(rules: SegmentRules, f: MemberFacts, now: Date): Placement {
  const meets = (r: SegmentRules['buyer']) => f.orders >= r.minOrders && f.spentFen >= r.minSpentFen && isWithin(f.lastOrderAt, r.withinDays, now);
  const buyer = meets(rules.buyer);
  const heavy = buyer && meets(rules.heavy);
  const potential =
    !buyer && (isWithin(f.joinedAt, rules.potential.withinDays, now) || isWithin(f.lastActivityAt, rules.potential.withinDays, now));
  const segments: SegmentKey[] = heavy ? ['heavy', 'buyer'] : buyer ? ['buyer'] : potential ? ['potential'] : ['follower'];
  const active = isWithin(f.lastOrderAt, rules.activeDays, now) || isWithin(f.lastRedeemAt, rules.activeDays, now);
  return { segments, active };
}

export const isSegmentKey = (s: string): s is SegmentKey => (SEGMENT_KEYS as string[]).includes(s);

/** The member's `segments` with ours replaced by `mine` (keys other areas set are kept, in order). */
export function withSegments(current: string[], mine: SegmentKey[]): string[] {
  return [...current.filter((s) => !isSegmentKey(s)), ...mine];
}

export function segmentLabels(segments: string[]): SegmentLabel[] {
  return SEGMENT_KEYS.filter((k) => segments.includes(k)).map((key) => ({ key, label: SEGMENT_NAMES[key] }));
}

const yuan = (fen: number): string => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

function purchaseSentence(r: SegmentRules['buyer']): string {
  const when = r.withinDays === null ? '' : `近 ${r.withinDays} 天内下过单，`;
  const money = r.minSpentFen > 0 ? `且累计消费 ≥${yuan(r.minSpentFen)} 元` : '';
  return `${when}累计 ≥${r.minOrders} 单${money}`;
}

/** One sentence per segment saying what its rule is now. */
export function ruleSentences(rules: SegmentRules): Record<SegmentKey, string> {
  return {
    heavy: `购买用户中，${purchaseSentence(rules.heavy)}`,
    buyer: purchaseSentence(rules.buyer),
    potential: `未达到购买用户，但近 ${rules.potential.withinDays} 天内入会或有互动（扫码、领券、拼团等）`,
    follower: '其余会员：关注了店铺，近期没有互动',
  };
}
