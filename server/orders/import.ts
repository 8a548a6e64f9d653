/**
 * Importing platform orders from CSV (after the dry run in preview.ts): a job that imports the file
 * page by page so a 100,000-row export never has to fit in one invocation.
 *
 * - A job records the file, the resolved columns and its progress: the byte offset of the next
 *   unread row in the normalised file, counts, and the first row errors.
 * - A step takes the job's lease (one conditional write, so two steps never run the same page),
 *   imports pages of PAGE_ROWS rows until its time budget is spent, and after each page moves the
 *   offset with a write conditional on the old offset. Steps are driven by the admin page calling
 *   `order.import.step` and, when nobody does, by the admin function's timer.
 * - Writes are idempotent (page.ts): an order's `_id` is `<platform>:<order number>`, an unchanged
 *   row writes nothing, a bound order is never touched.
 * - Several rows of one order (JD lists each item, Douyin each sub-order) are one order: the first
 *   row's amount counts, later rows add their product and quantity and are counted as merged rows.
 *   Such rows sit together in an export, and a page never ends between them (source.ts).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import type { ColumnMapping, ImportJobView, ImportSource, OrderPlatform, RowError } from '../../typings';
import { type FilesKept, importFileExpiresAt } from '../admin/file-retention';
import { iso } from '../members/model';
import { audit } from '../runtime/audit';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { fail } from '../runtime/errors';
import { CsvReadError, type CsvFile, type CsvPage, loadCsv } from './csv';
import { type Counts, importPage, type PageOutcome, parseRecords, zeroCounts } from './page';
import { type Columns, openSource, readWholeOrders } from './source';

export const PAGE_ROWS = 5000;
/** Row errors a job keeps (all are counted). */
export const KEPT_ERRORS = 100;
/** Longer than the function's timeout: a crashed step's lease runs out before anyone waits long. */
export const LEASE_MS = 90_000;
/** Time one `order.import.step` call spends before answering with progress... */
export const STEP_BUDGET_MS = 8_000;
/** ...and pages at most, so the admin page sees progress at least every 20,000 rows. */
export const MAX_PAGES_PER_STEP = 4;

export interface ImportJobDoc extends FilesKept {
  _id: string;
  fileId: string;
  platform: OrderPlatform;
  amountUnit: 'yuan' | 'fen';
  mapping: ColumnMapping;
  headers: string[];
  columns: Columns;
  totalBytes: number;
  status: 'running' | 'done' | 'failed';
  offset: number;
  nextRow: number;
  counts: Counts;
  errors: RowError[];
  failure: string | null;
  leaseUntil: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export function jobView(job: ImportJobDoc): ImportJobView {
  return {
    id: job._id,
    platform: job.platform,
    status: job.status,
    rowsRead: job.counts.rows,
    percent: job.status === 'done' ? 100 : job.totalBytes > 0 ? Math.min(99, Math.floor((job.offset / job.totalBytes) * 100)) : 0,
    created: job.counts.created,
    updated: job.counts.updated,
    unchanged: job.counts.unchanged,
    skippedBound: job.counts.skippedBound,
    mergedRows: job.counts.mergedRows,
    errorCount: job.counts.errors,
    errors: job.errors,
    failure: job.failure,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    // A finished job is never written again: `updatedAt` is when it finished.
    fileExpiresAt: job.status === 'running' ? null : iso(importFileExpiresAt(job.updatedAt)),
    fileDeleted: !!job.filesDeletedAt,
  };
}









export const jobIdFor = (openid: string, requestId: string): string =>
  `imp_${createHash('sha256').update(`${openid}\n${requestId}`).digest('base64url').slice(0, 20)}`;

export async function startImport(source: ImportSource, openid: string, requestId: string, now: Date): Promise<ImportJobView> {
  const id = jobIdFor(openid, requestId);
  const earlier = await getById<ImportJobDoc>(COLLECTIONS.orderImports, id);
  if (earlier) return jobView(earlier);
  const { file, headers, dataOffset, columns } = await openSource(source);
  const job: ImportJobDoc = {
    _id: id,
    fileId: source.fileId,
    platform: source.platform,
    amountUnit: source.amountUnit ?? 'yuan',
    mapping: source.mapping ?? {},
    headers,
    columns,
    totalBytes: file.text.length,
    status: 'running',
    offset: dataOffset,
    nextRow: 2,
    counts: zeroCounts(),
    errors: [],
    failure: null,
    leaseUntil: new Date(0),
    createdBy: openid,
    createdAt: now,
    updatedAt: now,
  };
  const { created } = await insertOrGet(COLLECTIONS.orderImports, job);
  if (created) {
    await audit(
      { actor: openid, action: 'order.import.start', target: `${COLLECTIONS.orderImports}/${id}`, before: null, after: { fileId: job.fileId, platform: job.platform, columns: columns.names } },
      now,
    );
  }
  return runStep(id, now);
}

async function takeLease(job: ImportJobDoc, now: Date): Promise<boolean> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.orderImports)
    .where({ _id: job._id, status: 'running', offset: job.offset, leaseUntil: _.lt(now) })
    .update({ data: { leaseUntil: new Date(now.getTime() + LEASE_MS) } });
  return res.stats.updated === 1;
}




