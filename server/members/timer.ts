/**
 * The member function's timer: turn the coupons claimed and redeemed in closed minutes into events,
 * fold the event log into the day counters (never past a minute whose coupon events are not all
 * in), then finish any order binding a crash left half done. Each is safe to run again at any point.
 */
import { countCoupons, type CountedReport } from '../coupons/counted';
import { foldEvents, type FoldReport } from '../events/fold';
import { repairBindings } from '../orders/bind';

/** Leaves room within the function's 60 s timeout for the repair and the answer. */
export const COUNT_BUDGET_MS = 10_000;
export const FOLD_BUDGET_MS = 30_000;

export async function runMemberTimer(now: Date): Promise<{ coupons: CountedReport; fold: FoldReport; repaired: number }> {
  const coupons = await countCoupons(now, COUNT_BUDGET_MS);
  const fold = await foldEvents({ now, budgetMs: FOLD_BUDGET_MS, until: coupons.nextMinute });
  const { repaired } = await repairBindings(now);
  return { coupons, fold, repaired };
}
