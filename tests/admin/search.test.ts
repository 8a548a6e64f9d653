/**
 * Staff find a member by the last four digits of the phone, the whole number, an order number or
 * the start of the nickname; they see the number masked, never whole.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { backfillNicknameKeys } from '../../server/admin/nickname-keys';
import { getDb } from '../../server/runtime/db';
import { importOrders } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { adminTimer, customerJoins, staffedStore } from './support';

const t = useRuntime();

async function find(staff: string, by: 'phone' | 'orderNo' | 'nickname', q: string) {
  return ok(await t.call(staff, 'admin', 'member.find', { by, q }));
}

const names = (r: { members: { nickname: string }[] }) => r.members.map((m) => m.nickname);

beforeEach(() => t.rt.clock.set('2026-03-10T02:00:00Z'));

test('a clerk finds a member by the last four digits, before and after the timer indexes them', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-wang', '13912348000', '王小姐');
  t.rt.clock.set('2026-03-10T03:00:00Z');
  await customerJoins(t, 'c-li', '13700008000', '李先生');
  await customerJoins(t, 'c-zhao', '13600001234', '赵阿姨');

  // Joined a moment ago: not indexed yet, found through the masked number.
  expect(names(await find(clerk, 'phone', '8000')).sort()).toEqual(['李先生', '王小姐']);

  await adminTimer(t);
  const { data } = await getDb().collection(COLLECTIONS.members).where({ phoneLast4: '8000' }).get();
  expect(data).toHaveLength(2);

  const found = await find(clerk, 'phone', '8000');
  expect(names(found)).toEqual(['李先生', '王小姐']); // newest first
  expect(found.members.map((m) => m.phoneMasked).sort()).toEqual(['137****8000', '139****8000']);
  expect(JSON.stringify(found)).not.toMatch(/13912348000|13700008000/);
  expect(names(await find(clerk, 'phone', '1234'))).toEqual(['赵阿姨']);
  expect((await find(clerk, 'phone', '5555')).members).toEqual([]);
});

test('a whole number finds exactly that member', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-wang', '13912348000', '王小姐');
  await customerJoins(t, 'c-li', '13700008000', '李先生');
  expect(names(await find(clerk, 'phone', '13700008000'))).toEqual(['李先生']);
});

test('an order number finds the member who bound it, and says so when nobody has', async () => {
  const { owner, clerk } = await staffedStore(t);
  await importOrders(t, owner, [
    { orderNo: '3872000011112222333', phone: '13912348000', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井' },
    { orderNo: '3872000011119999999', phone: '13800001111', amount: '58.00', paidAt: '2026-03-02 09:00:00', product: '白茶' },
  ]);
  await customerJoins(t, 'c-wang', '13912348000', '王小姐');
  ok(await t.call('c-wang', 'member', 'member.bindOrder', { orderNo: '3872000011112222333', phoneLast4: '8000' }, rid()));

  const bound = await find(clerk, 'orderNo', '3872000011112222333');
  expect(names(bound)).toEqual(['王小姐']);
  expect(bound.members[0]).toMatchObject({ orders: 1, spentFen: 12850 });
  expect(await find(clerk, 'orderNo', '3872000011119999999')).toEqual({ members: [], note: '订单已导入，但还没有会员绑定' });
  expect(await find(clerk, 'orderNo', '999999999')).toEqual({ members: [], note: '没有找到这个订单号，请确认订单已导入' });
});

test('the start of a nickname finds the members whose nickname starts with it, in order', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-1', '13900000001', '小王');
  await customerJoins(t, 'c-2', '13900000002', '小王子');
  await customerJoins(t, 'c-3', '13900000003', '王小王');
  await customerJoins(t, 'c-4', '13900000004', 'Tea爱好者');
  await customerJoins(t, 'c-5', '13900000005', '小王😀');

  expect(names(await find(clerk, 'nickname', '小王'))).toEqual(['小王', '小王子', '小王😀']);
  expect(names(await find(clerk, 'nickname', '王'))).toEqual(['王小王']);
  expect(names(await find(clerk, 'nickname', 'Tea'))).toEqual(['Tea爱好者']);
  expect(names(await find(clerk, 'nickname', '小王😀'))).toEqual(['小王😀']);
});

test('latin letters in a nickname match whatever their case; Chinese prefixes still work', async () => {
  const { clerk } = await staffedStore(t);
  for (const [i, nickname] of ['Tea爱好者', 'TEA time', 'teaLover', 'Tom', '茶Tea'].entries()) await customerJoins(t, `c-${i}`, `1390000000${i}`, nickname);

  for (const q of ['tea', 'TEA', 'Tea', 'tEa']) expect(names(await find(clerk, 'nickname', q))).toEqual(['TEA time', 'teaLover', 'Tea爱好者']);
  expect(names(await find(clerk, 'nickname', 'TEAL'))).toEqual(['teaLover']);
  expect(names(await find(clerk, 'nickname', '茶t'))).toEqual(['茶Tea']);
  expect(names(await find(clerk, 'nickname', 't'))).toEqual(['TEA time', 'teaLover', 'Tea爱好者', 'Tom']);
});

test('a member who renames themselves is found by the new name, in any case, and not by the old one', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-1', '13900000001', '小王');
  ok(await t.call('c-1', 'member', 'member.profile.update', { nickname: 'Amy王' }, rid('rename')));
  expect(names(await find(clerk, 'nickname', 'amy'))).toEqual(['Amy王']);
  expect(names(await find(clerk, 'nickname', 'AMY王'))).toEqual(['Amy王']);
  expect((await find(clerk, 'nickname', '小王')).members).toEqual([]);
});

test('a member who deleted their account is not found', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-wang', '13912348000', 'Wang王小姐');
  await adminTimer(t);
  ok(await t.call('c-wang', 'member', 'member.delete', { confirm: true }, rid()));
  expect((await find(clerk, 'phone', '8000')).members).toEqual([]);
  expect((await find(clerk, 'nickname', 'wang')).members).toEqual([]);
  expect(await getDb().collection(COLLECTIONS.members).where({ nicknameKey: 'wang王小姐' }).count()).toMatchObject({ total: 0 });
});

test('members from before the search key are found once the admin timer has given them theirs, in bounded pages', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-1', '13900000001', 'Amy');
  await customerJoins(t, 'c-2', '13900000002', '小王');
  const db = getDb();
  const _ = db.command;
  // As they were stored before the key existed, with many more like them.
  await db.collection(COLLECTIONS.members).where({ _id: _.in(['c-1', 'c-2']) }).update({ data: { nicknameKey: _.remove() } });
  for (let i = 0; i < 520; i++) {
    await db.collection(COLLECTIONS.members).add({ data: { _id: `old-${String(i).padStart(4, '0')}`, status: 'active', nickname: `Old${i}`, joinedAt: new Date('2025-01-01T00:00:00Z') } });
  }
  expect((await find(clerk, 'nickname', 'amy')).members).toEqual([]);

  // A run whose budget is spent still takes one page; the next goes on from its cursor.
  const spent = performance.now() - 1;
  const now = new Date(t.rt.clock.now());
  expect(await backfillNicknameKeys(now, spent)).toEqual({ members: 500, done: false });
  expect(await backfillNicknameKeys(now, spent)).toEqual({ members: 22, done: true });
  expect(await backfillNicknameKeys(now, spent)).toEqual({ members: 0, done: true });

  expect(names(await find(clerk, 'nickname', 'amy'))).toEqual(['Amy']);
  expect(names(await find(clerk, 'nickname', '小王'))).toEqual(['小王']);
  expect(await db.collection(COLLECTIONS.members).where({ nicknameKey: _.gte('old51').and(_.lt('old52')) }).count()).toMatchObject({ total: 11 });
});

test('the admin timer backfills the key as part of its upkeep', async () => {
  const { clerk } = await staffedStore(t);
  await customerJoins(t, 'c-1', '13900000001', 'Amy');
  const _ = getDb().command;
  await getDb().collection(COLLECTIONS.members).doc('c-1').update({ data: { nicknameKey: _.remove() } });
  expect((await adminTimer(t)).upkeep).toMatchObject({ nicknameKeys: { members: 1, done: true } });
  expect(names(await find(clerk, 'nickname', 'AMY'))).toEqual(['Amy']);
});

test('a search that is not a phone suffix or number is refused with the reason', async () => {
  const { clerk } = await staffedStore(t);
  const err = errorOf(await t.call(clerk, 'admin', 'member.find', { by: 'phone', q: '12' }));
  expect(err).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.q', message: '请输入手机号后 4 位或完整的 11 位手机号' }] });
  expect(errorOf(await t.call('a-customer', 'admin', 'member.find', { by: 'phone', q: '8000' })).code).toBe('FORBIDDEN');
});
