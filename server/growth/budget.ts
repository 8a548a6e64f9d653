/**
 * How much one timer invocation of `growth` may do. The function's timeout is 60 s (config.json);
 * work stops starting new pages once 80 % of the budget is spent, and the next invocation carries
 * on from the stored cursor. At least one page is always done, so a run always moves forward.
 *
 * Tests and benchmarks cut a run into many invocations by shrinking the budget
 * (`PRIVDOM_GROWTH_BUDGET_MS`) and the page size (`PRIVDOM_GROWTH_PAGE_SIZE`).
 */
import { performance } from 'node:perf_hooks';

const DEFAULT_BUDGET_MS = 50_000;
/** CloudBase's server-side get() returns at most 1,000 documents. */
export const MAX_PAGE = 1000;

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}

export const pageSize = (): number => envNumber('PRIVDOM_GROWTH_PAGE_SIZE', MAX_PAGE, 1, MAX_PAGE);

export interface Budget {
  outOfTime(): boolean;
}

/** A budget of `share` (0–1) of the invocation's time, counted from now. */
export function startBudget(share = 1): Budget {
  const started = performance.now();
  const ms = envNumber('PRIVDOM_GROWTH_BUDGET_MS', DEFAULT_BUDGET_MS, 0, 600_000) * share;
  return { outOfTime: () => performance.now() - started >= ms * 0.8 };
}
