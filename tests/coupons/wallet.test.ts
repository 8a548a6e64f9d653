/** The customer's wallet: tabs by state, newest first, paging, badges, and a detail only the holder sees. */
import { ok, errorOf, rid, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { createTemplate } from './support';

const t = useRuntime();

describe('my coupons', () => {
  it('lists available, used and expired coupons in their tabs, newest first, with counts', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-01T04:00:00Z');
    const short = await createTemplate(t, owner, { title: '一天券', validity: { type: 'relative', days: 1 } });
    const long = await createTemplate(t, owner, { title: '七天券', validity: { type: 'relative', days: 7 } });
    const used = await createTemplate(t, owner, { title: '核销券', kind: 'cash', amountOffFen: 500, thresholdFen: undefined });
    const a = ok(await t.call('nina', 'coupon', 'coupon.claim', { templateId: short.id }, rid())).coupon;
    t.rt.clock.advance(60_000);
    const b = ok(await t.call('nina', 'coupon', 'coupon.claim', { templateId: long.id }, rid())).coupon;
    t.rt.clock.advance(60_000);
    const c = ok(await t.call('nina', 'coupon', 'coupon.claim', { templateId: used.id }, rid())).coupon;
    ok(await t.call(owner, 'coupon', 'coupon.redeem', { code: c.code, orderAmountFen: 3000, orderRef: 'S1' }, rid()));

    const today = ok(await t.call('nina', 'coupon', 'coupon.mine', { state: 'available' }));
    expect(today.coupons.map((x) => x.title)).toEqual(['七天券', '一天券']);
    expect(today.counts).toEqual({ available: 2, used: 1, expired: 0 });
    expect(today.coupons.find((x) => x.id === a.id)?.expiringSoon).toBe(true);
    expect(today.coupons.find((x) => x.id === b.id)?.expiringSoon).toBe(false);

    // The next Shanghai day, before any timer has run: the one-day coupon already reads as expired.
    t.rt.clock.set('2026-03-01T16:00:00Z');
    const later = ok(await t.call('nina', 'coupon', 'coupon.mine', { state: 'expired' }));
    expect(later.coupons.map((x) => [x.id, x.state])).toEqual([[a.id, 'expired']]);
    expect(later.counts).toEqual({ available: 1, used: 1, expired: 1 });
    expect(ok(await t.call('nina', 'coupon', 'coupon.mine', { state: 'used' })).coupons.map((x) => x.id)).toEqual([c.id]);
  });

  it('pages through a long wallet with a cursor, without gaps or repeats', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: null, perMemberLimit: 20 });
    t.rt.clock.set('2026-03-01T04:00:00Z');
    const claimed: string[] = [];
    for (let i = 0; i < 20; i++) {
      claimed.push(ok(await t.call('olga', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).coupon.id);
      if (i % 3 === 0) t.rt.clock.advance(1000); // several claims share a millisecond
    }
    const other = await createTemplate(t, owner, { totalStock: null, perMemberLimit: 5 });
    t.rt.clock.advance(1000);
    for (let i = 0; i < 5; i++) claimed.push(ok(await t.call('olga', 'coupon', 'coupon.claim', { templateId: other.id }, rid())).coupon.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = ok(await t.call('olga', 'coupon', 'coupon.mine', { state: 'available', ...(cursor ? { cursor } : {}) }));
      expect(page.coupons.length).toBeLessThanOrEqual(20);
      seen.push(...page.coupons.map((x) => x.id));
      expect(page.counts.available).toBe(25);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(claimed));
    expect(seen.slice(0, 5).sort()).toEqual(claimed.slice(20).sort());
  });

  it('an empty wallet is an empty list, not an error', async () => {
    expect(ok(await t.call('new-face', 'coupon', 'coupon.mine', { state: 'available' }))).toEqual({
      coupons: [],
      nextCursor: null,
      counts: { available: 0, used: 0, expired: 0 },
    });
  });

  it('the holder opens a coupon and gets its code as a QR big enough to scan off the screen', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    const { coupon } = ok(await t.call('pat', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    const shown = ok(await t.call('pat', 'coupon', 'coupon.detail', { couponId: coupon.id }));
    expect(shown).toMatchObject({ id: coupon.id, code: coupon.code, reminderTemplateId: expect.any(String) });
    expect(shown.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(shown.qrDataUrl.split(',')[1], 'base64');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(480); // PNG width
  });

  it('someone else asking for my coupon is told it does not exist', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 2 });
    const { coupon } = ok(await t.call('quinn', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    const peek = errorOf(await t.call('mallory', 'coupon', 'coupon.detail', { couponId: coupon.id }));
    expect(peek).toEqual({ code: 'NOT_FOUND', message: '找不到这张券' });
    // The unclaimed slot next to it is not a coupon either.
    expect(errorOf(await t.call('mallory', 'coupon', 'coupon.detail', { couponId: `${tpl.id}_c_1` })).code).toBe('NOT_FOUND');
    expect(ok(await t.call('mallory', 'coupon', 'coupon.mine', { state: 'available' })).coupons).toEqual([]);
  });
});
