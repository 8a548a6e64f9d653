/** Importing platform orders from CSV exports: presets, dry runs, row errors, re-imports, big files. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { open } from '../../server/members/crypto';
import type { OrderDoc } from '../../server/orders/model';
import { runStep, type ImportJobDoc } from '../../server/orders/import';
import { getById, getDb } from '../../server/runtime/db';
import { allOf } from '../members/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { csvOf, HEADERS, importAll, sampleOrders, upload, type SampleOrder } from './support';

const t = useRuntime();

const GOOD: SampleOrder[] = [
  { orderNo: '3872000011112222333', phone: '13812348000', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井 250g', quantity: 2 },
  { orderNo: '3872000011112222334', phone: '138****6666', amount: '1,280', paidAt: '2026/3/2 9:05', product: '白茶饼 357g' },
  { orderNo: '3872000011112222335', phone: '+86 139 0000 7777', amount: '0.99', paidAt: '2026-03-02 23:59:59', product: '试饮装' },
];
const BAD: SampleOrder[] = [
  { orderNo: '3872000011112222336', phone: '12345', amount: '10.00', paidAt: '2026-03-01 10:00:00', product: '坏手机号' },
  { orderNo: '3872000011112222337', phone: '13800001111', amount: '10.00', paidAt: '2026-03-01 10:00:00', product: '已关闭', status: '交易关闭' },
  { orderNo: '3872000011112222338', phone: '13800001111', amount: '', paidAt: '2026-03-01 10:00:00', product: '没有金额' },
  { orderNo: '3872000011112222339', phone: '13800001111', amount: '10.00', paidAt: '', product: '未付款' },
  { orderNo: '3.87200001111222E+18', phone: '13800001111', amount: '10.00', paidAt: '2026-03-01 10:00:00', product: '科学计数法' },
];

const orders = () => allOf<OrderDoc>(COLLECTIONS.orders);

describe.each(['taobao', 'jd', 'pdd', 'douyin'] as const)('the %s export', (platform) => {
  it('previews without writing, with the row errors by row number, then imports the good rows', async () => {
    const owner = await makeOwner(t);
    const fileId = await upload(csvOf(platform, [...GOOD, ...BAD]));

    const { result, cost } = await measure(() => t.call(owner, 'admin', 'order.import.preview', { fileId, platform }));
    const preview = ok(result);
    expect(cost.writes).toBe(0);
    expect(preview.headers).toEqual(HEADERS[platform]);
    expect(Object.keys(preview.columns).sort()).toEqual(['amount', 'orderNo', 'paidAt', 'phone', 'product', 'quantity', 'status']);
    expect(preview).toMatchObject({ checkedRows: 8, more: false, wouldCreate: 3, wouldUpdate: 0, alreadyBound: 0 });
    expect(preview.sample.map((s) => [s.row, s.orderNo, s.phoneMasked, s.amountFen, s.paidAt])).toEqual([
      [2, '3872000011112222333', '138****8000', 12850, '2026-03-01T12:15:00.000Z'],
      [3, '3872000011112222334', '****6666', 128000, '2026-03-02T01:05:00.000Z'],
      [4, '3872000011112222335', '139****7777', 99, '2026-03-02T15:59:59.000Z'],
    ]);
    expect(preview.errors.map((e) => [e.row, e.field])).toEqual([
      [5, 'phone'],
      [6, 'status'],
      [7, 'amount'],
      [8, 'paidAt'],
      [9, 'orderNo'],
    ]);
    expect(preview.errors[0].reason).toBe('买家手机号格式不正确（需要 11 位手机号，或至少保留后四位）');
    expect(preview.errors[4].reason).toContain('科学计数法');
    expect(await orders()).toEqual([]);

    const job = await importAll(t, owner, fileId, platform);
    expect(job).toMatchObject({ status: 'done', percent: 100, rowsRead: 8, created: 3, updated: 0, unchanged: 0, errorCount: 5 });
    expect(job.errors.map((e) => e.row)).toEqual([5, 6, 7, 8, 9]);

    const stored = await orders();
    expect(stored.map((o) => o._id).sort()).toEqual(GOOD.map((o) => `${platform}:${o.orderNo}`));
    const first = stored.find((o) => o.orderNo === '3872000011112222333')!;
    expect(first).toMatchObject({ platform, amountFen: 12850, paidAt: new Date('2026-03-01T12:15:00Z'), product: '明前龙井 250g', phoneMasked: '138****8000', bindState: 'unbound', boundTo: null });
    expect(JSON.stringify(stored)).not.toContain('13812348000');
    expect(open(first.phoneEnc!, first._id)).toBe('13812348000');
  });
});

describe('importing', () => {
  it('importing the same file again creates nothing; a corrected row updates; a bound order is never touched', async () => {
    const owner = await makeOwner(t);
    const all = sampleOrders(30);
    const first = await importAll(t, owner, await upload(csvOf('taobao', all)), 'taobao');
    expect(first).toMatchObject({ status: 'done', created: 30, errorCount: 0 });
    const again = await importAll(t, owner, await upload(csvOf('taobao', all)), 'taobao');
    expect(again).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 30 });

    await getDb().collection(COLLECTIONS.orders).doc(`taobao:${all[1].orderNo}`).update({ data: { bindState: 'bound', boundTo: 'someone' } });
    const corrected = all.map((o, i) => (i < 2 ? { ...o, amount: '99.00' } : o));
    const third = await importAll(t, owner, await upload(csvOf('taobao', corrected)), 'taobao');
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 28, skippedBound: 1 });
    expect((await getById<OrderDoc>(COLLECTIONS.orders, `taobao:${all[0].orderNo}`))!.amountFen).toBe(9900);
    expect((await getById<OrderDoc>(COLLECTIONS.orders, `taobao:${all[1].orderNo}`))!.amountFen).not.toBe(9900);
    expect(await orders()).toHaveLength(30);
  });

  it('the same retried start request answers the same job', async () => {
    const owner = await makeOwner(t);
    const fileId = await upload(csvOf('pdd', sampleOrders(3)));
    const requestId = rid();
    const a = ok(await t.call(owner, 'admin', 'order.import.start', { fileId, platform: 'pdd' }, requestId));
    const b = ok(await t.call(owner, 'admin', 'order.import.start', { fileId, platform: 'pdd' }, requestId));
    expect(b.id).toBe(a.id);
    expect(ok(await t.call(owner, 'admin', 'order.import.list', {})).jobs.map((j) => j.id)).toEqual([a.id]);
  });

  it('a JD order listed over several item rows is one order: the amount once, items and quantities together', async () => {
    const owner = await makeOwner(t);
    const order = { orderNo: '280000000001', phone: '13812348000', amount: '300.00', paidAt: '2026-03-01 10:00:00' };
    const csv = csvOf('jd', [
      { ...order, product: '龙井', quantity: 1 },
      { ...order, product: '白茶', quantity: 2 },
      { orderNo: '280000000002', phone: '13812348001', amount: '50.00', paidAt: '2026-03-01 11:00:00', product: '杯子' },
    ]);
    const job = await importAll(t, owner, await upload(csv), 'jd');
    expect(job).toMatchObject({ created: 2, mergedRows: 1, errorCount: 0 });
    expect(await getById<OrderDoc>(COLLECTIONS.orders, 'jd:280000000001')).toMatchObject({ amountFen: 30000, product: '龙井；白茶', quantity: 3 });
  });

  it('a GBK-encoded export (Excel on Chinese Windows) reads the same', async () => {
    const owner = await makeOwner(t);
    const encoded = encodeGb18030(csvOf('taobao', GOOD));
    const job = await importAll(t, owner, await upload(encoded), 'taobao');
    expect(job).toMatchObject({ created: 3, errorCount: 0 });
    expect((await getById<OrderDoc>(COLLECTIONS.orders, `taobao:${GOOD[0].orderNo}`))!.product).toBe('明前龙井 250g');
  });

  it('any other source is imported with a custom column mapping, amounts in fen if so', async () => {
    const owner = await makeOwner(t);
    const csv = ['单号,客户电话,成交额,成交时间,品名', 'S-0001,13812348000,12850,2026-03-01 10:00,龙井', 'S-0002,13812348001,990,2026-03-01 11:00,杯子'].join('\n');
    const fileId = await upload(csv);
    const refused = errorOf(await t.call(owner, 'admin', 'order.import.preview', { fileId, platform: 'other' }));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.fields?.map((f) => f.path).sort()).toEqual(['payload.mapping.amount', 'payload.mapping.orderNo', 'payload.mapping.paidAt', 'payload.mapping.phone']);
    const mapping = { orderNo: '单号', phone: '客户电话', amount: '成交额', paidAt: '成交时间', product: '品名' };
    const job = await importAll(t, owner, fileId, 'other', { mapping, amountUnit: 'fen' });
    expect(job).toMatchObject({ created: 2, errorCount: 0 });
    expect(await getById<OrderDoc>(COLLECTIONS.orders, 'other:S-0001')).toMatchObject({ amountFen: 12850, product: '龙井' });
    const typo = errorOf(await t.call(owner, 'admin', 'order.import.preview', { fileId, platform: 'other', mapping: { ...mapping, phone: '电话' } }));
    expect(typo.fields).toEqual([{ path: 'payload.mapping.phone', message: '文件里没有「电话」这一列' }]);
  });

  it('a file of the wrong platform, or not found, is refused with what to do', async () => {
    const owner = await makeOwner(t);
    const jd = await upload(csvOf('jd', GOOD));
    const wrong = errorOf(await t.call(owner, 'admin', 'order.import.start', { fileId: jd, platform: 'douyin' }, rid()));
    expect(wrong.code).toBe('INVALID_INPUT');
    expect(wrong.fields?.[0].message).toContain('请在自定义列中指定');
    expect(errorOf(await t.call(owner, 'admin', 'order.import.preview', { fileId: 'local://imports/missing.csv', platform: 'jd' }))).toMatchObject({ code: 'NOT_FOUND', message: '找不到上传的文件，请重新上传' });
    expect(await allOf(COLLECTIONS.orderImports)).toEqual([]);
  });

  it('only admins import; clerks are refused', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-i', 'clerk');
    const fileId = await upload(csvOf('jd', GOOD));
    expect(errorOf(await t.call(clerk, 'admin', 'order.import.preview', { fileId, platform: 'jd' })).code).toBe('FORBIDDEN');
    expect(ok(await t.call(owner, 'admin', 'order.import.presets', {})).presets.map((p) => p.platform)).toEqual(['taobao', 'jd', 'pdd', 'douyin', 'other']);
  });
});

describe('a large export', () => {
  it('100,000 rows import in pages: each step a few pages, every order once', async () => {
    const owner = await makeOwner(t);
    const fileId = await upload(csvOf('taobao', sampleOrders(100_000)));
    let job = ok(await t.call(owner, 'admin', 'order.import.start', { fileId, platform: 'taobao' }, rid()));
    const progress = [job.rowsRead];
    while (job.status === 'running') {
      job = ok(await t.call(owner, 'admin', 'order.import.step', { jobId: job.id }));
      progress.push(job.rowsRead);
    }
    expect(job).toMatchObject({ status: 'done', rowsRead: 100_000, created: 100_000, errorCount: 0, percent: 100 });
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.every((n, i) => i === 0 || n > progress[i - 1])).toBe(true);
    expect((await getDb().collection(COLLECTIONS.orders).count()).total).toBe(100_000);
  }, 240_000);

  it('a step interrupted after writing its orders but before recording progress is redone without double counting', async () => {
    const owner = await makeOwner(t);
    const fileId = await upload(csvOf('douyin', sampleOrders(25_000)));
    const started = ok(await t.call(owner, 'admin', 'order.import.start', { fileId, platform: 'douyin' }, rid()));
    expect(started).toMatchObject({ status: 'running', rowsRead: 20_000 });
    const before = (await getById<ImportJobDoc>(COLLECTIONS.orderImports, started.id))!;
    const now = new Date(t.rt.clock.now());
    await runStep(started.id, now, 0);
    // The crash: the last page's orders are written, its progress is not.
    const { _id, ...snapshot } = before;
    await getDb().collection(COLLECTIONS.orderImports).doc(_id).set({ data: snapshot });
    const redone = ok(await t.call(owner, 'admin', 'order.import.step', { jobId: started.id }));
    expect(redone).toMatchObject({ status: 'done', rowsRead: 25_000, created: 25_000, updated: 0, unchanged: 0 });
    expect((await getDb().collection(COLLECTIONS.orders).count()).total).toBe(25_000);
  }, 120_000);

  it('the admin function\'s timer continues a job nobody steps', async () => {
    const owner = await makeOwner(t);
    const fileId = await upload(csvOf('pdd', sampleOrders(22_000)));
    const started = ok(await t.call(owner, 'admin', 'order.import.start', { fileId, platform: 'pdd' }, rid()));
    expect(started.status).toBe('running');
    expect(await t.rt.fireTimer('admin', 'continueImports')).toMatchObject({ ok: true, data: { jobs: 1 } });
    expect(ok(await t.call(owner, 'admin', 'order.import.get', { jobId: started.id }))).toMatchObject({ status: 'done', created: 22_000 });
  }, 120_000);
});

/** GB18030 encoding of the characters these tests use, through Node's decoder tables. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  // Two-byte GBK range covers every character these exports use.
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.from([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}
