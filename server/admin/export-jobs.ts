/**
 * What the stepped CSV exports of the admin tab (segments, 潜力买家) share: how a job reads in the
 * contract, finding it, and finding the ones nobody is stepping so the timer continues them.
 */
import type { ExportJobView } from '../../typings';
import { iso } from '../members/model';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { platform } from '../runtime/platform';

export interface ExportJob {
  _id: string;
  status: 'running' | 'done' | 'failed';
  rows: number;
  /** Rows expected when the export started (null: unknown), for the progress estimate. */
  expected: number | null;
  fileId: string | null;
  fileName: string;
  failure: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export async function exportJobView(job: ExportJob): Promise<ExportJobView> {
  const done = job.status === 'done';
  return {
    id: job._id,
    status: job.status,
    rows: job.rows,
    percent: done ? 100 : job.expected ? Math.min(99, Math.floor((job.rows / job.expected) * 100)) : 0,
    fileUrl: done && job.fileId ? await platform().fileUrl(job.fileId) : null,
    fileName: job.fileName,
    failure: job.failure,
    createdAt: iso(job.createdAt),
    finishedAt: job.finishedAt ? iso(job.finishedAt) : null,
  };
}

export async function loadExportJob<T>(collection: string, id: string): Promise<T> {
  const job = await getById<T>(collection, id);
  if (!job) fail('NOT_FOUND', '找不到这个导出任务');
  return job;
}

/** Running exports nobody is stepping (the page was closed): the timer continues them. */
export async function idleExports(collection: string, now: Date, limit: number): Promise<string[]> {
  const _ = getDb().command;
  const res = await getDb().collection(collection).where({ status: 'running', leaseUntil: _.lt(now) }).limit(limit).field({ _id: true }).get();
  return (res.data as { _id: string }[]).map((d) => d._id);
}
