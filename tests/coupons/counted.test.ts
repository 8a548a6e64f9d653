/**
 * Claims and redemptions reach the dashboard's event log from the coupons themselves (the member
 * timer), each exactly once, however the pages fall and however often the timer runs.
 */
import { COLLECTIONS } from '../../database/collections';
import { countCoupons } from '../../server/coupons/counted';
import { foldEvents } from '../../server/events/fold';
import type { EventDoc } from '../../server/events/log';
import { getDb } from '../../server/runtime/db';
import { allOf } from '../members/support';
import { ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { createTemplate } from './support';

const t = useRuntime();
const at = (hhmm: string) => t.rt.clock.set(`2026-07-01T${hhmm}:00+08:00`);
const now = () => new Date(t.rt.clock.now());

const couponEvents = async () => (await allOf<EventDoc & { _id: string }>(COLLECTIONS.events)).filter((e) => e.type.startsWith('coupon_'));
const tally = (events: EventDoc[]) => events.reduce<Record<string, number>>((acc, e) => ({ ...acc, [`${e.type}@${e.minute}`]: (acc[`${e.type}@${e.minute}`] ?? 0) + 1 }), {});

async function claims(templateId: string, who: string[]): Promise<void> {
  for (const openid of who) ok(await t.call(openid, 'coupon', 'coupon.claim', { templateId }, rid('claim')));
}

it('counts every claim and redemption once, in the minute it happened, across pages, a busy minute and reruns', async () => {
  const owner = await makeOwner(t);
  const clerk = await makeStaff(t, owner, 'clerk-1', 'clerk');
  const tpl = await createTemplate(t, owner, { totalStock: null });
  at('10:00');
  await claims(tpl.id, ['a1', 'a2']);
  at('10:01');
  await claims(tpl.id, ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']); // more than a page of 3
  at('10:02');
  await claims(tpl.id, ['c1']);
  const [coupon] = ok(await t.call('b2', 'coupon', 'coupon.mine', { state: 'available' })).coupons;
  ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 15000, orderRef: 'TILL-1' }, rid('redeem')));
  at('10:03');
  await claims(tpl.id, ['d1']); // not closed yet at 10:05

  at('10:05');
  // A budget of 0 runs one page per kind and stops: the timer runs again until caught up.
  let report = await countCoupons(now(), 0, 3);
  for (let i = 0; !report.caughtUp && i < 20; i++) report = await countCoupons(now(), 0, 3);
  expect(report).toMatchObject({ caughtUp: true, nextMinute: '2026-07-01T10:03' });
  const first = await couponEvents();
  expect(tally(first)).toEqual({
    'coupon_claim@2026-07-01T10:00': 2,
    'coupon_claim@2026-07-01T10:01': 7,
    'coupon_claim@2026-07-01T10:02': 1,
    'coupon_redeem@2026-07-01T10:02': 1,
  });
  expect(first.find((e) => e.type === 'coupon_redeem')).toMatchObject({ openid: 'b2', staffId: clerk, amountFen: 15000, ref: coupon.id });

  // Everything again from the start (a crash before any cursor moved): nothing is added twice.
  await getDb().collection(COLLECTIONS.dayCounters).doc('cursor:claims').remove();
  await getDb().collection(COLLECTIONS.dayCounters).doc('cursor:redemptions').remove();
  await countCoupons(now(), 10_000, 3);
  expect(await couponEvents()).toHaveLength(first.length);

  at('10:06');
  await countCoupons(now(), 10_000, 3);
  expect(tally(await couponEvents())['coupon_claim@2026-07-01T10:03']).toBe(1);
});

it('the fold waits for minutes whose coupons are not all counted yet', async () => {
  const owner = await makeOwner(t);
  const tpl = await createTemplate(t, owner, { totalStock: null });
  at('09:00');
  await claims(tpl.id, ['e1', 'e2', 'e3', 'e4']);
  at('09:30');
  const partial = await countCoupons(now(), 0, 2); // stops inside 09:00
  expect(partial).toMatchObject({ caughtUp: false, nextMinute: '2026-07-01T09:00' });
  const fold = await foldEvents({ now: now(), until: partial.nextMinute });
  expect(fold.nextMinute <= '2026-07-01T09:00').toBe(true);
  // Nothing of 09:00 was folded, so the claims counted later still reach the day's counters.
  const done = await countCoupons(now(), 10_000, 2);
  await foldEvents({ now: now(), until: done.nextMinute });
  const day = (await getDb().collection(COLLECTIONS.dayCounters).doc('2026-07-01').get()).data as { types: Record<string, { n: number }> };
  expect(day.types.coupon_claim.n).toBe(4);
});

it('a redemption reversed before it was counted is not counted; redeemed again, it counts once', async () => {
  const owner = await makeOwner(t);
  const tpl = await createTemplate(t, owner);
  at('11:00');
  const { coupon } = ok(await t.call('f1', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid('claim')));
  ok(await t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 12000, orderRef: 'TILL-2' }, rid('redeem')));
  ok(await t.call(owner, 'coupon', 'coupon.reverse', { couponId: coupon.id, reason: '顾客退单' }, rid('reverse')));
  at('11:10');
  ok(await t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 13000, orderRef: 'TILL-3' }, rid('redeem')));
  at('11:20');
  await countCoupons(now(), 10_000);
  const redeemed = (await couponEvents()).filter((e) => e.type === 'coupon_redeem');
  expect(redeemed.map((e) => [e.minute, e.amountFen])).toEqual([['2026-07-01T11:10', 13000]]);
});
