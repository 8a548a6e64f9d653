/**
 * Automatic segments: the merchant's recency / frequency / money rules place every member, the admin
 * timer recomputes them in resumable pages and writes a member only when their segments change, the
 * counts land in one small document, and the owner exports a segment as CSV with masked phones.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { runSegmentPass } from '../../server/admin/segments/pass';
import { DEFAULT_SEGMENT_RULES } from '../../server/admin/segments/rules';
import { PASS_ID, type PassDoc, SNAPSHOT_ID, type SnapshotDoc } from '../../server/admin/state';
import { getById, getDb } from '../../server/runtime/db';
import { platform } from '../../server/runtime/platform';
import type { SegmentRules } from '../../typings';
import { createTemplate } from '../coupons/support';
import { allOf, memberDoc } from '../members/support';
import { importOrders, type SampleOrder } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { adminTimer, customerJoins, staffedStore, type Staffed } from './support';

const t = useRuntime();

const order = (orderNo: string, phone: string, amount: string, paidAt: string): SampleOrder => ({ orderNo, phone, amount, paidAt, product: '明前龙井 250g' });

const ORDERS = [
  order('1000000000000001', '13900000001', '200.00', '2026-02-01 10:00:00'),
  order('1000000000000002', '13900000001', '200.00', '2026-02-20 10:00:00'),
  order('1000000000000003', '13900000001', '150.00', '2026-03-01 10:00:00'),
  order('2000000000000001', '13900000002', '128.50', '2026-02-25 10:00:00'),
  order('3000000000000001', '13900000003', '99.00', '2024-01-01 10:00:00'),
];

/**
 * Five customers on 2026-03-10: 重度 (three orders, 550 元, the last 9 days ago), 购买 (one order
 * 13 days ago), a buyer from 2024, a newcomer of today, and a follower who joined 60 days ago and
 * has done nothing since except redeem a coupon at the till (active, but no event of theirs).
 */
async function storeWithCustomers(): Promise<Staffed> {
  t.rt.clock.set('2026-01-09T02:00:00Z');
  const staff = await staffedStore(t);
  await customerJoins(t, 'follower-zhou', '13900000005', '周先生');
  t.rt.clock.set('2026-03-10T02:00:00Z');
  await importOrders(t, staff.owner, ORDERS);
  await customerJoins(t, 'heavy-wang', '13900000001', '王小姐');
  await customerJoins(t, 'buyer-li', '13900000002', '=李先生');
  await customerJoins(t, 'lapsed-zhao', '13900000003', '赵阿姨');
  await customerJoins(t, 'new-sun', '13900000004', '孙同学');
  for (const o of ORDERS) {
    const who = { '13900000001': 'heavy-wang', '13900000002': 'buyer-li', '13900000003': 'lapsed-zhao' }[o.phone]!;
    ok(await t.call(who, 'member', 'member.bindOrder', { orderNo: o.orderNo, phoneLast4: o.phone.slice(-4) }, rid('bind')));
  }
  const tpl = await createTemplate(t, staff.owner, { title: '到店礼', totalStock: null });
  const { coupon } = ok(await t.call('follower-zhou', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid('claim')));
  ok(await t.call(staff.clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 12000, orderRef: 'S-1' }, rid('redeem')));
  return staff;
}

const segmentsOf = async (openid: string) => (await memberDoc(openid))!.segments;
const snapshot = () => getById<SnapshotDoc>(COLLECTIONS.adminState, SNAPSHOT_ID);
const pass = () => getById<PassDoc>(COLLECTIONS.adminState, PASS_ID);

