/**
 * Files the tab writes or receives do not stay forever: segment and 潜力买家 CSVs are deleted by the
 * admin timer 7 days after the export, uploaded order files 30 days after their import finished. The
 * job keeps its record and says the file is gone; asking for an expired export answers a sentence.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import type { SegmentExportDoc } from '../../server/admin/segments/export';
import { SWEEP_PAGE, sweepExpiredFiles } from '../../server/admin/file-retention';
import type { ProspectExportDoc } from '../../server/admin/prospects/export';
import type { ImportJobDoc } from '../../server/orders/import';
import type { SegmentKey } from '../../typings';
import { getById, getDb } from '../../server/runtime/db';
import { platform } from '../../server/runtime/platform';
import { memberDoc } from '../members/support';
import { csvOf, importAll, sampleOrders, upload } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { adminTimer, customerJoins, staffedStore } from './support';

const t = useRuntime();
const DAY = 24 * 3600_000;

const exists = (fileId: string) =>
  platform()
    .readFile(fileId)
    .then(() => true)
    .catch(() => false);

/** A store on 2026-03-10 with one member (in a segment after the timer) and two buyers who are not members. */
async function storeWithData(): Promise<{ owner: string; segment: SegmentKey }> {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const { owner } = await staffedStore(t);
  await customerJoins(t, 'member-ma', '13800000001', '马女士');
  await importAll(t, owner, await upload(csvOf('taobao', sampleOrders(2))), 'taobao');
  await adminTimer(t);
  const [segment] = (await memberDoc('member-ma'))!.segments as SegmentKey[];
  return { owner, segment };
}

test('an exported segment or 潜力买家 CSV says how long it is kept, and 7 days on the timer deletes it and a download is told so', async () => {
  const { owner, segment } = await storeWithData();

  let seg = ok(await t.call(owner, 'admin', 'segment.export.start', { segment }, rid('seg')));
  for (let i = 0; seg.status === 'running' && i < 10; i++) seg = ok(await t.call(owner, 'admin', 'segment.export.continue', { exportId: seg.id }));
  let pro = ok(await t.call(owner, 'admin', 'prospect.export.start', { minSpentFen: 0, minOrders: 1 }, rid('pro')));
  for (let i = 0; pro.status === 'running' && i < 10; i++) pro = ok(await t.call(owner, 'admin', 'prospect.export.continue', { exportId: pro.id }));
  expect(seg).toMatchObject({ status: 'done', rows: 1, fileExpiresAt: '2026-03-17T02:00:00.000Z' });
  expect(pro).toMatchObject({ status: 'done', rows: 2, fileExpiresAt: '2026-03-17T02:00:00.000Z' });
  const segDoc = (await getById<SegmentExportDoc>(COLLECTIONS.segmentExports, seg.id))!;
  const proDoc = (await getById<ProspectExportDoc>(COLLECTIONS.prospectExports, pro.id))!;
  const files = [segDoc.fileId!, ...segDoc.parts, proDoc.fileId!];
  expect(segDoc.parts).toHaveLength(1);
  for (const f of files) expect(await exists(f)).toBe(true);

  // Six days on, both are still there.
  t.rt.clock.advance(6 * DAY);
  expect((await adminTimer(t)).upkeep).toMatchObject({ filesDeleted: { segmentExports: 0, prospectExports: 0 } });
  expect(ok(await t.call(owner, 'admin', 'segment.export.get', { exportId: seg.id })).fileUrl).toBeTruthy();

  // Past the seventh day the timer deletes the files (the parts too) and the jobs record it.
  t.rt.clock.advance(DAY + 3600_000);
  expect((await adminTimer(t)).upkeep).toMatchObject({ filesDeleted: { segmentExports: 1, prospectExports: 1 } });
  for (const f of files) expect(await exists(f)).toBe(false);
  expect(await getById<SegmentExportDoc>(COLLECTIONS.segmentExports, seg.id)).toMatchObject({ status: 'done', rows: 1, filesDeletedAt: new Date(t.rt.clock.now()) });
  expect(await getById<ProspectExportDoc>(COLLECTIONS.prospectExports, pro.id)).toMatchObject({ status: 'done', filesDeletedAt: new Date(t.rt.clock.now()) });

  const expired = { code: 'EXPIRED', message: '导出文件只保留 7 天，这份已自动删除，请重新导出' };
  expect(errorOf(await t.call(owner, 'admin', 'segment.export.get', { exportId: seg.id }))).toMatchObject(expired);
  expect(errorOf(await t.call(owner, 'admin', 'segment.export.continue', { exportId: seg.id }))).toMatchObject(expired);
  expect(errorOf(await t.call(owner, 'admin', 'prospect.export.get', { exportId: pro.id }))).toMatchObject(expired);

  // Another run finds nothing more to do.
  expect((await adminTimer(t)).upkeep).toMatchObject({ filesDeleted: { segmentExports: 0, prospectExports: 0 } });
});

