/** The admin function's timer: continue order imports nobody is stepping from the admin page. */
import { continueImports } from '../orders/import';

export const IMPORT_TIMER_BUDGET_MS = 40_000;

export function runAdminTimer(now: Date): Promise<{ jobs: number }> {
  return continueImports(now, IMPORT_TIMER_BUDGET_MS);
}