test('the timer places every member by the default rules and keeps the counts in one document', async () => {
  await storeWithCustomers();

  await adminTimer(t);

  expect(await segmentsOf('heavy-wang')).toEqual(['heavy', 'buyer']);
  expect(await segmentsOf('buyer-li')).toEqual(['buyer']);
  expect(await segmentsOf('lapsed-zhao')).toEqual(['buyer']); // 购买用户 by default: an order, any time
  expect(await segmentsOf('new-sun')).toEqual(['potential']);
  expect(await segmentsOf('follower-zhou')).toEqual(['follower']);
  expect((await snapshot())!.members).toMatchObject({
    members: 5,
    active: 3, // two recent orders and the redemption at the till
    buyers: 3,
    repeat: 1,
    orders: 5,
    spentFen: 55000 + 12850 + 9900,
    segments: { heavy: 1, buyer: 3, potential: 1, follower: 1 },
    activeDays: 30,
  });
});

test('recomputing changes no member when nothing changed, and counts the same', async () => {
  const { admin } = await storeWithCustomers();
  await adminTimer(t);
  const before = (await snapshot())!.members!;
  const docsBefore = await allOf<{ _id: string; segments: string[]; updatedAt: Date }>(COLLECTIONS.members);

  expect((await adminTimer(t)).upkeep).toMatchObject({ segments: { status: 'idle' } }); // done for today
  // Saving the same rules starts a fresh pass.
  ok(await t.call(admin, 'admin', 'segment.rules.set', DEFAULT_SEGMENT_RULES, rid('rules')));
  expect((await adminTimer(t)).upkeep).toMatchObject({ segments: { status: 'done', processed: 5, changed: 0 } });

  expect(await pass()).toMatchObject({ status: 'done', changed: 0, processed: 5 });
  expect((await snapshot())!.members).toEqual({ ...before, rulesVersion: 1 });
  expect(await allOf(COLLECTIONS.members)).toEqual(docsBefore);
});

test('new rules are audited and applied by the next run', async () => {
  const { admin, clerk } = await storeWithCustomers();
  await adminTimer(t);
  const looser: SegmentRules = { ...DEFAULT_SEGMENT_RULES, heavy: { minOrders: 1, minSpentFen: 10_000, withinDays: 30 } };

  const view = ok(await t.call(admin, 'admin', 'segment.rules.set', looser, rid('rules')));
  expect(view.rules).toEqual(looser);
  expect(view.recompute.rulesPending).toBe(true);
  expect(view.counts.find((c) => c.key === 'heavy')!.rule).toBe('购买用户中，近 30 天内下过单，累计 ≥1 单且累计消费 ≥100 元');
  const [entry] = ok(await t.call(admin, 'admin', 'audit.list', { target: 'settings/segmentRules' })).entries;
  expect(entry).toMatchObject({ actor: admin, actorName: `员工${admin}`, action: 'segment.rules.set', before: DEFAULT_SEGMENT_RULES, after: looser });

  await adminTimer(t);
  expect(await segmentsOf('buyer-li')).toEqual(['heavy', 'buyer']);
  expect(await segmentsOf('lapsed-zhao')).toEqual(['buyer']);
  const after = ok(await t.call(admin, 'admin', 'segment.overview', {}));
  expect(after.recompute).toMatchObject({ running: false, rulesPending: false });
  expect(after.counts.map((c) => [c.key, c.count])).toEqual([['heavy', 2], ['buyer', 3], ['potential', 1], ['follower', 1]]);

  expect(errorOf(await t.call(clerk, 'admin', 'segment.rules.set', looser, rid('rules'))).code).toBe('FORBIDDEN');
});

test('rules that contradict themselves are refused with the field to fix', async () => {
  const { admin } = await storeWithCustomers();
  const bad = { ...DEFAULT_SEGMENT_RULES, heavy: { minOrders: 1, minSpentFen: 0, withinDays: 30 }, buyer: { minOrders: 2, minSpentFen: 0, withinDays: null } };
  const err = errorOf(await t.call(admin, 'admin', 'segment.rules.set', bad, rid('rules')));
  expect(err.fields).toEqual([{ path: 'payload.heavy.minOrders', message: '重度用户的订单数不能低于购买用户' }]);
});

