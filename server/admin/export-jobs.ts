/**
 * What the stepped CSV exports of the admin tab (segments, 潜力买家) share: how a job reads in the
 * contract (with when its file is deleted, file-retention.ts), finding it, and finding the ones
 * nobody is stepping so the timer continues them.
 */
import type { ExportJobView } from '../../typings';
import { iso } from '../members/model';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { platform } from '../runtime/platform';
import { EXPORT_KEEP_DAYS, exportExpiresAt, type FilesKept } from './file-retention';

export interface ExportJob extends FilesKept {
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

/** The answer about a job; once its file is deleted, a clear refusal instead of a dead link. */
export async function exportJobView(job: ExportJob): Promise<ExportJobView> {
  if (job.filesDeletedAt) fail('EXPIRED', `导出文件只保留 ${EXPORT_KEEP_DAYS} 天，这份已自动删除，请重新导出`);
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
    fileExpiresAt: done ? iso(exportExpiresAt(job.createdAt)) : null,
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
