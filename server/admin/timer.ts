/**
 * The admin tab's share of the admin function's one timer (after the order imports): index new
 * members, refresh the dashboard's labels, continue exports nobody is stepping, and work on the
 * segment recompute. Every part is resumable and safe to run twice.
 */
import { performance } from 'node:perf_hooks';
import { settleNewMembers } from './new-members';
import { refreshLabels } from './labels';
import { exportsToContinue, runExportStep } from './segments/export';
import { runSegmentPass, type PassReport } from './segments/pass';

/** The function times out at 60 s; whatever the imports left, the upkeep stops starting work by 50 s. */
export const TIMER_DEADLINE_MS = 50_000;
const MIN_BUDGET_MS = 5_000;

export interface UpkeepReport {
  newMembers: number;
  labelsChanged: boolean;
  exports: number;
  segments: PassReport;
}

/** `elapsedMs`: what the timer run has already spent (the imports). */
export function upkeepBudget(elapsedMs: number): number {
  return Math.max(MIN_BUDGET_MS, TIMER_DEADLINE_MS - elapsedMs);
}

export async function runAdminUpkeep(now: Date, budgetMs: number): Promise<UpkeepReport> {
  const deadline = performance.now() + budgetMs;
  const { members: newMembers } = await settleNewMembers(now, deadline);
  const { changed: labelsChanged } = await refreshLabels(now);
  let exports = 0;
  for (const id of await exportsToContinue(now, 3)) {
    if (performance.now() >= deadline) break;
    await runExportStep(id, now, deadline - performance.now());
    exports += 1;
  }
  const segments = await runSegmentPass(now, deadline);
  return { newMembers, labelsChanged, exports, segments };
}
