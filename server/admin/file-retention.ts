/**
 * How long the files the admin tab writes or receives are kept, and the admin timer's sweep that
 * deletes them afterwards (member data exports keep their own one day, data-rights/export.ts).
 *
 * - Segment and 潜力买家 CSVs: 7 days after the export was made. They are lists of customers (masked
 *   phones, but names, spend and order numbers): long enough to download again after a week's
 *   campaign is planned, short enough that a forgotten link does not become a standing copy.
 * - Uploaded order CSVs: 30 days after the import finished. They hold buyers' full phone numbers and
 *   addresses, which the import has already stored (encrypted) with the orders; a month leaves time
 *   to compare a disputed order with the platform's file before it is gone.
 *
 * A job whose files are deleted keeps its record with `filesDeletedAt`, so the tab can say so. The
 * sweep marks a page of jobs at a time, deletes their files first (a missing file is fine), then
 * records the deletion conditionally, so a rerun after a crash repeats nothing harmful.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../runtime/db';
import { platform } from '../runtime/platform';

const DAY_MS = 24 * 3600_000;
export const EXPORT_KEEP_DAYS = 7;
export const IMPORT_FILE_KEEP_DAYS = 30;
/** Jobs whose files one query deletes; the timer takes pages while its budget lasts. */
export const SWEEP_PAGE = 50;
/** At most this many pages per collection and run, whatever the budget: the next run goes on. */
const MAX_PAGES = 10;

export interface FilesKept {
  /** Set when the sweep deleted the job's files (absent until then). */
  filesDeletedAt?: Date;
}

/** When an export made at `createdAt` loses its file. */
export const exportExpiresAt = (createdAt: Date): Date => new Date(new Date(createdAt).getTime() + EXPORT_KEEP_DAYS * DAY_MS);

/** When the uploaded file of an import that finished at `finishedAt` is deleted. */
export const importFileExpiresAt = (finishedAt: Date): Date => new Date(new Date(finishedAt).getTime() + IMPORT_FILE_KEEP_DAYS * DAY_MS);

interface SweepTarget {
  collection: string;
  /** The jobs past their time, given the cutoff. */
  due: (cutoff: Date) => Record<string, unknown>;
  keepDays: number;
  files: (doc: Record<string, unknown>) => unknown[];
}

const strings = (values: unknown[]): string[] => values.filter((v): v is string => typeof v === 'string' && v.length > 0);

const TARGETS: SweepTarget[] = [
  {
    collection: COLLECTIONS.segmentExports,
    due: (cutoff) => ({ createdAt: getDb().command.lt(cutoff), status: getDb().command.neq('running') }),
    keepDays: EXPORT_KEEP_DAYS,
    files: (d) => [d.fileId, ...((d.parts as unknown[]) ?? [])],
  },
  {
    collection: COLLECTIONS.prospectExports,
    due: (cutoff) => ({ createdAt: getDb().command.lt(cutoff), status: getDb().command.neq('running') }),
    keepDays: EXPORT_KEEP_DAYS,
    files: (d) => [d.fileId, ...((d.parts as unknown[]) ?? [])],
  },
  {
    // A finished job is never written again, so its `updatedAt` is when it finished.
    collection: COLLECTIONS.orderImports,
    due: (cutoff) => ({ updatedAt: getDb().command.lt(cutoff), status: getDb().command.in(['done', 'failed']) }),
    keepDays: IMPORT_FILE_KEEP_DAYS,
    files: (d) => [d.fileId],
  },
];

async function sweepPage(target: SweepTarget, now: Date): Promise<number> {
  const db = getDb();
  const _ = db.command;
  const cutoff = new Date(now.getTime() - target.keepDays * DAY_MS);
  const res = await db
    .collection(target.collection)
    .where({ ...target.due(cutoff), filesDeletedAt: _.exists(false) })
    .limit(SWEEP_PAGE)
    .get();
  const jobs = res.data as Record<string, unknown>[];
  if (!jobs.length) return 0;
  await platform().deleteFiles(strings(jobs.flatMap(target.files)));
  const ids = jobs.map((j) => j._id as string);
  await db
    .collection(target.collection)
    .where({ _id: _.in(ids), filesDeletedAt: _.exists(false) })
    .update({ data: { filesDeletedAt: now } });
  return jobs.length;
}

export type FilesDeleted = Record<'segmentExports' | 'prospectExports' | 'orderImports', number>;

/** The admin timer's part: deletes files past their time, page by page, until `deadline` (performance.now()). */
export async function sweepExpiredFiles(now: Date, deadline: number): Promise<FilesDeleted> {
  const out: Record<string, number> = {};
  for (const target of TARGETS) {
    out[target.collection] = 0;
    // The first page is taken even when the rest of the timer spent the budget: files never pile up.
    for (let page = 0; page < MAX_PAGES && (page === 0 || performance.now() < deadline); page++) {
      const n = await sweepPage(target, now);
      out[target.collection] += n;
      if (n < SWEEP_PAGE) break;
    }
  }
  return out as FilesDeleted;
}
