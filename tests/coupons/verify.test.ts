/** Staff verify (核销) coupons at the counter: preview, redeem once, and reverse within the window. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { getDb } from '../../server/runtime/db';
import type { CouponTemplateInput, CouponView } from '../../typings';
import { declaredActions } from '../support/functions';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { addMember, createTemplate } from './support';

const t = useRuntime();

/** A store with an owner and a clerk, and `customer` holding one coupon of `overrides`. */
async function counter(overrides: Partial<CouponTemplateInput> = {}, customer = 'mia'): Promise<{ owner: string; clerk: string; coupon: CouponView }> {
  const owner = await makeOwner(t);
  const clerk = await makeStaff(t, owner, 'clerk-1', 'clerk');
  const tpl = await createTemplate(t, owner, overrides);
  await addMember(customer, { nickname: '小米', phoneMasked: '139****1234' });
  const { coupon } = ok(await t.call(customer, 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
  return { owner, clerk, coupon };
}

describe('verification at the counter', () => {
  it('a clerk scans a code, sees the coupon, its holder and the discount, then redeems it against the order', async () => {
    const { clerk, coupon } = await counter();
    const preview = ok(await t.call(clerk, 'coupon', 'coupon.verify', { code: coupon.code, orderAmountFen: 12800 }));
    expect(preview).toMatchObject({
      coupon: { id: coupon.id, state: 'available', benefit: '满99减20' },
      holder: { openid: 'mia', nickname: '小米', phoneMasked: '139****1234' },
      discountFen: 2000,
      canRedeem: true,
      reason: null,
    });
    const done = ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 12800, orderRef: 'TB20260301001' }, rid()));
    expect(done).toMatchObject({ couponId: coupon.id, discountFen: 2000, orderAmountFen: 12800, orderRef: 'TB20260301001', redeemedBy: '员工clerk-1' });

    const stored = (await getDb().collection(COLLECTIONS.coupons).doc(coupon.id).get()).data as { state: string; redemption: { by: string } };
    expect(stored).toMatchObject({ state: 'used', redemption: { by: clerk } });
    const wallet = ok(await t.call('mia', 'coupon', 'coupon.mine', { state: 'used' }));
    expect(wallet.coupons[0]).toMatchObject({ id: coupon.id, state: 'used', redeemedAt: done.redeemedAt });
  });

  it('accepts a typed code with spaces, dashes and small letters', async () => {
    const { clerk, coupon } = await counter();
    const typed = `${coupon.code.slice(0, 5).toLowerCase()} - ${coupon.code.slice(5)}`;
    expect(ok(await t.call(clerk, 'coupon', 'coupon.verify', { code: typed, orderAmountFen: 10000 })).coupon.id).toBe(coupon.id);
  });

  it('two staff confirming the same coupon at the same moment: one succeeds, the other is told it was used', async () => {
    const { owner, clerk, coupon } = await counter();
    const [a, b] = await Promise.all([
      t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'A' }, rid()),
      t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'B' }, rid()),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect(errorOf(a.ok ? b : a).code).toBe('ALREADY_USED');
  });

  it('ten tills racing for one code: exactly one redemption', async () => {
    const { owner, coupon } = await counter();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: `till-${i}` }, rid())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => errorOf(r).code === 'ALREADY_USED')).toBe(true);
  });

  it('a retried redemption (the answer was lost) answers the same redemption instead of ALREADY_USED', async () => {
    const { clerk, coupon } = await counter();
    const requestId = rid();
    const first = ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'R1' }, requestId));
    expect(ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'R1' }, requestId))).toEqual(first);
  });

  it('says exactly why a coupon cannot be redeemed', async () => {
    t.rt.clock.set('2026-03-10T04:00:00Z'); // 12:00 in Shanghai
    const { clerk, coupon } = await counter({ validity: { type: 'relative', days: 1 } });
    const redeem = (code: string, orderAmountFen: number) => t.call(clerk, 'coupon', 'coupon.redeem', { code, orderAmountFen, orderRef: 'X' }, rid());

    const short = errorOf(await redeem(coupon.code, 9800));
    expect(short).toMatchObject({ code: 'INVALID_INPUT', message: '订单满 99 元才能使用，当前 98 元' });
    expect(short.fields).toEqual([{ path: 'payload.orderAmountFen', message: '订单满 99 元才能使用，当前 98 元' }]);
    expect(ok(await t.call(clerk, 'coupon', 'coupon.verify', { code: coupon.code, orderAmountFen: 9800 }))).toMatchObject({
      canRedeem: false,
      discountFen: 0,
      reason: '订单满 99 元才能使用，当前 98 元',
    });

    expect(errorOf(await redeem('ABCDEFGHJK', 10000))).toMatchObject({ code: 'NOT_FOUND', message: '券码不存在，请核对后重新输入' });

    t.rt.clock.set('2026-03-10T16:00:00Z'); // 00:00 the next day in Shanghai
    expect(errorOf(await redeem(coupon.code, 10000))).toMatchObject({ code: 'EXPIRED', message: '这张券已于 2026-03-10 23:59 过期' });
  });

  it('a coupon of a fixed window cannot be used before its first day', async () => {
    t.rt.clock.set('2026-03-10T04:00:00Z');
    const { clerk, coupon } = await counter({ validity: { type: 'fixed', startDate: '2026-03-15', endDate: '2026-03-31' } });
    const error = errorOf(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'X' }, rid()));
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: '还未到使用时间，2026-03-15 00:00 起可用' });
    t.rt.clock.set('2026-03-14T16:00:00Z'); // 00:00 on the 15th in Shanghai
    ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'X' }, rid()));
  });

  it('a free slot’s pre-drawn code is not a coupon', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 1 });
    const slot = (await getDb().collection(COLLECTIONS.coupons).where({ templateId: tpl.id }).get()).data[0] as { code: string };
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.verify', { code: slot.code, orderAmountFen: 10000 })).code).toBe('NOT_FOUND');
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.redeem', { code: slot.code, orderAmountFen: 10000, orderRef: 'X' }, rid())).code).toBe('NOT_FOUND');
  });

  it('a customer reaches no verification action', async () => {
    const { coupon } = await counter();
    const staffOnly = declaredActions().filter((a) => a.fn === 'coupon' && a.staff);
    expect(staffOnly.map((a) => a.action)).toEqual(expect.arrayContaining(['coupon.verify', 'coupon.redeem', 'coupon.reverse']));
    for (const { action } of staffOnly) {
      const result = await t.raw('mia', 'coupon', { action, payload: { code: coupon.code, orderAmountFen: 10000, orderRef: 'X', couponId: coupon.id, reason: 'x' }, requestId: rid() });
      expect(errorOf(result)).toMatchObject({ code: 'FORBIDDEN', message: '仅限店铺员工使用' });
    }
    expect(ok(await t.call('mia', 'coupon', 'coupon.mine', { state: 'available' })).coupons[0].state).toBe('available');
  });

  it('a revoked clerk can no longer verify', async () => {
    const { owner, clerk, coupon } = await counter();
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: clerk, reason: '离职' }, rid()));
    expect(errorOf(await t.call(clerk, 'coupon', 'coupon.verify', { code: coupon.code, orderAmountFen: 10000 })).code).toBe('FORBIDDEN');
  });

  it('costs at most 3 billable operations per redemption', async () => {
    const { clerk, coupon } = await counter();
    const { result, cost } = await measure(() =>
      t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'M1' }, rid()),
    );
    ok(result);
    expect(cost).toEqual({ invocations: 1, reads: 1, writes: 1 });
  });
});

