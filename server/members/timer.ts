/**
 * The member function's timer: fold the event log into the day counters, then finish any order
 * binding a crash left half done. Both are safe to run again at any point.
 */
import { foldEvents, type FoldReport } from '../events/fold';
import { repairBindings } from '../orders/bind';

/** Leaves room within the function's 60 s timeout for the repair and the answer. */
export const FOLD_BUDGET_MS = 40_000;

export async function runMemberTimer(now: Date): Promise<{ fold: FoldReport; repaired: number }> {
  const fold = await foldEvents({ now, budgetMs: FOLD_BUDGET_MS });
  const { repaired } = await repairBindings(now);
  return { fold, repaired };
}
