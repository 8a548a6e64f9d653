/**
 * What the stepped CSV exports of the admin tab (segments, 潜力买家) share: how a job reads in the
 * contract (with when its file is deleted, file-retention.ts), finding it, running its steps, its
 * `continue` and `get` actions, and finding the ones nobody is stepping so the timer continues them.
 *
 * A step holds the job's lease and moves the cursor with one conditional write per page; a part
 * written by a step that died before that write is written again, under the same name, by the next.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { ExportJobView, StaffRole } from '../../typings';
import { iso } from '../members/model';
import { getById, getDb } from '../runtime/db';
import type { ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { platform } from '../runtime/platform';
import { EXPORT_KEEP_DAYS, exportExpiresAt, type FilesKept } from './file-retention';
import { releaseLease, takeLease } from './lease';

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

/** A stepped export's job as the step runner moves it. */
export interface SteppedJob extends ExportJob {
  /** Source documents up to this `_id` are written. */
  cursor: string;
  /** The part files written so far, in order. */
  parts: string[];
  leaseId: string;
  leaseUntil: Date;
}

/** What a step reads and writes, page by page, once it holds the lease. */
export interface ExportPages<S> {
  /** The next page of source documents after `cursor`, in `_id` order. */
  read(cursor: string): Promise<S[]>;
  /** One page as the text of a part file. */
  part(docs: S[]): string;
}

/** One kind of stepped export, as the step runner needs it. */
export interface ExportSteps<D extends SteppedJob, S extends { _id: string }> {
  /** The jobs' collection. */
  collection: string;
  /** Source documents a page reads; a shorter page is the last. */
  pageSize: number;
  /** Where part `n` (from 1) of a job is stored. */
  partPath(id: string, n: number): string;
  /** Fields every write to the job sets as well. */
  stamp(now: Date): Record<string, unknown>;
  /** Prepares a step (what it reads once, e.g. names or the filter's query). */
  open(job: D): Promise<ExportPages<S>>;
  /** The finished file from the parts: where it goes and what it holds. */
  file(job: D, parts: string[], now: Date): Promise<{ path: string; content: Buffer }>;
  /** Delete the parts once the file is written (when they hold what the file should be the only copy of). */
  deletePartsWhenDone: boolean;
}

/** Runs an export on until it is done or `budgetMs` is spent; answers the job as it then stands. */
export async function runExportSteps<D extends SteppedJob, S extends { _id: string }>(steps: ExportSteps<D, S>, id: string, now: Date, budgetMs: number): Promise<D> {
  const started = performance.now();
  const { collection, pageSize } = steps;
  const job = await loadExportJob<D>(collection, id);
  if (job.status !== 'running') return job;
  const holder = await takeLease(collection, id, now, { status: 'running' });
  if (!holder) return job;
  const db = getDb();
  const _ = db.command;
  const pages = await steps.open(job);
  let { cursor } = job;
  let parts = [...job.parts];
  try {
    do {
      const docs = await pages.read(cursor);
      if (docs.length) {
        const part = (await platform().storeFile(steps.partPath(id, parts.length + 1), Buffer.from(pages.part(docs), 'utf8'))).fileId;
        const last = docs[docs.length - 1]._id;
        const moved = await db
          .collection(collection)
          .where({ _id: id, leaseId: holder, cursor })
          .update({ data: { cursor: last, rows: _.inc(docs.length), parts: _.push([part]), ...steps.stamp(now) } });
        if (moved.stats.updated !== 1) break; // lost the lease
        cursor = last;
        parts = [...parts, part];
      }
      if (docs.length < pageSize) {
        const { path, content } = await steps.file(job, parts, now);
        const { fileId } = await platform().storeFile(path, content);
        await db
          .collection(collection)
          .where({ _id: id, leaseId: holder })
          .update({ data: { status: 'done', fileId, finishedAt: now, ...steps.stamp(now) } });
        break;
      }
    } while (performance.now() - started < budgetMs);
  } catch (err) {
    await db
      .collection(collection)
      .where({ _id: id, leaseId: holder })
      .update({ data: { status: 'failed', failure: '导出失败，请重新导出', ...steps.stamp(now) } });
    throw err;
  } finally {
    await releaseLease(collection, id, holder);
  }
  const after = await loadExportJob<D>(collection, id);
  if (steps.deletePartsWhenDone && after.status === 'done') await platform().deleteFiles(after.parts);
  return after;
}

/** A stepped export as its `continue` and `get` actions and the timer see it. */
export interface ExportKind<D, V> {
  load(id: string): Promise<D>;
  step(id: string, now: Date, budgetMs: number): Promise<D>;
  view(job: D): Promise<V>;
  /** How long a step asked for by the page runs. */
  stepMs: number;
  /** Running exports nobody is stepping (the page was closed): the timer continues them. */
  idle(now: Date, limit: number): Promise<string[]>;
}

type FollowUp<V> = ActionSpec<{ exportId: string }, V>;

/** The `continue` (idempotent by the job's own cursor, so no request id) and `get` actions of an export. */
export function exportFollowUps<D, V>(kind: ExportKind<D, V>, staff: StaffRole, exportId: z.ZodType<string>): { continue: FollowUp<V>; get: FollowUp<V> } {
  const input = z.strictObject({ exportId });
  return {
    continue: {
      input,
      staff,
      async handler(ctx, { exportId: id }) {
        return kind.view(await kind.step(id, ctx.now, kind.stepMs));
      },
    },
    get: {
      input,
      staff,
      async handler(_ctx, { exportId: id }) {
        return kind.view(await kind.load(id));
      },
    },
  };
}
