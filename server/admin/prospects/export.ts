/**
 * The 潜力买家 ranking as one CSV (owner only), in steps so any number of buyers fits the function's
 * time: each step reads rollups under the filter in buyer-key order from its cursor and stores them
 * as a part (JSON lines); the last step ranks all parts the way the list does and writes the file.
 *
 * Phones stay masked. These buyers never accepted the store's notice: their numbers came with the
 * platform's orders for delivery, not for marketing by the store, and a file of full numbers is the
 * customer list a departing employee takes along. The offer reaches them through the platform
 * (each row carries the newest order number for its buyer tools) or the next parcel's card.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { ProspectExportView, ProspectFilter } from '../../../typings';
import { CHANNEL_NAMES } from '../../cards/model';
import { audit } from '../../runtime/audit';
import { getDb, insertOrGet } from '../../runtime/db';
import { platform } from '../../runtime/platform';
import { shanghaiDate, shanghaiMinute } from '../../runtime/shanghai';
import { BOM, line } from '../csv';
import { type ExportKind, exportJobView, type ExportSteps, idleExports, loadExportJob, runExportSteps, type SteppedJob } from '../export-jobs';
import { RELEASED } from '../lease';
import { compareProspects, filterQuery, type ProspectDoc } from './model';

const PAGE = 1000;
export const PROSPECT_STEP_MS = 5_000;

export interface ProspectExportDoc extends SteppedJob {
  filter: ProspectFilter;
  /** The filter's time bound is fixed when the export starts, so every step reads the same set. */
  asOf: Date;
  createdBy: string;
  expected: number;
}

export const PROSPECT_HEADER = ['排名', '手机号（脱敏）', '订单数', '累计消费（元）', '首次下单', '最近下单', '平台', '最近订单号'];

const prospectExportId = (owner: string, requestId: string): string => `px_${createHash('sha256').update(`prospects\n${owner}\n${requestId}`).digest('hex').slice(0, 20)}`;

function csvRow(d: ProspectDoc, rank: number): string {
  return line([
    rank,
    d.phoneMasked,
    d.orders,
    (d.spentFen / 100).toFixed(2),
    shanghaiMinute(new Date(d.firstPaidAt)),
    shanghaiMinute(new Date(d.lastPaidAt)),
    d.platforms.map((p) => CHANNEL_NAMES[p]).join('、'),
    d.lastOrderNo,
  ]);
}

export async function prospectExportView(job: ProspectExportDoc): Promise<ProspectExportView> {
  return { ...(await exportJobView(job)), filter: job.filter };
}

export const loadProspectExport = (id: string): Promise<ProspectExportDoc> => loadExportJob<ProspectExportDoc>(COLLECTIONS.prospectExports, id);

export async function startProspectExport(filter: ProspectFilter, owner: string, requestId: string, now: Date): Promise<ProspectExportView> {
  const db = getDb();
  const expected = (await db.collection(COLLECTIONS.prospects).where(filterQuery(filter, now, db.command)).count()).total;
  const { doc, created } = await insertOrGet<ProspectExportDoc>(COLLECTIONS.prospectExports, {
    _id: prospectExportId(owner, requestId),
    filter,
    asOf: now,
    status: 'running',
    createdBy: owner,
    createdAt: now,
    cursor: '',
    rows: 0,
    expected,
    parts: [],
    fileId: null,
    fileName: `潜力买家-${shanghaiDate(now)}.csv`,
    failure: null,
    finishedAt: null,
    leaseId: '',
    leaseUntil: RELEASED,
  });
  if (created) await audit({ actor: owner, action: 'prospect.export.start', target: `${COLLECTIONS.prospectExports}/${doc._id}`, before: null, after: { filter, expected } }, now);
  return prospectExportView(await stepProspectExport(doc._id, now, PROSPECT_STEP_MS));
}

const steps: ExportSteps<ProspectExportDoc, ProspectDoc> = {
  collection: COLLECTIONS.prospectExports,
  pageSize: PAGE,
  partPath: (id, n) => `exports/prospects/${id}/part-${n}.jsonl`,
  stamp: () => ({}),
  async open(job) {
    const db = getDb();
    const _ = db.command;
    const where = filterQuery(job.filter, new Date(job.asOf), _);
    return {
      async read(cursor) {
        const res = await db.collection(COLLECTIONS.prospects).where({ ...where, _id: _.gt(cursor) }).orderBy('_id', 'asc').limit(PAGE).get();
        return res.data as ProspectDoc[];
      },
      part: (docs) => docs.map((d) => JSON.stringify(d)).join('\n') + '\n',
    };
  },
  async file(job, parts, now) {
    const texts = await Promise.all(parts.map(async (id) => (await platform().readFile(id)).toString('utf8')));
    const docs = texts.flatMap((t) => t.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ProspectDoc));
    docs.sort(compareProspects(job.filter.sort));
    const body = docs.map((d, i) => csvRow({ ...d, firstPaidAt: new Date(d.firstPaidAt), lastPaidAt: new Date(d.lastPaidAt) }, i + 1)).join('');
    return { path: `exports/prospects/${job._id}/prospects-${shanghaiDate(now)}.csv`, content: Buffer.from(BOM + line(PROSPECT_HEADER) + body, 'utf8') };
  },
  // Parts hold buyer rows only while the job runs.
  deletePartsWhenDone: true,
};

/** Runs the export on until done or `budgetMs` is spent; answers the job as it then stands. */
export const stepProspectExport = (id: string, now: Date, budgetMs: number): Promise<ProspectExportDoc> => runExportSteps(steps, id, now, budgetMs);

export const prospectExports: ExportKind<ProspectExportDoc, ProspectExportView> = {
  load: loadProspectExport,
  step: stepProspectExport,
  view: prospectExportView,
  stepMs: PROSPECT_STEP_MS,
  idle: (now, limit) => idleExports(COLLECTIONS.prospectExports, now, limit),
};