describe('reversing a redemption', () => {
  it('an admin reverses a redemption within the window with a reason; the coupon is usable again and the log says why', async () => {
    t.rt.clock.set('2026-03-10T04:00:00Z');
    const { owner, clerk, coupon } = await counter();
    ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'O1' }, rid()));
    t.rt.clock.set('2026-03-11T03:59:00Z'); // 23h59m later
    expect(errorOf(await t.call(clerk, 'coupon', 'coupon.reverse', { couponId: coupon.id, reason: '顾客退单' }, rid())).code).toBe('FORBIDDEN');
    const requestId = rid();
    const { coupon: back } = ok(await t.call(owner, 'coupon', 'coupon.reverse', { couponId: coupon.id, reason: '顾客退单' }, requestId));
    expect(back).toMatchObject({ id: coupon.id, state: 'available', redeemedAt: null });
    expect(ok(await t.call(owner, 'coupon', 'coupon.reverse', { couponId: coupon.id, reason: '顾客退单' }, requestId)).coupon.state).toBe('available');

    const log = await getDb().collection(COLLECTIONS.auditLog).where({ action: 'coupon.reverse' }).get();
    expect(log.data).toEqual([
      expect.objectContaining({ actor: owner, reason: '顾客退单', before: expect.objectContaining({ redemption: expect.objectContaining({ orderRef: 'O1', by: clerk }) }) }),
    ]);
    ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'O2' }, rid()));
  });

  it('refuses a reversal outside the window the merchant set', async () => {
    t.rt.clock.set('2026-03-10T04:00:00Z');
    const { owner, clerk, coupon } = await counter();
    ok(await t.call(owner, 'coupon', 'coupon.settings.set', { reversalWindowHours: 2, reminderDaysBefore: 3 }, rid()));
    expect(ok(await t.call(clerk, 'coupon', 'coupon.settings.get', {}))).toEqual({ reversalWindowHours: 2, reminderDaysBefore: 3 });
    ok(await t.call(clerk, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 10000, orderRef: 'O1' }, rid()));
    t.rt.clock.set('2026-03-10T06:00:01Z');
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.reverse', { couponId: coupon.id, reason: '顾客退单' }, rid()))).toMatchObject({
      code: 'EXPIRED',
      message: '核销已超过 2 小时，不能撤销',
    });
    const stored = (await getDb().collection(COLLECTIONS.coupons).doc(coupon.id).get()).data as { state: string };
    expect(stored.state).toBe('used');
  });

  it('a coupon that was never redeemed has nothing to reverse', async () => {
    const { owner, coupon } = await counter();
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.reverse', { couponId: coupon.id, reason: '误操作' }, rid())).code).toBe('CONFLICT');
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.reverse', { couponId: `${coupon.templateId}_c_999`, reason: '误操作' }, rid())).code).toBe('NOT_FOUND');
  });
});
