/** Binding an order from the parcel: confirmed by the phone's last four digits, one order one member, points once. */
import { COLLECTIONS } from '../../database/collections';
import type { LedgerEntry } from '../../server/members/points';
import type { OrderDoc } from '../../server/orders/model';
import { getById, getDb } from '../../server/runtime/db';
import { allOf, joinAs, memberDoc } from '../members/support';
import { errorOf, ok, rid, useRuntime, type TestRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { importOrders, type SampleOrder } from './support';

const t = useRuntime();

const TEA: SampleOrder = { orderNo: '3872000011112222333', phone: '13812348000', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井 250g' };
const CAKE: SampleOrder = { orderNo: '3872000011112222444', phone: '138****6666', amount: '258.00', paidAt: '2026-03-03 09:00:00', product: '白茶饼 357g' };

const bind = (t: TestRuntime, openid: string, orderNo: string, phoneLast4: string, requestId = rid('bind')) =>
  t.call(openid, 'member', 'member.bindOrder', { orderNo, phoneLast4 }, requestId);

async function ledgerMatchesBalance(openid: string): Promise<void> {
  const entries = await allOf<LedgerEntry>(COLLECTIONS.pointsLedger, { openid });
  const member = (await memberDoc(openid))!;
  expect(entries.reduce((s, e) => s + e.delta, 0)).toBe(member.points);
  const orders = await allOf<OrderDoc>(COLLECTIONS.orders, { boundTo: openid });
  expect(entries.map((e) => e.ref).sort()).toEqual(orders.map((o) => o._id).sort());
  expect(member.stats.orders).toBe(orders.length);
  expect(member.stats.spentFen).toBe(orders.reduce((s, o) => s + o.amountFen, 0));
}

beforeEach(async () => {
  const owner = await makeOwner(t);
  await importOrders(t, owner, [TEA, CAKE]);
  t.rt.clock.set('2026-03-10T02:00:00Z');
});

describe('binding an order', () => {
  it('the right last four digits bind the pasted order number: the member becomes a buyer with the amount, the date and the points', async () => {
    await joinAs(t, 'alice');
    const result = ok(await bind(t, 'alice', ` 订单编号：${TEA.orderNo} `, '8000'));
    expect(result).toMatchObject({
      newlyBound: true,
      pointsAdded: 128,
      points: 128,
      level: { rank: 0, name: '普通会员' },
      order: { platform: 'taobao', orderNo: TEA.orderNo, amountFen: 12850, paidAt: '2026-03-01T12:15:00.000Z', product: '明前龙井 250g', boundAt: '2026-03-10T02:00:00.000Z', points: 128 },
    });
    const home = ok(await t.call('alice', 'member', 'member.home', {})).member!;
    expect(home).toMatchObject({ points: 128, orders: 1, spentFen: 12850, isBuyer: true, nextLevel: { name: '银卡会员', needSpentFen: 30000 - 12850, needOrders: 1 } });
    expect((await memberDoc('alice'))!.segments).toEqual(['buyer']);
    expect(ok(await t.call('alice', 'member', 'member.orders', {})).orders.map((o) => o.orderNo)).toEqual([TEA.orderNo]);
    const ledger = ok(await t.call('alice', 'member', 'member.points', {}));
    expect(ledger).toMatchObject({ balance: 128, nextCursor: null, entries: [{ delta: 128, balanceAfter: 128, reason: `绑定订单 淘宝/天猫 ${TEA.orderNo}` }] });
    const [event] = await allOf<{ type: string; amountFen: number; ref: string }>(COLLECTIONS.events, { type: 'order_bind' });
    expect(event).toMatchObject({ openid: 'alice', amountFen: 12850, ref: `taobao:${TEA.orderNo}` });
    await ledgerMatchesBalance('alice');
  });

  it('a masked phone in the export (138****6666) still confirms by its last four digits, and two orders reach silver', async () => {
    await joinAs(t, 'bob');
    ok(await bind(t, 'bob', TEA.orderNo, '8000'));
    const second = ok(await bind(t, 'bob', CAKE.orderNo, '6666'));
    expect(second).toMatchObject({ points: 128 + 258, level: { rank: 1, name: '银卡会员' } });
    await ledgerMatchesBalance('bob');
  });

  it('wrong digits are refused with the attempts left; after ten failures a day even the right digits wait for tomorrow', async () => {
    await joinAs(t, 'carol');
    expect(errorOf(await bind(t, 'carol', TEA.orderNo, '1234'))).toMatchObject({ code: 'FORBIDDEN', message: '手机号后四位与订单不一致，今天还可以再试 9 次' });
    expect(errorOf(await bind(t, 'carol', '9999999999999', '8000'))).toMatchObject({ code: 'NOT_FOUND' });
    for (let i = 0; i < 8; i++) await bind(t, 'carol', `99999999999${i}0`, '8000');
    expect(errorOf(await bind(t, 'carol', TEA.orderNo, '8000'))).toMatchObject({ code: 'RATE_LIMITED', message: '今天核对失败的次数太多，请明天再试，或联系客服帮你绑定' });
    expect((await getById<OrderDoc>(COLLECTIONS.orders, `taobao:${TEA.orderNo}`))!.bindState).toBe('unbound');
    t.rt.clock.set('2026-03-11T02:00:00Z');
    expect(ok(await bind(t, 'carol', TEA.orderNo, '8000')).newlyBound).toBe(true);
  });

  it('an order guessed at five times in a day locks for the day, whoever guesses', async () => {
    for (let i = 0; i < 5; i++) {
      await joinAs(t, `guesser-${i}`);
      expect(errorOf(await bind(t, `guesser-${i}`, TEA.orderNo, `000${i}`)).code).toBe('FORBIDDEN');
    }
    await joinAs(t, 'owner-of-tea');
    expect(errorOf(await bind(t, 'owner-of-tea', TEA.orderNo, '8000'))).toMatchObject({ code: 'RATE_LIMITED', message: '这个订单今天核对失败的次数太多，请明天再试，或联系客服帮你绑定' });
    t.rt.clock.set('2026-03-11T02:00:00Z');
    expect(ok(await bind(t, 'owner-of-tea', TEA.orderNo, '8000')).newlyBound).toBe(true);
  });

  it('one order binds to one member: twenty members who know the digits bind it at once, one wins', async () => {
    const members = Array.from({ length: 20 }, (_, i) => `racer-${i}`);
    for (const m of members) await joinAs(t, m);
    const results = await Promise.all(members.map((m) => bind(t, m, TEA.orderNo, '8000')));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(Array(19).fill('ALREADY_USED'));
    const order = (await getById<OrderDoc>(COLLECTIONS.orders, `taobao:${TEA.orderNo}`))!;
    expect(order.bindState).toBe('bound');
    expect(await allOf(COLLECTIONS.pointsLedger)).toHaveLength(1);
    await ledgerMatchesBalance(order.boundTo!);
    expect(errorOf(await bind(t, 'racer-x', TEA.orderNo, '8000')).code).toBe('NOT_FOUND');
  });

  it('the same member binding the same order 20 times at once, and retrying later, is credited once', async () => {
    await joinAs(t, 'dave');
    const requestId = rid();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => bind(t, 'dave', TEA.orderNo, '8000', i % 2 ? requestId : rid())));
    expect(results.map((r) => ok(r).points)).toEqual(Array(20).fill(128));
    expect(results.filter((r) => ok(r).newlyBound)).toHaveLength(1);
    expect(ok(await bind(t, 'dave', TEA.orderNo, '8000', requestId))).toMatchObject({ newlyBound: false, pointsAdded: 0, points: 128 });
    await ledgerMatchesBalance('dave');
    expect(await allOf(COLLECTIONS.events, { type: 'order_bind' })).toHaveLength(1);
  });

  it('a bind interrupted between claiming the order and crediting it is finished by the retry, once', async () => {
    await joinAs(t, 'erin');
    // The crash: the order is claimed for erin, the points transaction never ran.
    await getDb()
      .collection(COLLECTIONS.orders)
      .doc(`taobao:${TEA.orderNo}`)
      .update({ data: { bindState: 'binding', boundTo: 'erin', boundAt: new Date('2026-03-10T02:00:00Z') } });
    expect((await memberDoc('erin'))!.points).toBe(0);
    const retried = await Promise.all([bind(t, 'erin', TEA.orderNo, '8000'), bind(t, 'erin', TEA.orderNo, '8000')]);
    expect(retried.filter((r) => ok(r).newlyBound)).toHaveLength(1);
    await ledgerMatchesBalance('erin');
    expect((await memberDoc('erin'))!.points).toBe(128);
  });

  it('a member who never comes back has the interrupted bind finished by the timer, once however often it runs', async () => {
    await joinAs(t, 'frank');
    await getDb()
      .collection(COLLECTIONS.orders)
      .doc(`taobao:${CAKE.orderNo}`)
      .update({ data: { bindState: 'binding', boundTo: 'frank', boundAt: new Date('2026-03-10T02:00:00Z') } });
    expect(await t.rt.fireTimer('member', 'foldEvents')).toMatchObject({ ok: true, data: { repaired: 0 } });
    t.rt.clock.advance(3 * 60_000);
    const runs = await Promise.all([t.rt.fireTimer('member', 'foldEvents'), t.rt.fireTimer('member', 'foldEvents')]);
    expect(runs.map((r) => (r as { data: { repaired: number } }).data.repaired).sort()).toEqual([0, 1]);
    expect(await t.rt.fireTimer('member', 'foldEvents')).toMatchObject({ data: { repaired: 0 } });
    expect((await memberDoc('frank'))!.points).toBe(258);
    await ledgerMatchesBalance('frank');
  });

  it('someone not yet a member is asked to join first, and bad input writes nothing', async () => {
    expect(errorOf(await bind(t, 'stranger', TEA.orderNo, '8000'))).toMatchObject({ code: 'NOT_FOUND', message: '请先加入会员，再绑定订单' });
    await joinAs(t, 'gina');
    const error = errorOf(await t.call('gina', 'member', 'member.bindOrder', { orderNo: '', phoneLast4: '80' }, rid()));
    expect(error.fields?.map((f) => f.path).sort()).toEqual(['payload.orderNo', 'payload.phoneLast4']);
    expect(errorOf(await bind(t, 'gina', '订单#123', '8000')).fields?.[0].path).toBe('payload.orderNo');
    expect((await memberDoc('gina'))!.bindGuard).toBeNull();
  });
});

