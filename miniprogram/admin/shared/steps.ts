/**
 * Drives a job the cloud does in steps (a card export, a segment export, an order import) from a
 * page: step until it is no longer running, showing each answer. A step can answer without progress
 * (the timer holds the job a moment, or a step failed and will be retried): the page then waits a
 * little before asking again, and after `patience` such answers leaves the job to the timer.
 */
import type { ApiResult } from '../../../typings';
import type { PageData } from './load';

export interface StepJob {
  status: string;
  /** Anything that grows as the job moves on (cards done, rows written, bytes read). */
  progress: number;
}

export const STILL_RUNNING = '任务仍在后台进行，稍后回来查看';

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function stepUntilDone<T>(
  first: ApiResult<T>,
  next: (job: T) => Promise<ApiResult<T>>,
  read: (job: T) => StepJob,
  show: (job: T) => void,
  options: { patience?: number; pauseMs?: number } = {},
): Promise<{ result: ApiResult<T>; gaveUp: boolean }> {
  const patience = options.patience ?? 20;
  const pauseMs = options.pauseMs ?? 300;
  let res = first;
  let idle = 0;
  while (res.ok && read(res.data).status === 'running') {
    show(res.data);
    const before = read(res.data).progress;
    const job = res.data;
    res = await next(job);
    if (res.ok && read(res.data).status === 'running' && read(res.data).progress === before) {
      idle += 1;
      if (idle >= patience) return { result: res, gaveUp: true };
      await wait(pauseMs);
    } else idle = 0;
  }
  return { result: res, gaveUp: false };
}

/** The fields a page shows a stepped CSV export in (segments, 潜力买家). */
interface ExportFields<R> {
  exporting: boolean;
  exportRow: R | null;
  exportError: string;
}

/**
 * Starts a stepped CSV export and steps it from the page, showing each answer as `toRow` draws it;
 * what goes wrong ends in `exportError`.
 */
export async function exportFromPage<D extends ExportFields<R>, J extends { id: string; status: string; rows: number }, R>(
  page: PageData<D>,
  start: () => Promise<ApiResult<J>>,
  next: (exportId: string) => Promise<ApiResult<J>>,
  toRow: (job: J) => R,
): Promise<void> {
  page.setData({ exporting: true, exportError: '', exportRow: null });
  const { result, gaveUp } = await stepUntilDone(
    await start(),
    (job) => next(job.id),
    (job) => ({ status: job.status, progress: job.rows }),
    (job) => page.setData({ exportRow: toRow(job) }),
  );
  if (!result.ok) return page.setData({ exporting: false, exportError: result.error.message });
  page.setData({ exporting: false, exportRow: toRow(result.data), exportError: gaveUp ? STILL_RUNNING : '' });
}