async function recordProgress(
  job: ImportJobDoc,
  next: { offset: number; nextRow: number; done: boolean },
  outcome: PageOutcome,
  keepLease: boolean,
  now: Date,
): Promise<ImportJobDoc | null> {
  const _ = getDb().command;
  const room = Math.max(0, KEPT_ERRORS - job.errors.length);
  const inc: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outcome.counts)) if (v) inc[k] = _.inc(v);
  const update: Record<string, unknown> = {
    offset: next.offset,
    nextRow: next.nextRow,
    status: next.done ? 'done' : 'running',
    leaseUntil: keepLease && !next.done ? new Date(now.getTime() + LEASE_MS) : new Date(0),
    updatedAt: now,
    ...(Object.keys(inc).length ? { counts: inc } : {}),
    ...(room > 0 && outcome.errors.length > 0 ? { errors: _.push(outcome.errors.slice(0, room)) } : {}),
  };
  const res = await getDb()
    .collection(COLLECTIONS.orderImports)
    .where({ _id: job._id, offset: job.offset, status: 'running' })
    .update({ data: update });
  if (res.stats.updated !== 1) return null;
  return getById<ImportJobDoc>(COLLECTIONS.orderImports, job._id);
}

async function failJob(job: ImportJobDoc, reason: string, now: Date): Promise<void> {
  await getDb()
    .collection(COLLECTIONS.orderImports)
    .where({ _id: job._id, status: 'running' })
    .update({ data: { status: 'failed', failure: reason, leaseUntil: new Date(0), updatedAt: now } });
}


/**
 * Imports pages of the job until the budget is spent or the file ends. A step that finds the job
 * leased by another answers its progress as it is.
 */
export async function runStep(jobId: string, now: Date, budgetMs = STEP_BUDGET_MS, maxPages = MAX_PAGES_PER_STEP): Promise<ImportJobView> {
  const started = performance.now();
  let job = await getById<ImportJobDoc>(COLLECTIONS.orderImports, jobId);
  if (!job) fail('NOT_FOUND', '找不到这个导入任务');
  if (job.status !== 'running' || !(await takeLease(job, now))) return jobView(job);

  for (let pages = 1; ; pages++) {
    let file: CsvFile;
    let page: CsvPage;
    try {
      file = await loadCsv(job.fileId);
      page = readWholeOrders(file, job.offset, job.nextRow, PAGE_ROWS, job.columns.index.orderNo!);
    } catch (err) {
      if (!(err instanceof CsvReadError)) throw err;
      await failJob(job, err.message, now);
      return jobView((await getById<ImportJobDoc>(COLLECTIONS.orderImports, jobId))!);
    }
    const outcome = await importPage(job, parseRecords(page.records, job), now);
    const more = pages < maxPages && performance.now() - started < budgetMs;
    const next = { offset: page.nextOffset, nextRow: job.nextRow + page.records.length, done: page.done };
    const updated = await recordProgress(job, next, outcome, more, now);
    if (!updated) return jobView((await getById<ImportJobDoc>(COLLECTIONS.orderImports, jobId))!);
    job = updated;
    if (job.status !== 'running' || !more) return jobView(job);
  }
}

export async function getJob(jobId: string): Promise<ImportJobView> {
  const job = await getById<ImportJobDoc>(COLLECTIONS.orderImports, jobId);
  if (!job) fail('NOT_FOUND', '找不到这个导入任务');
  return jobView(job);
}

export async function listJobs(): Promise<ImportJobView[]> {
  const res = await getDb().collection(COLLECTIONS.orderImports).orderBy('createdAt', 'desc').limit(20).get();
  return (res.data as ImportJobDoc[]).map(jobView);
}

/** The timer's part: continue jobs nobody is stepping, within the budget. */
export async function continueImports(now: Date, budgetMs: number): Promise<{ jobs: number }> {
  const started = performance.now();
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.orderImports)
    .where({ status: 'running', leaseUntil: _.lt(now) })
    .orderBy('leaseUntil', 'asc')
    .limit(5)
    .get();
  let jobs = 0;
  for (const job of res.data as ImportJobDoc[]) {
    const left = budgetMs - (performance.now() - started);
    if (left <= 0) break;
    await runStep(job._id, now, left, Infinity);
    jobs += 1;
  }
  return { jobs };
}