describe('levels and points rules', () => {
  it('the merchant sets the levels; members are placed by them at once', async () => {
    const owner = 'owner-1';
    await joinAs(t, 'kim');
    ok(await bind(t, 'kim', TEA.orderNo, '8000'));
    const rules = { levels: [{ name: '新朋友', minSpentFen: 0, minOrders: 0 }, { name: '老朋友', minSpentFen: 10000, minOrders: 1 }], pointsPerYuan: 2 };
    expect(ok(await t.call(owner, 'admin', 'member.levels.set', rules, rid()))).toEqual(rules);
    expect(ok(await t.call('kim', 'member', 'member.home', {})).member).toMatchObject({ level: { rank: 1, name: '老朋友' }, nextLevel: null });
    expect(ok(await bind(t, 'kim', CAKE.orderNo, '6666')).pointsAdded).toBe(516);
    await ledgerMatchesBalance('kim');

    const bad = errorOf(
      await t.call(owner, 'admin', 'member.levels.set', { levels: [{ name: '甲', minSpentFen: 100, minOrders: 0 }, { name: '甲', minSpentFen: 50, minOrders: 0 }], pointsPerYuan: 1 }, rid()),
    );
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(['payload.levels.0', 'payload.levels.1', 'payload.levels.1.name']);
  });
});
