/**
 * A segment's members as one CSV file (owner only), built in steps so any segment size fits the
 * function's time: each step reads members in `_id` order from its cursor (filtered on the segment
 * in the query) and stores their rows as a part file; the last step joins the parts into the file
 * and answers a temporary link (the steps themselves: export-jobs.ts). Phones are masked, as staff
 * always see them.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { SegmentExportView, SegmentKey } from '../../../typings';
import { displayName, type MemberDoc } from '../../members/model';
import { getDb, insertOrGet } from '../../runtime/db';
import { platform } from '../../runtime/platform';
import { shanghaiDate, shanghaiMinute } from '../../runtime/shanghai';
import type { StaffDoc } from '../../runtime/staff-guard';
import { BOM, line } from '../csv';
import { type ExportKind, exportJobView, type ExportSteps, idleExports, loadExportJob, runExportSteps, type SteppedJob } from '../export-jobs';
import { RELEASED } from '../lease';
import { sourceLabel } from '../member-view';
import { readSnapshot } from '../state';
import { SEGMENT_NAMES, segmentLabels } from './rules';

export const EXPORT_PAGE = 500;
/** A step called from the page answers within a few seconds; the timer gives more. */
export const STEP_BUDGET_MS = 5_000;

/** `cursor`: members up to this `_id` are written; `expected`: the segment's size at the last recompute. */
export interface SegmentExportDoc extends SteppedJob {
  segment: SegmentKey;
  createdBy: string;
  requestId: string;
  updatedAt: Date;
}

export const HEADER = ['会员编号', '昵称', '手机号（脱敏）', '入会时间', '来源', '订单数', '累计消费（元）', '最近下单', '积分', '分层', '标签', '专属客服'];

export const exportIdFor = (owner: string, requestId: string): string => `sx_${createHash('sha256').update(`${owner}\n${requestId}`).digest('hex').slice(0, 20)}`;

function rowOf(m: MemberDoc, staffNames: Map<string, string>): string {
  return line([
    m._id,
    displayName(m),
    m.phoneMasked,
    shanghaiMinute(new Date(m.joinedAt)),
    sourceLabel(m.attribution),
    m.stats.orders,
    (m.stats.spentFen / 100).toFixed(2),
    m.stats.lastOrderAt ? shanghaiMinute(new Date(m.stats.lastOrderAt)) : '',
    m.points,
    segmentLabels(m.segments ?? []).map((s) => s.label).join('、'),
    (m.tags ?? []).join('、'),
    m.staffId ? (staffNames.get(m.staffId) ?? '已离职员工') : '',
  ]);
}

export async function exportView(job: SegmentExportDoc): Promise<SegmentExportView> {
  return { ...(await exportJobView(job)), segment: job.segment, segmentLabel: SEGMENT_NAMES[job.segment] };
}

export const loadExport = (exportId: string): Promise<SegmentExportDoc> => loadExportJob<SegmentExportDoc>(COLLECTIONS.segmentExports, exportId);

export async function startExport(segment: SegmentKey, owner: string, requestId: string, now: Date): Promise<SegmentExportView> {
  const snapshot = await readSnapshot();
  const { doc } = await insertOrGet<SegmentExportDoc>(COLLECTIONS.segmentExports, {
    _id: exportIdFor(owner, requestId),
    segment,
    status: 'running',
    createdBy: owner,
    createdAt: now,
    requestId,
    cursor: '',
    rows: 0,
    expected: snapshot?.members?.segments[segment] ?? null,
    parts: [],
    fileId: null,
    fileName: `${SEGMENT_NAMES[segment]}-${shanghaiDate(now)}.csv`,
    failure: null,
    finishedAt: null,
    leaseId: '',
    leaseUntil: RELEASED,
    updatedAt: now,
  });
  return exportView(await runExportStep(doc._id, now, STEP_BUDGET_MS));
}

async function staffNames(): Promise<Map<string, string>> {
  const res = await getDb().collection(COLLECTIONS.staff).limit(1000).field({ name: true }).get();
  return new Map((res.data as Pick<StaffDoc, '_id' | 'name'>[]).map((s) => [s._id, s.name]));
}

const steps: ExportSteps<SegmentExportDoc, MemberDoc> = {
  collection: COLLECTIONS.segmentExports,
  pageSize: EXPORT_PAGE,
  partPath: (id, n) => `exports/segments/${id}/part-${n}.csv`,
  stamp: (now) => ({ updatedAt: now }),
  async open(job) {
    const names = await staffNames();
    const _ = getDb().command;
    return {
      async read(cursor) {
        const res = await getDb()
          .collection(COLLECTIONS.members)
          .where({ _id: _.gt(cursor), segments: job.segment, status: 'active' })
          .orderBy('_id', 'asc')
          .limit(EXPORT_PAGE)
          .get();
        return res.data as MemberDoc[];
      },
      part: (members) => members.map((m) => rowOf(m, names)).join(''),
    };
  },
  async file(job, parts, now) {
    const files = await Promise.all(parts.map((id) => platform().readFile(id)));
    return { path: `exports/segments/${job._id}/segment-${shanghaiDate(now)}.csv`, content: Buffer.concat([Buffer.from(BOM + line(HEADER), 'utf8'), ...files]) };
  },
  deletePartsWhenDone: false,
};

/** Runs the export on until it is done or `budgetMs` is spent; answers the job as it then stands. */
export const runExportStep = (exportId: string, now: Date, budgetMs: number): Promise<SegmentExportDoc> => runExportSteps(steps, exportId, now, budgetMs);

export const segmentExports: ExportKind<SegmentExportDoc, SegmentExportView> = {
  load: loadExport,
  step: runExportStep,
  view: exportView,
  stepMs: STEP_BUDGET_MS,
  idle: (now, limit) => idleExports(COLLECTIONS.segmentExports, now, limit),
};
