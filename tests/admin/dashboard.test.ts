/**
 * The dashboard reads only the day counters (plus the not yet folded tail and one snapshot
 * document), and its figures equal a recount from the raw events after a scripted day of traffic:
 * with part of the day folded and part still in the tail, and after a fold that stopped between
 * writing a day and moving its cursor.
 */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { dashboardOf } from '../../server/admin/dashboard/figures';
import { CURSOR_ID, foldEvents } from '../../server/events/fold';
import { appendEvents, type EventDoc, type EventInput } from '../../server/events/log';
import { getDb } from '../../server/runtime/db';
import type { CardBatchView, Dashboard, DashboardRange } from '../../typings';
import { batchInput, sceneOf } from '../cards/support';
import { createTemplate } from '../coupons/support';
import { allOf, joinRequest } from '../members/support';
import { importOrders } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { adminTimer, foldTimer, staffedStore, type Staffed } from './support';

const t = useRuntime();

async function readyBatch(owner: string, input: Parameters<typeof batchInput>[1]): Promise<CardBatchView> {
  let batch = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, input), rid('batch')));
  for (let i = 0; batch.status === 'preparing' && i < 10; i++) batch = ok(await t.call(owner, 'card', 'card.batch.prepare', { batchId: batch.id }));
  return batch;
}

const at = (hhmm: string) => t.rt.clock.set(`2026-03-10T${hhmm}:00+08:00`);

/**
 * 2026-03-10 in a tea shop: two card batches (Taobao, served by the clerk; JD, by the admin),
 * scans through the day, some of them joining, orders bound, a forged code, a campaign coupon
 * claimed and a card coupon redeemed at the till. Invite and group-buy events are appended directly,
 * as those areas append them.
 */
