/**
 * The admin tab's share of the admin function's one timer (after the order imports): index new
 * members, refresh the dashboard's labels, continue exports nobody is stepping, work on the
 * segment recompute and the 潜力买家 rollup, and delete files past their time: member data exports
 * after a day, segment and 潜力买家 CSVs and uploaded order files after theirs (file-retention.ts);
 * and, once, give members from before `nicknameKey` existed their search key.
 * Every part is resumable and safe to run twice.
 */
import { performance } from 'node:perf_hooks';
import { sweepMemberDataExports } from './data-rights/export';
import { type FilesDeleted, sweepExpiredFiles } from './file-retention';
import { settleNewMembers } from './new-members';
import { prospectExports } from './prospects/export';
import { runProspectPass } from './prospects/rollup';
import { refreshLabels } from './labels';
import { backfillNicknameKeys } from './nickname-keys';
import { segmentExports } from './segments/export';
import { runSegmentPass, type PassReport } from './segments/pass';

/** The function times out at 60 s; whatever the imports left, the upkeep stops starting work by 50 s. */
export const TIMER_DEADLINE_MS = 50_000;
const MIN_BUDGET_MS = 5_000;

export interface UpkeepReport {
  newMembers: number;
  labelsChanged: boolean;
  exports: number;
  segments: PassReport;
  prospects: { processed: number; done: boolean };
  memberDataExportsDeleted: number;
  /** Jobs whose files were deleted this run, per collection. */
  filesDeleted: FilesDeleted;
  /** Members given their search key this run; done once all are. */
  nicknameKeys: { members: number; done: boolean };
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
  for (const kind of [segmentExports, prospectExports]) {
    for (const id of await kind.idle(now, 3)) {
      if (performance.now() >= deadline) break;
      await kind.step(id, now, deadline - performance.now());
      exports += 1;
    }
  }
  const segments = await runSegmentPass(now, deadline);
  const prospects = await runProspectPass(now, deadline);
  const memberDataExportsDeleted = await sweepMemberDataExports(now);
  const filesDeleted = await sweepExpiredFiles(now, deadline);
  const nicknameKeys = await backfillNicknameKeys(now, deadline);
  return { newMembers, labelsChanged, exports, segments, prospects, memberDataExportsDeleted, filesDeleted, nicknameKeys };
}