test('an uploaded order file is kept 30 days after its import finished, then deleted; the import record stays', async () => {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const { owner } = await staffedStore(t);
  const fileId = await upload(csvOf('taobao', sampleOrders(3)));
  const job = await importAll(t, owner, fileId, 'taobao');
  expect(job).toMatchObject({ status: 'done', created: 3, fileExpiresAt: '2026-04-09T02:00:00.000Z', fileDeleted: false });

  t.rt.clock.advance(29 * DAY);
  expect((await adminTimer(t)).upkeep).toMatchObject({ filesDeleted: { orderImports: 0 } });
  expect(await exists(fileId)).toBe(true);

  t.rt.clock.advance(DAY + 60_000);
  expect((await adminTimer(t)).upkeep).toMatchObject({ filesDeleted: { orderImports: 1 } });
  expect(await exists(fileId)).toBe(false);
  const [listed] = ok(await t.call(owner, 'admin', 'order.import.list', {})).jobs;
  expect(listed).toMatchObject({ id: job.id, status: 'done', created: 3, fileDeleted: true });
  expect(await getById<ImportJobDoc>(COLLECTIONS.orderImports, job.id)).toMatchObject({ filesDeletedAt: new Date(t.rt.clock.now()) });

  // Importing the same file again is told to upload it anew.
  const told = { code: 'EXPIRED', message: '上传的文件在导入完成 30 天后已自动删除，请重新上传' };
  expect(errorOf(await t.call(owner, 'admin', 'order.import.start', { fileId, platform: 'taobao' }, rid('again')))).toMatchObject(told);
  expect(errorOf(await t.call(owner, 'admin', 'order.import.preview', { fileId, platform: 'taobao' }))).toMatchObject(told);
  expect((await adminTimer(t)).upkeep).toMatchObject({ filesDeleted: { orderImports: 0 } });
});

test('a timer run deletes a bounded page of old exports when its budget is spent, and the next run goes on', async () => {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const now = new Date(t.rt.clock.now());
  const count = SWEEP_PAGE + 7;
  const fileIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { fileId } = await platform().storeFile(`exports/segments/old-${i}/segment.csv`, Buffer.from('x'));
    fileIds.push(fileId);
    await getDb()
      .collection(COLLECTIONS.segmentExports)
      .add({ data: { _id: `sx_old_${String(i).padStart(3, '0')}`, status: 'done', fileId, parts: [], createdAt: new Date(now.getTime() - 8 * DAY) } });
  }
  // A spent budget still takes one page of each kind.
  const spent = performance.now() - 1;
  expect(await sweepExpiredFiles(now, spent)).toEqual({ segmentExports: SWEEP_PAGE, prospectExports: 0, orderImports: 0 });
  expect((await Promise.all(fileIds.map(exists))).filter(Boolean)).toHaveLength(7);
  expect(await sweepExpiredFiles(now, spent)).toMatchObject({ segmentExports: 7 });
  expect((await Promise.all(fileIds.map(exists))).filter(Boolean)).toHaveLength(0);
  expect(await sweepExpiredFiles(now, spent)).toMatchObject({ segmentExports: 0 });
});
