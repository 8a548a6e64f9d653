/**
 * 潜力买家: the admin timer rolls the imported orders up by buyer phone, leaves out members (by their
 * phone, or by an order they bound), and the list ranks the rest by spend, orders and recency under
 * the merchant's thresholds; the owner exports the ranking as CSV with masked phones.
 */
import { COLLECTIONS } from '../../database/collections';
import type { ProspectExportDoc } from '../../server/admin/prospects/export';
import { PROSPECT_PASS_ID, type ProspectPassDoc } from '../../server/admin/prospects/rollup';
import { getById, getDb } from '../../server/runtime/db';
import { platform } from '../../server/runtime/platform';
import type { ProspectsView } from '../../typings';
import { allOf } from '../members/support';
import { importOrders, type SampleOrder } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { adminTimer, customerJoins, staffedStore, type Staffed } from './support';

const t = useRuntime();

let serial = 0;
const order = (phone: string, amount: string, paidAt: string): SampleOrder => ({
  orderNo: `88${String(++serial).padStart(14, '0')}`,
  phone,
  amount,
  paidAt,
  product: '明前龙井 250g',
});

const BIG = '13900000001'; // three orders, 600 元, recent
const TWIN_A = '13900000002'; // two orders, 300 元, last on 03-01
const TWIN_B = '13900000003'; // the same spend and count, last on 03-05: ranks above TWIN_A
const ONE_BIG = '13900000004'; // one order of 1000 元: below the two-order default
const OLD = '13900000005'; // two orders, 500 元, in 2024
const MEMBER = '13900000006'; // joined with this phone (binds nothing)
const FAMILY = '13900000007'; // their order was bound by a member with another phone
const SMALL = '13900000008'; // two orders, 60 元

function orders(): SampleOrder[] {
  serial = 0;
  return [
    order(BIG, '200.00', '2026-02-01 10:00:00'),
    order(BIG, '250.00', '2026-02-20 10:00:00'),
    order(BIG, '150.00', '2026-03-08 10:00:00'),
    order(TWIN_A, '100.00', '2026-01-10 10:00:00'),
    order(TWIN_A, '200.00', '2026-03-01 10:00:00'),
    order(TWIN_B, '150.00', '2026-02-10 10:00:00'),
    order(TWIN_B, '150.00', '2026-03-05 10:00:00'),
    order(ONE_BIG, '1000.00', '2026-03-02 10:00:00'),
    order(OLD, '250.00', '2024-05-01 10:00:00'),
    order(OLD, '250.00', '2024-06-01 10:00:00'),
    order(MEMBER, '300.00', '2026-02-01 10:00:00'),
    order(MEMBER, '300.00', '2026-03-01 10:00:00'),
    order(FAMILY, '400.00', '2026-02-01 10:00:00'),
    order(FAMILY, '400.00', '2026-03-01 10:00:00'),
    order(SMALL, '30.00', '2026-02-01 10:00:00'),
    order(SMALL, '30.00', '2026-03-01 10:00:00'),
  ];
}

async function storeWithBuyers(): Promise<Staffed> {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const staff = await staffedStore(t);
  const all = orders();
  await importOrders(t, staff.owner, all);
  await customerJoins(t, 'member-ma', MEMBER, '马女士');
  await customerJoins(t, 'member-he', '13800000099', '何先生');
  const familyOrder = all.find((o) => o.phone === FAMILY)!;
  ok(await t.call('member-he', 'member', 'member.bindOrder', { orderNo: familyOrder.orderNo, phoneLast4: FAMILY.slice(-4) }, rid('bind')));
  await adminTimer(t);
  return staff;
}

const phones = (view: ProspectsView) => view.rows.map((r) => r.phoneMasked);
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

test('the best buyers who are not members, ranked by spend, then orders, then the latest order', async () => {
  const { admin } = await storeWithBuyers();

  const view = ok(await t.call(admin, 'admin', 'prospect.list', {}));
  expect(view.filter).toEqual({ minSpentFen: 20000, minOrders: 2, withinDays: null, sort: 'spent' });
  expect(phones(view)).toEqual([BIG, OLD, TWIN_B, TWIN_A].map(masked));
  expect(view.total).toBe(4);
  expect(view.nextOffset).toBeNull();
  expect(view.rows[0]).toMatchObject({
    rank: 1,
    orders: 3,
    spentFen: 60000,
    firstOrderAt: '2026-02-01T02:00:00.000Z',
    lastOrderAt: '2026-03-08T02:00:00.000Z',
    platforms: ['taobao'],
    lastOrderNo: '8800000000000003',
  });
  expect(view.refresh).toMatchObject({ running: false, buyers: 8, prospects: 6, orders: 16, ordersWithoutPhone: 0 });
  expect(JSON.stringify(view)).not.toMatch(/139\d{8}/);

  // Tunable: one order is enough, 250 元 or more, last order within 90 days.
  const looser = ok(await t.call(admin, 'admin', 'prospect.list', { minOrders: 1, minSpentFen: 25000, withinDays: 90 }));
  expect(phones(looser)).toEqual([ONE_BIG, BIG, TWIN_B, TWIN_A].map(masked));
  // By order count (ties by spend), and by the latest order.
  expect(phones(ok(await t.call(admin, 'admin', 'prospect.list', { minOrders: 2, minSpentFen: 0, sort: 'orders' })))).toEqual([BIG, OLD, TWIN_B, TWIN_A, SMALL].map(masked));
  expect(phones(ok(await t.call(admin, 'admin', 'prospect.list', { minSpentFen: 0, sort: 'recent' })))).toEqual([BIG, TWIN_B, TWIN_A, SMALL, OLD].map(masked));
});