async function scriptedDay(history: () => Promise<void> = async () => undefined): Promise<{ staff: Staffed; tb: CardBatchView; jd: CardBatchView }> {
  at('08:00');
  await history();
  const staff = await staffedStore(t);
  const template = await createTemplate(t, staff.owner, { title: '老客回购券', totalStock: null });
  const campaign = await createTemplate(t, staff.owner, { title: '到店满减券', totalStock: 50 });
  const tb = await readyBatch(staff.owner, { channel: 'taobao', quantity: 40, templateId: template.id, ownerStaffId: staff.clerk });
  const jd = await readyBatch(staff.owner, { channel: 'jd', product: '白茶饼 357g', quantity: 20, templateId: template.id, ownerStaffId: staff.admin });
  await importOrders(t, staff.owner, [
    { orderNo: '5000000000000001', phone: '13900000001', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井' },
    { orderNo: '5000000000000002', phone: '13900000001', amount: '258.00', paidAt: '2026-03-05 09:00:00', product: '白茶饼' },
    { orderNo: '5000000000000003', phone: '13900000003', amount: '99.00', paidAt: '2026-03-09 12:00:00', product: '明前龙井' },
  ]);
  await adminTimer(t); // labels: batch names and sizes for the dashboard

  const visit = async (who: string, batch: CardBatchView, serial: number, join: boolean, phone: string) => {
    const scene = await sceneOf(batch.id, serial);
    ok(await t.call(who, 'card', 'card.scan', { scene }));
    if (join) ok(await t.call(who, 'member', 'member.join', joinRequest({ scene, phoneCode: `dev:${phone}` }), rid('join')));
  };
  at('09:12');
  await visit('c-1', tb, 1, true, '13900000001');
  await visit('c-2', tb, 2, false, '13900000002');
  at('10:40');
  await visit('c-3', tb, 3, true, '13900000003');
  await visit('c-4', jd, 1, true, '13900000004');
  await visit('c-2', tb, 2, false, '13900000002'); // scans again, still does not join
  ok(await t.call('c-9', 'card', 'card.scan', { scene: 'forged-scene-0000000000000000000' }));
  at('11:05');
  ok(await t.call('c-1', 'member', 'member.bindOrder', { orderNo: '5000000000000001', phoneLast4: '0001' }, rid('bind')));
  // A campaign coupon claimed, and c-1's card coupon redeemed at the till by the clerk: counted
  // from the coupons themselves by the member timer.
  ok(await t.call('c-4', 'coupon', 'coupon.claim', { templateId: campaign.id }, rid('claim')));
  const [cardCoupon] = ok(await t.call('c-1', 'coupon', 'coupon.mine', { state: 'available' })).coupons;
  ok(await t.call(staff.clerk, 'coupon', 'coupon.redeem', { code: cardCoupon.code, orderAmountFen: 12000, orderRef: 'TILL-0001' }, rid('redeem')));
  await appendEvents(
    [
      { type: 'invite_open', openid: 'c-5', channel: 'invite', ref: 'code-1' },
      { type: 'group_open', openid: 'c-1', ref: 'g-1' },
      { type: 'group_complete', openid: 'c-1', ref: 'g-1' },
    ],
    new Date(t.rt.clock.now()),
  );

  at('12:00');
  await foldTimer(t); // the morning is folded; what follows stays in the tail

  at('14:30');
  await visit('c-6', jd, 2, true, '13900000006');
  ok(await t.call('c-1', 'member', 'member.bindOrder', { orderNo: '5000000000000002', phoneLast4: '0001' }, rid('bind')));
  ok(await t.call('c-3', 'member', 'member.bindOrder', { orderNo: '5000000000000003', phoneLast4: '0003' }, rid('bind')));
  await appendEvents(
    [
      { type: 'invite_signup', openid: 'c-6', channel: 'invite', ref: 'camp:c-1' },
      { type: 'group_open', openid: 'c-3', ref: 'g-2' },
      { type: 'group_fail', openid: 'c-3', ref: 'g-2' },
    ],
    new Date(t.rt.clock.now()),
  );
  at('14:31');
  return { staff, tb, jd };
}

/** The dashboard's counted figures, counted again from every raw event of the range. */
function recount(events: EventDoc[], days: string[]) {
  const inRange = events.filter((e) => days.includes(e.day));
  const count = (type: string, where: (e: EventDoc) => boolean = () => true) => inRange.filter((e) => e.type === type && where(e)).length;
  const money = (type: string, where: (e: EventDoc) => boolean = () => true) => inRange.filter((e) => e.type === type && where(e)).reduce((s, e) => s + (e.amountFen ?? 0), 0);
  const keys = (field: 'batchId' | 'channel' | 'staffId') => [...new Set(inRange.map((e) => e[field]).filter((k): k is string => !!k))];
  const claims = (where?: (e: EventDoc) => boolean) => count('card_claim', where) + count('coupon_claim', where);
  return {
    funnel: { scans: count('card_scan'), signups: count('member_signup'), claims: claims(), redeemed: count('coupon_redeem'), orders: count('order_bind'), orderFen: money('order_bind') },
    batches: Object.fromEntries(keys('batchId').map((b) => [b, [count('card_scan', (e) => e.batchId === b), count('member_signup', (e) => e.batchId === b), claims((e) => e.batchId === b)]])),
    channels: Object.fromEntries(keys('channel').filter((c) => c !== 'invite').map((c) => [c, [count('card_scan', (e) => e.channel === c), count('member_signup', (e) => e.channel === c)]])),
    staff: Object.fromEntries(
      keys('staffId').map((s) => [s, [count('member_signup', (e) => e.staffId === s), claims((e) => e.staffId === s), count('order_bind', (e) => e.staffId === s), money('order_bind', (e) => e.staffId === s), count('coupon_redeem', (e) => e.staffId === s)]]),
    ),
    series: days.map((day) => [day, inRange.filter((e) => e.day === day && e.type === 'card_scan').length, inRange.filter((e) => e.day === day && e.type === 'member_signup').length]),
    growth: { invitedSignups: count('invite_signup'), inviteOpens: count('invite_open'), groupsOpened: count('group_open'), groupsCompleted: count('group_complete'), groupsFailed: count('group_fail') },
  };
}

function shown(d: Dashboard) {
  return {
    funnel: d.funnel,
    batches: Object.fromEntries(d.batches.map((r) => [r.key, [r.scans, r.signups, r.claims]])),
    channels: Object.fromEntries(d.channels.map((r) => [r.key, [r.scans, r.signups]])),
    staff: Object.fromEntries(d.staff.map((s) => [s.staffId, [s.signups, s.claims, s.orders, s.orderFen, s.redeemed]])),
    series: d.series.map((p) => [p.day, p.scans, p.signups]),
    growth: { invitedSignups: d.growth.invitedSignups, inviteOpens: d.growth.inviteOpens, groupsOpened: d.growth.groupsOpened, groupsCompleted: d.growth.groupsCompleted, groupsFailed: d.growth.groupsFailed },
  };
}

const dashboard = async (who: string, range: DashboardRange) => ok(await t.call(who, 'admin', 'dashboard.get', { range }));

test('after a scripted day, every range of the dashboard equals a recount of the raw events', async () => {
  const { staff } = await scriptedDay();
  const events = await allOf<EventDoc>(COLLECTIONS.events);
  expect(events.filter((e) => e.minute >= '2026-03-10T12:00')).not.toHaveLength(0); // a tail is left unfolded

  for (const range of ['today', '7d', '30d'] as const) {
    const d = await dashboard(staff.clerk, range);
    expect(shown(d)).toEqual(recount(events, d.series.map((p) => p.day)));
  }
  const today = await dashboard(staff.clerk, 'today');
  expect(today.funnel).toEqual({ scans: 6, signups: 4, claims: 5, redeemed: 1, orders: 3, orderFen: 12850 + 25800 + 9900 });
  expect(today.triangle).toMatchObject({ gained: 4, referral: { num: 1, den: 4, rate: 0.25 } });
  expect(today.growth.groupSuccess).toEqual({ num: 1, den: 2, rate: 0.5 });
});

test('per batch and channel: scans, sign-ups, and conversion against the 5%–15% benchmark', async () => {
  const { staff, tb, jd } = await scriptedDay();
  const d = await dashboard(staff.owner, '7d');
  expect(d.benchmark).toEqual({ low: 0.05, high: 0.15 });
  expect(d.batches).toEqual([
    { key: tb.id, label: '明前龙井 250g · 淘宝', cards: 40, scans: 4, signups: 2, claims: 2, joinRate: { num: 2, den: 4, rate: 0.5 }, conversion: { num: 2, den: 40, rate: 0.05 }, benchmark: 'within' },
    { key: jd.id, label: '白茶饼 357g · 京东', cards: 20, scans: 2, signups: 2, claims: 2, joinRate: { num: 2, den: 2, rate: 1 }, conversion: { num: 2, den: 20, rate: 0.1 }, benchmark: 'within' },
  ]);
  expect(d.channels.map((c) => [c.label, c.cards, c.scans, c.signups, c.benchmark])).toEqual([
    ['淘宝', 40, 4, 2, 'within'],
    ['京东', 20, 2, 2, 'within'],
  ]);
  expect(d.staff.map((s) => [s.name, s.signups, s.orders, s.orderFen])).toEqual([
    [`员工${staff.clerk}`, 2, 3, 48550],
    [`员工${staff.admin}`, 2, 0, 0],
  ]);
});

test('a fold that stopped between writing the day and moving its cursor is not counted twice', async () => {
  const { staff } = await scriptedDay();
  at('15:00');
  await expect(
    foldEvents({
      now: new Date(t.rt.clock.now()),
      afterDayWrite: () => {
        throw new Error('the function timed out here');
      },
    }),
  ).rejects.toThrow('timed out');
  const cursor = (await getDb().collection(COLLECTIONS.dayCounters).doc(CURSOR_ID).get()).data as { nextMinute: string };
  expect(cursor.nextMinute < '2026-03-10T14:30').toBe(true); // the afternoon is folded but behind no cursor

  const d = await dashboard(staff.clerk, 'today');
  expect(shown(d)).toEqual(recount(await allOf<EventDoc>(COLLECTIONS.events), ['2026-03-10']));
});

test('opening the 30-day dashboard reads a bounded number of documents, whatever the events', async () => {
  // Nine earlier days of synthetic traffic, there before the day's first fold.
  const { staff } = await scriptedDay(async () => {
    for (let day = 1; day <= 9; day++) {
      const burst: EventInput[] = Array.from({ length: 200 }, (_, i) => ({ type: i % 3 ? 'card_scan' : 'member_signup', openid: `h-${day}-${i}`, batchId: 'old-batch', channel: 'pdd' }));
      await appendEvents(burst, new Date(`2026-03-0${day}T10:00:00+08:00`));
    }
  });
  at('14:40');
  await foldTimer(t);

  const { result, cost } = await measure(() => t.call(staff.clerk, 'admin', 'dashboard.get', { range: '30d' }));
  const d = ok(result);
  expect(d.docsRead).toBeLessThanOrEqual(50);
  expect(d.docsRead).toBe(10 + 1 + 1 + 1); // 10 day documents, the cursor, today's folded minutes, the snapshot
  expect(cost.reads).toBeLessThanOrEqual(6); // staff guard, counters, minute list, tail aggregate, snapshot
  expect(d.funnel.scans).toBe(6 + 9 * 133);
});

test('before any recompute the member figures say so, and ratios without a denominator are empty', () => {
  const d = dashboardOf({ range: 'today', days: [{ day: '2026-03-10', total: 0, byType: {}, byBatch: {}, byChannel: {}, byStaff: {} }], snapshot: null, docsRead: 2 });
  expect(d.members).toEqual({ computedAt: null, total: 0, activeDays: 30, active: { num: 0, den: 0, rate: null }, repurchase: { num: 0, den: 0, rate: null } });
  expect(d.triangle).toEqual({ gained: 0, valuePerMemberFen: null, lifetimeValuePerMemberFen: null, referral: { num: 0, den: 0, rate: null } });
});

test('the member figures come from the last recompute: 私域有效率 and repurchase rate', async () => {
  const { staff } = await scriptedDay();
  await adminTimer(t);
  const d = await dashboard(staff.clerk, '30d');
  // c-1 (two orders, the last 5 days ago) and c-3 (one, yesterday) are active; c-4 and c-6 are not.
  expect(d.members).toMatchObject({ total: 4, active: { num: 2, den: 4, rate: 0.5 }, repurchase: { num: 1, den: 2, rate: 0.5 }, activeDays: 30 });
  expect(d.triangle.lifetimeValuePerMemberFen).toBe(Math.round(48550 / 4));
  expect(d.triangle.valuePerMemberFen).toBe(Math.round(48550 / 4));
  expect(errorOf(await t.call('c-1', 'admin', 'dashboard.get', { range: '30d' })).code).toBe('FORBIDDEN');
});
