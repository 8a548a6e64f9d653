/**
 * 潜力买家: buyers in the imported platform orders who are not members yet, one document per buyer
 * phone (`_id` its keyed hash, never the number). The rollup pass (rollup.ts) writes them; the list
 * and the export read them with the merchant's thresholds.
 *
 * Who is a buyer: orders are told apart by the full phone of the export (an export with only the
 * last four digits cannot say whether two orders are one person, so those orders are counted apart
 * and never ranked). Who is not a member: no member holds that phone, and none of the buyer's orders
 * is bound (to a member, or to a deleted member's anonymous id: someone who asked to be forgotten is
 * not a marketing target).
 */
import { z } from 'zod';
import type { OrderPlatform, ProspectFilter, ProspectRow, ProspectSort } from '../../../typings';
import { iso } from '../../members/model';

export interface ProspectDoc {
  _id: string;
  orders: number;
  spentFen: number;
  firstPaidAt: Date;
  lastPaidAt: Date;
  phoneMasked: string;
  platforms: OrderPlatform[];
  lastOrderNo: string;
}

export const PROSPECT_SORTS: ProspectSort[] = ['spent', 'orders', 'recent'];

/** The default list: two orders or more, 200 元 or more, any time; biggest spenders first. */
export const DEFAULT_FILTER: ProspectFilter = { minSpentFen: 20000, minOrders: 2, withinDays: null, sort: 'spent' };

const MAX_FEN = 100_000_000_00;

export const filterInput = {
  minSpentFen: z.number({ error: '最低消费金额无效' }).int('最低消费金额无效').min(0, '最低消费金额不能小于 0').max(MAX_FEN, '最低消费金额过大').optional(),
  minOrders: z.number({ error: '最少订单数无效' }).int('最少订单数无效').min(1, '最少订单数至少为 1').max(1000, '最少订单数过大').optional(),
  withinDays: z.number({ error: '天数无效' }).int('天数无效').min(1, '天数至少为 1').max(3650, '天数最多 3650').nullable().optional(),
  sort: z.enum(PROSPECT_SORTS as [ProspectSort, ...ProspectSort[]], { error: '请选择按消费、订单数或最近下单排序' }).optional(),
};

export const withDefaults = (input: Partial<ProspectFilter>): ProspectFilter => ({
  minSpentFen: input.minSpentFen ?? DEFAULT_FILTER.minSpentFen,
  minOrders: input.minOrders ?? DEFAULT_FILTER.minOrders,
  withinDays: input.withinDays === undefined ? DEFAULT_FILTER.withinDays : input.withinDays,
  sort: input.sort ?? DEFAULT_FILTER.sort,
});

/** Ranking keys, most significant first; `_id` last so equal buyers keep one order across pages. */
export const SORT_KEYS: Record<ProspectSort, [keyof ProspectDoc, 'asc' | 'desc'][]> = {
  spent: [['spentFen', 'desc'], ['orders', 'desc'], ['lastPaidAt', 'desc'], ['_id', 'asc']],
  orders: [['orders', 'desc'], ['spentFen', 'desc'], ['lastPaidAt', 'desc'], ['_id', 'asc']],
  recent: [['lastPaidAt', 'desc'], ['spentFen', 'desc'], ['orders', 'desc'], ['_id', 'asc']],
};

/** Orders the same way the database does under `SORT_KEYS` (for the export's final file). */
export function compareProspects(sort: ProspectSort): (a: ProspectDoc, b: ProspectDoc) => number {
  const keys = SORT_KEYS[sort];
  return (a, b) => {
    for (const [key, dir] of keys) {
      const x = a[key] instanceof Date ? (a[key] as Date).getTime() : a[key];
      const y = b[key] instanceof Date ? (b[key] as Date).getTime() : b[key];
      if (x === y) continue;
      return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return 0;
  };
}

/** The query of a filter: thresholds on spend, orders and the last order's time. */
export function filterQuery(filter: ProspectFilter, now: Date, command: { gte(v: unknown): unknown }): Record<string, unknown> {
  const where: Record<string, unknown> = { spentFen: command.gte(filter.minSpentFen), orders: command.gte(filter.minOrders) };
  if (filter.withinDays !== null) where.lastPaidAt = command.gte(new Date(now.getTime() - filter.withinDays * 86_400_000));
  return where;
}

export function prospectRow(doc: ProspectDoc, rank: number): ProspectRow {
  return {
    rank,
    key: doc._id.slice(0, 12),
    phoneMasked: doc.phoneMasked,
    orders: doc.orders,
    spentFen: doc.spentFen,
    firstOrderAt: iso(doc.firstPaidAt),
    lastOrderAt: iso(doc.lastPaidAt),
    platforms: doc.platforms,
    lastOrderNo: doc.lastOrderNo,
  };
}