test('equal buyers keep one order across pages; a buyer who joins since the refresh is left out, then dropped', async () => {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const { owner, admin } = await staffedStore(t);
  // 25 buyers alike in everything: only the stable buyer key tells them apart.
  const alike = Array.from({ length: 25 }, (_, i) => `1370000${String(i).padStart(4, '0')}`);
  serial = 0;
  await importOrders(t, owner, alike.flatMap((p) => [order(p, '100.00', '2026-03-01 10:00:00'), order(p, '100.00', '2026-03-02 10:00:00')]));
  await adminTimer(t);

  const first = ok(await t.call(admin, 'admin', 'prospect.list', {}));
  expect(first.rows).toHaveLength(20);
  expect(first.nextOffset).toBe(20);
  const second = ok(await t.call(admin, 'admin', 'prospect.list', { offset: 20 }));
  expect(second.rows.map((r) => r.rank)).toEqual([21, 22, 23, 24, 25]);
  const keys = [...first.rows, ...second.rows].map((r) => r.key);
  expect(new Set(keys).size).toBe(25);
  expect(ok(await t.call(admin, 'admin', 'prospect.list', {})).rows.map((r) => r.key)).toEqual(first.rows.map((r) => r.key));

  // One of the first page joins: the page leaves them out at once...
  const joiner = alike.find((p) => masked(p) === first.rows[0].phoneMasked)!;
  await customerJoins(t, 'joiner', joiner, '新会员');
  const after = ok(await t.call(admin, 'admin', 'prospect.list', {}));
  expect(after.joinedSince).toBe(1);
  expect(after.rows.map((r) => r.key)).toEqual(first.rows.slice(1).map((r) => r.key));
  // ...and a refresh takes them out of the rollup.
  expect(ok(await t.call(admin, 'admin', 'prospect.refresh', {}, rid('refresh')))).toMatchObject({ running: false, prospects: 24 });
  expect(ok(await t.call(admin, 'admin', 'prospect.list', {})).total).toBe(24);
});

test('the rollup is rebuilt after an import and writes only buyers who changed', async () => {
  const { owner, admin } = await storeWithBuyers();
  const before = await allOf<{ _id: string; phoneMasked: string }>(COLLECTIONS.prospects);
  expect(before).toHaveLength(6);
  const passStarted = (await getById<ProspectPassDoc>(COLLECTIONS.adminState, PROSPECT_PASS_ID))!.startedAt;

  // The same day, nothing new: the timer does not start another pass.
  await adminTimer(t);
  expect((await getById<ProspectPassDoc>(COLLECTIONS.adminState, PROSPECT_PASS_ID))!.startedAt).toEqual(passStarted);
  // A mark on an unchanged buyer's rollup shows whether the next pass rewrote it.
  const big = before.find((d) => d.phoneMasked === masked(BIG))!;
  await getDb().collection(COLLECTIONS.prospects).doc(big._id).update({ data: { untouched: true } });
  // A new order of TWIN_A lands by import: the timer refreshes, TWIN_A moves up.
  t.rt.clock.set('2026-03-10T04:00:00Z');
  await importOrders(t, owner, [{ orderNo: '9900000000000001', phone: TWIN_A, amount: '500.00', paidAt: '2026-03-09 10:00:00', product: '白茶' }]);
  await adminTimer(t);
  const view = ok(await t.call(admin, 'admin', 'prospect.list', {}));
  expect(phones(view)).toEqual([TWIN_A, BIG, OLD, TWIN_B].map(masked));
  expect(view.rows[0]).toMatchObject({ orders: 3, spentFen: 80000, lastOrderNo: '9900000000000001' });
  expect(await getById(COLLECTIONS.prospects, big._id)).toMatchObject({ untouched: true });
});

