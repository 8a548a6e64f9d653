/** Coupons end with the Shanghai day; the hourly timer marks them and reminds those who asked to be. */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import type { ApiResult } from '../../typings';
import type { TimerReport } from '../../server/coupons/timer';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { createTemplate } from './support';

const t = useRuntime();

async function fireTimer(): Promise<TimerReport> {
  return ok((await t.rt.fireTimer('coupon')) as ApiResult<TimerReport>);
}

async function outbox(): Promise<{ toOpenid: string; templateId: string; page: string; data: Record<string, { value: string }>; dedupeKey: string }[]> {
  return (await getDb().collection(COLLECTIONS.outbox).orderBy('dedupeKey', 'asc').limit(1000).get()).data as never;
}

async function storedState(id: string): Promise<string> {
  return ((await getDb().collection(COLLECTIONS.coupons).doc(id).get()).data as { state: string }).state;
}

describe('expiry at the end of the Shanghai day', () => {
  it('a coupon claimed at 23:30 on Jan 31 in Shanghai with one day of validity ends at 23:59:59.999 that night', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { validity: { type: 'relative', days: 1 } });
    t.rt.clock.set('2026-01-31T23:30:00+08:00');
    const { coupon } = ok(await t.call('rose', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(new Date(coupon.expiresAt).getTime()).toBe(new Date('2026-01-31T23:59:59.999+08:00').getTime());

    t.rt.clock.set('2026-01-31T23:59:59.999+08:00');
    expect(ok(await t.call(owner, 'coupon', 'coupon.verify', { code: coupon.code, orderAmountFen: 10000 })).canRedeem).toBe(true);
    expect((await fireTimer()).expired).toBe(0);
    expect(ok(await t.call('rose', 'coupon', 'coupon.mine', { state: 'available' })).coupons).toHaveLength(1);

    t.rt.clock.set('2026-02-01T00:00:00.000+08:00');
    expect(ok(await t.call('rose', 'coupon', 'coupon.mine', { state: 'available' })).coupons).toHaveLength(0);
    expect(ok(await t.call(owner, 'coupon', 'coupon.verify', { code: coupon.code, orderAmountFen: 10000 }))).toMatchObject({
      canRedeem: false,
      reason: '这张券已于 2026-01-31 23:59 过期',
    });
    expect(await fireTimer()).toEqual({ expired: 1, reminded: 0, remaining: 0 });
    expect(await storedState(coupon.id)).toBe('expired');
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'late' }, rid())).code).toBe('EXPIRED');
  });

  it('a fixed window runs from 00:00 of the first day to 23:59:59.999 of the last, in Shanghai', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-02-20T10:00:00Z');
    const tpl = await createTemplate(t, owner, { validity: { type: 'fixed', startDate: '2026-03-01', endDate: '2026-03-31' } });
    const { coupon } = ok(await t.call('sam', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(coupon.validFrom).toBe('2026-02-28T16:00:00.000Z');
    expect(coupon.expiresAt).toBe('2026-03-31T15:59:59.999Z');
    // Claiming stops with the window too.
    t.rt.clock.set('2026-04-01T00:00:00+08:00');
    expect(errorOf(await t.call('tom', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).code).toBe('EXPIRED');
  });
});

