/**
 * Exporting a batch for print, in steps. A job document holds the progress; each step exports the
 * next PART_SIZE cards as one PDF + ZIP pair (their codes, the sheets, the manifest), stores both
 * files and records the part. Steps are driven by `card.export.continue` and by the timer, under a
 * lease on the job (a conditional update), so two drivers never export the same part; a step that
 * crashed lets its lease run out and the part is redone (file paths are per part, so a redo
 * overwrites). Memory and time per step are bounded by PART_SIZE, whatever the batch's size.
 */
import { createHash, randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { CardExportView } from '../../../typings';
import { loadStore } from '../../app/store';
import { getById, getDb } from '../../runtime/db';
import { fail } from '../../runtime/errors';
import { platform } from '../../runtime/platform';
import { loadBatch } from '../batches';
import { type CardBatchDoc, CHANNEL_NAMES, benefitProfileOf, isPastClaimUntil } from '../model';
import { sceneFor } from '../scene';
import { drawCodes } from './codes';
import { opaquePng } from './png';
import { codesZip } from './zip';

/** Cards per step and per PDF/ZIP part, unless staff ask for smaller files. */
/**
 * pdfkit and the font load only when a sheet is drawn: the card function's cold start serves
 * customers' scans, which never draw one.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPdf = (): typeof import('./pdf') => require('./pdf');

export const PART_SIZE = 500;
/** Smallest part: one full A4 sheet. */
export const MIN_PART_SIZE = 4;
const LEASE_MS = 90_000;
/** A part that fails this many times in a row fails the export. */
const MAX_ATTEMPTS = 3;
const NO_LEASE = new Date(0);

type EnvVersion = CardExportView['envVersion'];

interface PartDoc {
  index: number;
  fromSerial: number;
  toSerial: number;
  pdfFileId: string;
  zipFileId: string;
  pages: number;
}

export interface CardExportDoc {
  _id: string;
  batchId: string;
  envVersion: EnvVersion;
  total: number;
  partSize: number;
  done: number;
  parts: PartDoc[];
  status: CardExportView['status'];
  failure: string | null;
  /** Failed attempts at the current part. */
  attempts: number;
  leaseId: string | null;
  leaseUntil: Date;
  createdAt: Date;
  createdBy: string;
  requestId: string;
  finishedAt: Date | null;
}

export function exportIdFor(batchId: string, creator: string, requestId: string): string {
  return `exp_${createHash('sha256').update(`card-export\n${batchId}\n${creator}\n${requestId}`).digest('hex').slice(0, 16)}`;
}

async function loadExport(exportId: string): Promise<CardExportDoc> {
  const job = await getById<CardExportDoc>(COLLECTIONS.cardExports, exportId);
  if (!job) fail('NOT_FOUND', '找不到这次导出');
  return job;
}

export async function exportView(job: CardExportDoc): Promise<CardExportView> {
  const files = platform();
  const parts = await Promise.all(
    job.parts.map(async (p) => ({
      index: p.index,
      fromSerial: p.fromSerial,
      toSerial: p.toSerial,
      pdfUrl: await files.fileUrl(p.pdfFileId),
      pages: p.pages,
      zipUrl: await files.fileUrl(p.zipFileId),
    })),
  );
  return {
    id: job._id,
    batchId: job.batchId,
    status: job.status,
    envVersion: job.envVersion,
    total: job.total,
    done: job.done,
    partSize: job.partSize,
    parts,
    failure: job.failure,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
  };
}

export interface ExportCaller {
  openid: string;
  requestId: string;
  now: Date;
}

/** Starts exporting an active batch (or finds the export this request started) and runs a step. */
export async function startExport(caller: ExportCaller, batchId: string, envVersion: EnvVersion, partSize = PART_SIZE): Promise<CardExportView> {
  const id = exportIdFor(batchId, caller.openid, caller.requestId);
  if (await getById<CardExportDoc>(COLLECTIONS.cardExports, id)) return continueExport(id, caller.now);
  const batch = await loadBatch(batchId);
  if (batch.status === 'preparing') fail('CONFLICT', '这批卡片还在准备中，准备完成后再导出');
  if (batch.status === 'revoked') fail('CONFLICT', '这批卡片已停用，不能再导出');
  if (isPastClaimUntil(batch, caller.now)) fail('CONFLICT', '这批卡片已过领取期限，不能再导出');
  const job: CardExportDoc = {
    _id: id,
    batchId,
    envVersion,
    total: batch.quantity,
    partSize,
    done: 0,
    parts: [],
    status: 'running',
    failure: null,
    attempts: 0,
    leaseId: null,
    leaseUntil: NO_LEASE,
    createdAt: caller.now,
    createdBy: caller.openid,
    requestId: caller.requestId,
    finishedAt: null,
  };
  const { _id, ...data } = job;
  await getDb().collection(COLLECTIONS.cardExports).add({ data: { _id, ...data } });
  return continueExport(id, caller.now, batch);
}

/** Runs the export's next step and answers the export as it stands. */
export async function continueExport(exportId: string, now: Date, knownBatch?: CardBatchDoc): Promise<CardExportView> {
  return exportView(await stepExport(exportId, now, knownBatch));
}

/** Runs the export's next step when it is running and free; returns the job as it stands. */
export async function stepExport(exportId: string, now: Date, knownBatch?: CardBatchDoc): Promise<CardExportDoc> {
  const job = await loadExport(exportId);
  if (job.status !== 'running') return job;
  const db = getDb();
  const leaseId = randomUUID();
  const taken = await db
    .collection(COLLECTIONS.cardExports)
    .where({ _id: exportId, status: 'running', leaseUntil: db.command.lt(now) })
    .update({ data: { leaseId, leaseUntil: new Date(now.getTime() + LEASE_MS) } });
  if (taken.stats.updated !== 1) return job;

  const mine = { _id: exportId, leaseId };
  try {
    const batch = knownBatch ?? (await loadBatch(job.batchId));
    if (batch.status === 'revoked') {
      const stopped = { status: 'failed' as const, failure: '这批卡片已停用，导出已停止', leaseId: null, leaseUntil: NO_LEASE, finishedAt: now };
      await db.collection(COLLECTIONS.cardExports).where(mine).update({ data: stopped });
      return { ...job, ...stopped };
    }
    const part = await exportPart(job, batch);
    const finished = part.toSerial === job.total;
    const progress = {
      done: part.toSerial,
      status: finished ? ('done' as const) : ('running' as const),
      attempts: 0,
      leaseId: null,
      leaseUntil: NO_LEASE,
      finishedAt: finished ? now : null,
    };
    await db
      .collection(COLLECTIONS.cardExports)
      .where(mine)
      .update({ data: { ...progress, parts: db.command.push([part]) } });
    return { ...job, ...progress, parts: [...job.parts, part] };
  } catch (err) {
    const attempts = job.attempts + 1;
    const failed = attempts >= MAX_ATTEMPTS;
    console.error(JSON.stringify({ level: 'error', fn: 'card', export: exportId, attempts, error: err instanceof Error ? err.stack : String(err) }));
    const setback = {
      attempts,
      leaseId: null,
      leaseUntil: NO_LEASE,
      ...(failed ? { status: 'failed' as const, failure: '生成卡片文件失败，请稍后重新导出', finishedAt: now } : {}),
    };
    await db.collection(COLLECTIONS.cardExports).where(mine).update({ data: setback });
    return { ...job, ...setback };
  }
}

async function exportPart(job: CardExportDoc, batch: CardBatchDoc): Promise<PartDoc> {
  const fromSerial = job.done + 1;
  const toSerial = Math.min(job.total, job.done + job.partSize);
  const serials = Array.from({ length: toSerial - fromSerial + 1 }, (_, k) => fromSerial + k);
  const benefit = benefitProfileOf(batch);
  const scenes = serials.map((serial) => sceneFor({ batchId: batch._id, serial, benefit }));
  const pngs = await drawCodes(scenes, job.envVersion);
  const store = await loadStore();
  const { pdf, pages } = await loadPdf().renderCardSheets({
    storeName: store.name,
    letter: batch.letter,
    benefit: batch.benefit && { line: batch.benefit.line, title: batch.benefit.title },
    recordLine: `${CHANNEL_NAMES[batch.channel]} · ${batch.product}`,
    validLine: `领取截止 ${batch.validUntil}`,
    standIn: platform().kind === 'local',
    // Flattened one at a time (see png.ts); the ZIP keeps the codes as drawn.
    cards: serials.map((serial, i) => ({ serial, png: opaquePng(pngs[i]) })),
  });
  const zip = codesZip(serials.map((serial, i) => ({ serial, scene: scenes[i], channel: batch.channel, batchId: batch._id, png: pngs[i] })));
  const index = job.parts.length + 1;
  const base = `card-exports/${batch._id}/${job._id}/${batch._id}-${String(index).padStart(3, '0')}-${fromSerial}-${toSerial}`;
  const [pdfFile, zipFile] = await Promise.all([platform().storeFile(`${base}.pdf`, pdf), platform().storeFile(`${base}.zip`, zip)]);
  return { index, fromSerial, toSerial, pdfFileId: pdfFile.fileId, zipFileId: zipFile.fileId, pages };
}

export async function getExport(exportId: string): Promise<CardExportView> {
  return exportView(await loadExport(exportId));
}

export async function exportsOfBatch(batchId: string): Promise<CardExportView[]> {
  const res = await getDb().collection(COLLECTIONS.cardExports).where({ batchId }).orderBy('createdAt', 'desc').limit(20).get();
  return Promise.all((res.data as CardExportDoc[]).map(exportView));
}

/** Running exports whose lease is free, for the timer. */
export async function exportsToContinue(now: Date, limit: number): Promise<string[]> {
  const db = getDb();
  const res = await db.collection(COLLECTIONS.cardExports).where({ status: 'running', leaseUntil: db.command.lt(now) }).limit(limit).get();
  return (res.data as CardExportDoc[]).map((j) => j._id);
}