test('pages of a thousand orders never split a buyer, even one with more orders than a page', async () => {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const { owner, admin } = await staffedStore(t);
  serial = 0;
  const many = Array.from({ length: 1100 }, (_, i) => order('13600000000', '10.00', `2026-0${1 + (i % 2)}-0${1 + (i % 9)} 10:00:00`));
  const single = Array.from({ length: 1200 }, (_, i) => order(`1350000${String(i).padStart(4, '0')}`, '50.00', '2026-03-01 10:00:00'));
  const pairs = Array.from({ length: 300 }, (_, i) => `1340000${String(i).padStart(4, '0')}`).flatMap((p) => [order(p, '20.00', '2026-03-01 10:00:00'), order(p, '30.00', '2026-03-02 10:00:00')]);
  await importOrders(t, owner, [...many, ...single, ...pairs]);
  await adminTimer(t);

  const view = ok(await t.call(admin, 'admin', 'prospect.list', { minSpentFen: 0, minOrders: 2 }));
  expect(view.total).toBe(301);
  expect(view.rows[0]).toMatchObject({ phoneMasked: '136****0000', orders: 1100, spentFen: 1100000 });
  expect(view.rows.slice(1).every((r) => r.orders === 2 && r.spentFen === 5000)).toBe(true);
  expect(view.refresh).toMatchObject({ buyers: 1501, prospects: 1501, orders: 1100 + 1200 + 600 });
});

test('bad thresholds are refused; clerks and customers do not reach the list, only the owner exports', async () => {
  const { owner, admin, clerk } = await storeWithBuyers();
  for (const bad of [{ minOrders: 0 }, { minSpentFen: -1 }, { withinDays: 0 }, { sort: 'name' }, { offset: 5000 }, { minOrders: 1.5 }, { extra: 1 }]) {
    expect(errorOf(await t.call(admin, 'admin', 'prospect.list', bad as never)).code).toBe('INVALID_INPUT');
  }
  expect(errorOf(await t.call(owner, 'admin', 'prospect.export.start', { minOrders: 0 }, rid('x'))).code).toBe('INVALID_INPUT');
  expect(await allOf(COLLECTIONS.prospectExports)).toEqual([]);
  expect(errorOf(await t.call(clerk, 'admin', 'prospect.list', {})).code).toBe('FORBIDDEN');
  expect(errorOf(await t.call('customer-wang', 'admin', 'prospect.list', {})).code).toBe('FORBIDDEN');
  expect(errorOf(await t.call(admin, 'admin', 'prospect.export.start', {}, rid('x'))).code).toBe('FORBIDDEN');
});

test('the owner exports the ranking as CSV with masked phones, in steps, retried safely and audited', async () => {
  const { owner } = await storeWithBuyers();
  const requestId = rid('export');
  let job = ok(await t.call(owner, 'admin', 'prospect.export.start', { minSpentFen: 0 }, requestId));
  for (let i = 0; job.status === 'running' && i < 10; i++) job = ok(await t.call(owner, 'admin', 'prospect.export.continue', { exportId: job.id }));
  expect(job).toMatchObject({ status: 'done', rows: 5, percent: 100, fileName: '潜力买家-2026-03-10.csv' });
  expect(job.fileUrl).toMatch(/\/storage\/exports\/prospects\//);

  const { fileId } = (await getById<ProspectExportDoc>(COLLECTIONS.prospectExports, job.id))!;
  const csv = (await platform().readFile(fileId!)).toString('utf8');
  expect(csv.split('\r\n')).toEqual([
    '\ufeff排名,手机号（脱敏）,订单数,累计消费（元）,首次下单,最近下单,平台,最近订单号',
    '1,139****0001,3,600.00,2026-02-01 10:00,2026-03-08 10:00,淘宝,8800000000000003',
    '2,139****0005,2,500.00,2024-05-01 10:00,2024-06-01 10:00,淘宝,8800000000000010',
    '3,139****0003,2,300.00,2026-02-10 10:00,2026-03-05 10:00,淘宝,8800000000000007',
    '4,139****0002,2,300.00,2026-01-10 10:00,2026-03-01 10:00,淘宝,8800000000000005',
    '5,139****0008,2,60.00,2026-02-01 10:00,2026-03-01 10:00,淘宝,8800000000000016',
    '',
  ]);
  expect(csv).not.toMatch(/139\d{8}/);

  expect(ok(await t.call(owner, 'admin', 'prospect.export.start', { minSpentFen: 0 }, requestId)).id).toBe(job.id);
  expect(await allOf(COLLECTIONS.prospectExports)).toHaveLength(1);
  const audits = await allOf<{ action: string; actor: string }>(COLLECTIONS.auditLog, { action: 'prospect.export.start' });
  expect(audits).toMatchObject([{ actor: owner }]);
});