test('a member who joins after the recompute gets a first segment from the next timer run', async () => {
  await storeWithCustomers();
  await adminTimer(t);
  await customerJoins(t, 'late-qian', '13900000009', '钱女士');
  expect(await segmentsOf('late-qian')).toEqual([]);
  await adminTimer(t);
  expect(await memberDoc('late-qian')).toMatchObject({ segments: ['potential'], phoneLast4: '0009' });
});

test('a pass is resumable: pages across several runs count every member once', async () => {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const joinedAt = new Date('2026-03-01T00:00:00Z');
  const members = Array.from({ length: 450 }, (_, i) => ({
    _id: `bulk-${String(i).padStart(4, '0')}`,
    status: 'active',
    joinedAt,
    phoneMasked: '139****0000',
    stats: { orders: i % 3, spentFen: (i % 3) * 10_000, lastOrderAt: i % 3 ? new Date('2026-03-05T00:00:00Z') : null },
    segments: [],
    tags: i % 2 ? ['茶友'] : [],
  }));
  await getDb().collection(COLLECTIONS.members).add({ data: members });
  const now = new Date(t.rt.clock.now());

  // A deadline already past: one page per run.
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await runSegmentPass(now, performance.now() - 1));
  expect(runs.map((r) => [r.status, r.processed])).toEqual([['running', 200], ['running', 200], ['done', 50], ['idle', 0], ['idle', 0]]);
  expect((await snapshot())!.members).toMatchObject({
    members: 450,
    buyers: 300,
    repeat: 150,
    segments: { heavy: 0, buyer: 300, potential: 150, follower: 0 },
    tags: [{ name: '茶友', count: 225 }],
  });
});

test('the owner exports a segment as CSV with masked phones; admins may not', async () => {
  const { owner, admin } = await storeWithCustomers();
  await adminTimer(t);

  const requestId = rid('export');
  let job = ok(await t.call(owner, 'admin', 'segment.export.start', { segment: 'buyer' }, requestId));
  for (let i = 0; job.status === 'running' && i < 10; i++) job = ok(await t.call(owner, 'admin', 'segment.export.continue', { exportId: job.id }));
  expect(job).toMatchObject({ status: 'done', rows: 3, percent: 100, segmentLabel: '购买用户', fileName: '购买用户-2026-03-10.csv' });
  expect(job.fileUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/exports\/segments\//);

  const { fileId } = (await getById<{ fileId: string }>(COLLECTIONS.segmentExports, job.id))!;
  const csv = (await platform().readFile(fileId)).toString('utf8');
  expect(csv.startsWith('\ufeff会员编号,昵称,手机号（脱敏）,入会时间,来源,订单数,累计消费（元）,最近下单,积分,分层,标签,专属客服\r\n')).toBe(true);
  const lines = csv.trim().split('\r\n').slice(1).sort();
  expect(lines).toEqual([
    "buyer-li,'=李先生,139****0002,2026-03-10 10:00,直接进入,1,128.50,2026-02-25 10:00,128,购买用户,,",
    'heavy-wang,王小姐,139****0001,2026-03-10 10:00,直接进入,3,550.00,2026-03-01 10:00,550,重度用户、购买用户,,',
    'lapsed-zhao,赵阿姨,139****0003,2026-03-10 10:00,直接进入,1,99.00,2024-01-01 10:00,99,购买用户,,',
  ]);
  expect(csv).not.toMatch(/1390000000\d/);

  // A retried start (its answer lost) answers the same export.
  expect(ok(await t.call(owner, 'admin', 'segment.export.start', { segment: 'buyer' }, requestId)).id).toBe(job.id);
  expect(await allOf(COLLECTIONS.segmentExports)).toHaveLength(1);
  expect(errorOf(await t.call(admin, 'admin', 'segment.export.start', { segment: 'buyer' }, rid('export'))).code).toBe('FORBIDDEN');
});