describe('the timer', () => {
  it('works through a large backlog in pages, and a short budget leaves the rest to the next run', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-01T04:00:00Z');
    const tpl = await createTemplate(t, owner, { totalStock: 260, validity: { type: 'relative', days: 1 } });
    for (let i = 0; i < 260; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, k) => t.call(`bulk-${i + k}`, 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())));
    }
    t.rt.clock.set('2026-03-05T04:00:00Z');
    process.env.PRIVDOM_COUPON_TIMER_BUDGET_MS = '0';
    try {
      expect(await fireTimer()).toEqual({ expired: 100, reminded: 0, remaining: 160 });
      expect(await fireTimer()).toEqual({ expired: 100, reminded: 0, remaining: 60 });
    } finally {
      delete process.env.PRIVDOM_COUPON_TIMER_BUDGET_MS;
    }
    expect(await fireTimer()).toEqual({ expired: 60, reminded: 0, remaining: 0 });
    expect(await fireTimer()).toEqual({ expired: 0, reminded: 0, remaining: 0 });
    const { total } = await getDb().collection(COLLECTIONS.coupons).where({ templateId: tpl.id, state: 'expired' }).count();
    expect(total).toBe(260);
  }, 60_000);

  it('reminds only customers who accepted the reminder, a few days before expiry, once per acceptance', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-10T02:00:00Z'); // 10:00 in Shanghai
    const tpl = await createTemplate(t, owner, { title: '七天满减券', validity: { type: 'relative', days: 7 }, perMemberLimit: 2 });
    const uma = ok(await t.call('uma', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).coupon;
    const uma2 = ok(await t.call('uma', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).coupon;
    ok(await t.call('vic', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(ok(await t.call('uma', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, rid()))).toEqual({ credits: 1 });
    expect(ok(await t.call('vic', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: false }, rid()))).toEqual({ credits: 0 });

    // Day 3: the coupons end on the 16th, more than 3 days away.
    t.rt.clock.set('2026-03-12T02:00:00Z');
    expect(await fireTimer()).toEqual({ expired: 0, reminded: 0, remaining: 0 });
    // Day 4: within 3 days of the end. Uma accepted once, so she gets one reminder; Vic none.
    t.rt.clock.set('2026-03-13T02:00:00Z');
    expect(await fireTimer()).toEqual({ expired: 0, reminded: 1, remaining: 0 });
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      toOpenid: 'uma',
      templateId: 'local-coupon-expiry-reminder',
      data: { thing1: { value: '七天满减券' }, time2: { value: '2026-03-16 23:59' } },
    });
    expect([uma.id, uma2.id].map((id) => `pages/coupon/detail/index?id=${id}`)).toContain(sent[0].page);
    expect(sent.some((m) => m.toOpenid === 'vic')).toBe(false);

    // Reruns the same day (and hours later) send nothing twice.
    expect((await fireTimer()).reminded).toBe(0);
    t.rt.clock.set('2026-03-13T08:00:00Z');
    expect((await fireTimer()).reminded).toBe(0);
    expect(await outbox()).toHaveLength(1);

    // A second acceptance pays for the other coupon's reminder.
    ok(await t.call('uma', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, rid()));
    expect((await fireTimer()).reminded).toBe(1);
    expect((await outbox()).map((m) => m.dedupeKey).sort()).toEqual([`coupon-expiry:${uma.id}`, `coupon-expiry:${uma2.id}`].sort());
  });

  it('does not wake people: no reminders at night, they wait for the morning', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const tpl = await createTemplate(t, owner, { validity: { type: 'relative', days: 2 } });
    ok(await t.call('wes', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    ok(await t.call('wes', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, rid()));
    t.rt.clock.set('2026-03-10T15:00:00Z'); // 23:00 in Shanghai
    expect((await fireTimer()).reminded).toBe(0);
    t.rt.clock.set('2026-03-11T01:00:00Z'); // 09:00
    expect((await fireTimer()).reminded).toBe(1);
  });

  it('a run that crashed after spending the credit sends the reminder once and spends nothing more', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const tpl = await createTemplate(t, owner, { validity: { type: 'relative', days: 2 }, perMemberLimit: 2 });
    const first = ok(await t.call('xia', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).coupon;
    ok(await t.call('xia', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, rid()));
    ok(await t.call('xia', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, rid()));
    // What the crashed run left: one credit spent on the first coupon, no message, coupon not marked.
    const credits = getDb().collection(COLLECTIONS.couponReminderCredits);
    const [spent] = (await credits.where({ openid: 'xia' }).limit(1).get()).data as { _id: string }[];
    await credits.doc(spent._id).update({ data: { state: 'used', couponId: first.id, usedAt: new Date(t.rt.clock.now()) } });

    expect((await fireTimer()).reminded).toBe(1);
    expect((await fireTimer()).reminded).toBe(0);
    expect((await outbox()).map((m) => m.dedupeKey)).toEqual([`coupon-expiry:${first.id}`]);
    const { total } = await credits.where({ openid: 'xia', state: 'unused' }).count();
    expect(total).toBe(1);
  });

  it('counts acceptances once per request and keeps at most five unused', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    const requestId = rid();
    expect(ok(await t.call('yan', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, requestId)).credits).toBe(1);
    expect(ok(await t.call('yan', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, requestId)).credits).toBe(1);
    for (let i = 0; i < 6; i++) ok(await t.call('yan', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: true }, rid()));
    expect(ok(await t.call('yan', 'coupon', 'coupon.subscribeReminder', { templateId: tpl.id, accepted: false }, rid())).credits).toBe(5);
  });
});
