/** Claiming: exactly once under load, per-member limits, retries, audiences and what it costs. */
import { measure } from '../../local/context';
import { issueCoupon } from '../../server/coupons/issue';
import { getDb } from '../../server/runtime/db';
import { COLLECTIONS } from '../../database/collections';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { addMember, createTemplate, freeSlotsOf, issuedOf } from './support';

const t = useRuntime();

describe('claiming a coupon', () => {
  it('a customer claims a coupon and finds it in the wallet, with its source and a redemption code', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    const { coupon, alreadyHad } = ok(await t.call('alice', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(alreadyHad).toBe(false);
    expect(coupon).toMatchObject({ templateId: tpl.id, title: '满99减20', benefit: '满99减20', state: 'available', source: { type: 'campaign' } });
    expect(coupon.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    const wallet = ok(await t.call('alice', 'coupon', 'coupon.mine', { state: 'available' }));
    expect(wallet.coupons.map((c) => c.id)).toEqual([coupon.id]);
  });

  it('1,000 customers racing for 100 coupons: exactly 100 are issued, to 100 different people, the rest hear it is sold out', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 100 });
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => t.call(`racer-${i}`, 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(100);
    expect(results.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(Array(900).fill('SOLD_OUT'));

    const issued = await issuedOf(tpl.id);
    expect(issued).toHaveLength(100);
    expect(new Set(issued.map((c) => c.holder)).size).toBe(100);
    expect(new Set(issued.map((c) => c.code)).size).toBe(100);
    expect(await freeSlotsOf(tpl.id)).toBe(0);
    const [listed] = ok(await t.call(owner, 'coupon', 'coupon.template.list', {})).templates;
    expect(listed).toMatchObject({ remaining: 0, issued: 100 });
  }, 60_000);

  it('a member tapping 50 times at once on a one-per-person coupon gets one coupon', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 100, perMemberLimit: 1 });
    const results = await Promise.all(Array.from({ length: 50 }, () => t.call('tapper', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.ok).map((r) => errorOf(r).code))).toEqual(new Set(['LIMIT_REACHED']));
    expect(await issuedOf(tpl.id)).toHaveLength(1);
    expect(await freeSlotsOf(tpl.id)).toBe(99);
  });

  it('the same tap sent 20 times at once (one request id) yields one coupon, returned to every copy', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: null, perMemberLimit: 3 });
    const requestId = rid();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.call('doubler', 'coupon', 'coupon.claim', { templateId: tpl.id }, requestId)));
    const ids = new Set(results.map((r) => ok(r).coupon.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !ok(r).alreadyHad)).toHaveLength(1);
    expect(await issuedOf(tpl.id)).toHaveLength(1);
  });

  it('a retried request (the answer was lost) returns the same coupon instead of a second one', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 5, perMemberLimit: 2 });
    const requestId = rid();
    const first = ok(await t.call('bob', 'coupon', 'coupon.claim', { templateId: tpl.id }, requestId));
    const replay = ok(await t.call('bob', 'coupon', 'coupon.claim', { templateId: tpl.id }, requestId));
    expect(replay).toEqual({ coupon: first.coupon, alreadyHad: true });
    expect(await issuedOf(tpl.id)).toHaveLength(1);
    expect(await freeSlotsOf(tpl.id)).toBe(4);
  });

  it('a retry still gets its coupon after the last one was taken or the template was paused', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 1 });
    const requestId = rid();
    const first = ok(await t.call('carol', 'coupon', 'coupon.claim', { templateId: tpl.id }, requestId));
    expect(errorOf(await t.call('dave', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).code).toBe('SOLD_OUT');
    expect(ok(await t.call('carol', 'coupon', 'coupon.claim', { templateId: tpl.id }, requestId)).coupon.id).toBe(first.coupon.id);
    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status: 'paused' }, rid()));
    expect(ok(await t.call('carol', 'coupon', 'coupon.claim', { templateId: tpl.id }, requestId)).coupon.id).toBe(first.coupon.id);
  });

  it('a limit of 3 lets a member hold three, even when they claim all at once, and no fourth', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 10, perMemberLimit: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, () => t.call('erin', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).every((r) => errorOf(r).code === 'LIMIT_REACHED')).toBe(true);
    const error = errorOf(await t.call('erin', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(error).toMatchObject({ code: 'LIMIT_REACHED', message: '每人限领 3 张，你已领满' });
    expect(await issuedOf(tpl.id)).toHaveLength(3);
  });

  it('unlimited coupons are issued without stock and still one per person', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: null });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => t.call(`fan-${i % 20}`, 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(new Set((await issuedOf(tpl.id)).map((c) => c.holder)).size).toBe(20);
    const [listed] = ok(await t.call(owner, 'coupon', 'coupon.template.list', {})).templates;
    expect(listed).toMatchObject({ remaining: null, issued: 20 });
  });

  it('members-only and new-member coupons check the member record', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-10T04:00:00Z');
    const membersOnly = await createTemplate(t, owner, { audience: { type: 'members' } });
    const newcomers = await createTemplate(t, owner, { audience: { type: 'new_members', withinDays: 7 } });
    const vip = await createTemplate(t, owner, { audience: { type: 'segment', segment: 'heavy' } });
    await addMember('old-timer', { joinedAt: new Date('2025-12-01T00:00:00Z'), segments: ['heavy'] });
    await addMember('newcomer', { joinedAt: new Date('2026-03-08T00:00:00Z') });

    expect(errorOf(await t.call('stranger', 'coupon', 'coupon.claim', { templateId: membersOnly.id }, rid()))).toMatchObject({
      code: 'FORBIDDEN',
      message: '该券仅限会员领取，请先加入会员',
    });
    ok(await t.call('old-timer', 'coupon', 'coupon.claim', { templateId: membersOnly.id }, rid()));
    expect(errorOf(await t.call('old-timer', 'coupon', 'coupon.claim', { templateId: newcomers.id }, rid())).code).toBe('FORBIDDEN');
    ok(await t.call('newcomer', 'coupon', 'coupon.claim', { templateId: newcomers.id }, rid()));
    expect(errorOf(await t.call('newcomer', 'coupon', 'coupon.claim', { templateId: vip.id }, rid())).code).toBe('FORBIDDEN');
    ok(await t.call('old-timer', 'coupon', 'coupon.claim', { templateId: vip.id }, rid()));

    const view = ok(await t.call('stranger', 'coupon', 'coupon.claimable', { templateId: membersOnly.id }));
    expect(view).toMatchObject({ canClaim: false, reason: '该券仅限会员领取，请先加入会员', claimedByMe: 0 });
    expect(view.template.remaining).toBe(99);
  });

  it('shows a customer what they can claim and why not', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 2 });
    const before = ok(await t.call('frank', 'coupon', 'coupon.claimable', { templateId: tpl.id }));
    expect(before).toMatchObject({ benefit: '满99减20', canClaim: true, reason: null, claimedByMe: 0, reminderTemplateId: expect.any(String) });
    ok(await t.call('frank', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(ok(await t.call('frank', 'coupon', 'coupon.claimable', { templateId: tpl.id }))).toMatchObject({
      canClaim: false,
      reason: '你已经领过这张券了',
      claimedByMe: 1,
    });
    ok(await t.call('grace', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(ok(await t.call('heidi', 'coupon', 'coupon.claimable', { templateId: tpl.id }))).toMatchObject({ canClaim: false, reason: '来晚了，券已经被领完了' });
  });

  it('paused and ended templates issue nothing', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status: 'paused' }, rid()));
    expect(errorOf(await t.call('ivan', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()))).toMatchObject({ code: 'CONFLICT', message: '该券已暂停发放' });
    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status: 'ended' }, rid()));
    expect(errorOf(await t.call('ivan', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).code).toBe('EXPIRED');
    expect(errorOf(await t.call('ivan', 'coupon', 'coupon.claim', { templateId: 'tpl_0000000000000000' }, rid())).code).toBe('NOT_FOUND');
    expect(await issuedOf(tpl.id)).toHaveLength(0);
  });

  it('costs at most 4 billable operations per claim, members-only included', async () => {
    const owner = await makeOwner(t);
    const open = await createTemplate(t, owner);
    const membersOnly = await createTemplate(t, owner, { audience: { type: 'members' } });
    await addMember('judy');
    const a = await measure(() => t.call('judy', 'coupon', 'coupon.claim', { templateId: open.id }, rid()));
    const b = await measure(() => t.call('judy', 'coupon', 'coupon.claim', { templateId: membersOnly.id }, rid()));
    ok(a.result);
    ok(b.result);
    const total = (c: typeof a.cost) => c.invocations + c.reads + c.writes;
    expect(a.cost).toEqual({ invocations: 1, reads: 1, writes: 1 });
    expect(total(b.cost)).toBeLessThanOrEqual(4);
  });
});

describe('what a warm instance remembers during a claim storm', () => {
  /** Another function instance changing the template: a write this instance never sees. */
  const elsewhere = (templateId: string, data: Record<string, unknown>) => getDb().collection(COLLECTIONS.couponTemplates).doc(templateId).update({ data });

  it('a storm reads the template once; once sold out, a claim costs no read or write, and a winner\'s retry still gets its coupon', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 2 });
    t.rt.clock.set('2026-05-01T02:00:00Z');
    const ids = [rid(), rid(), rid()];
    const first = await measure(() => Promise.all(['a1', 'a2', 'a3'].map((who, i) => t.call(who, 'coupon', 'coupon.claim', { templateId: tpl.id }, ids[i]))));
    expect(first.result.filter((r) => r.ok)).toHaveLength(2);
    // One template read shared by the three; two slots taken; the third write matched nothing, and
    // the sold-out template's winners were read once.
    expect(first.cost).toEqual({ invocations: 3, reads: 2, writes: 3 });
    const later = await measure(() => t.call('a4', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(errorOf(later.result).code).toBe('SOLD_OUT');
    expect(later.cost).toEqual({ invocations: 1, reads: 0, writes: 0 });
    // A winner whose answer was lost retries with the same request id: the same coupon, one read.
    const winner = first.result.findIndex((r) => r.ok);
    const retry = await measure(() => t.call(['a1', 'a2', 'a3'][winner], 'coupon', 'coupon.claim', { templateId: tpl.id }, ids[winner]));
    expect(ok(retry.result)).toMatchObject({ alreadyHad: true, coupon: { id: ok(first.result[winner]).coupon.id } });
    expect(retry.cost).toEqual({ invocations: 1, reads: 1, writes: 0 });
  });

  it('a top-up reopens a sold-out template at once; a pause made in this instance applies at once', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 1 });
    ok(await t.call('b1', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    expect(errorOf(await t.call('b2', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).code).toBe('SOLD_OUT');
    ok(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: tpl.id, quantity: 1 }, rid()));
    ok(await t.call('b2', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    ok(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: tpl.id, quantity: 5 }, rid()));
    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status: 'paused' }, rid()));
    expect(errorOf(await t.call('b3', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid())).code).toBe('CONFLICT');
  });

  it('a change made by another instance reaches claims within a second', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    t.rt.clock.set('2026-05-01T02:00:00Z');
    ok(await t.call('c1', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    await elsewhere(tpl.id, { status: 'paused' });
    t.rt.clock.advance(999);
    ok(await t.call('c2', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    t.rt.clock.advance(1);
    expect(errorOf(await t.call('c3', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()))).toMatchObject({ code: 'CONFLICT', message: '该券已暂停发放' });
    // A clock moved backwards does not make what was remembered look fresh again.
    await elsewhere(tpl.id, { status: 'active' });
    t.rt.clock.advance(-5000);
    ok(await t.call('c4', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
  });
});

describe('every source issues through the same path', () => {
  it('a package card, an invite and a staff grant each record their source and obey the per-member limit', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { perMemberLimit: 2, audience: { type: 'members' } });
    await addMember('kim');
    const now = new Date(t.rt.clock.now());
    const card = await issueCoupon({ templateId: tpl.id, openid: 'kim', source: { type: 'package_card', ref: 'batch-7' }, requestKey: 'card:batch-7:0042', now });
    const again = await issueCoupon({ templateId: tpl.id, openid: 'kim', source: { type: 'package_card', ref: 'batch-7' }, requestKey: 'card:batch-7:0042', now });
    expect(again).toEqual({ coupon: card.coupon, alreadyHad: true });
    expect(card.coupon.source).toEqual({ type: 'package_card', ref: 'batch-7' });

    const granted = ok(await t.call(owner, 'coupon', 'coupon.grant', { templateId: tpl.id, openid: 'kim', note: '补偿：快递延误' }, rid()));
    expect(granted.coupon.source).toEqual({ type: 'staff_grant', ref: owner });
    await expect(
      issueCoupon({ templateId: tpl.id, openid: 'kim', source: { type: 'invite', ref: 'inv-1' }, requestKey: 'invite:inv-1', now }),
    ).rejects.toMatchObject({ code: 'LIMIT_REACHED' });

    const logged = await getDb().collection(COLLECTIONS.auditLog).where({ action: 'coupon.grant' }).get();
    expect(logged.data).toEqual([expect.objectContaining({ actor: owner, reason: '补偿：快递延误' })]);
  });

  it('a staff grant reaches only a known member and only staff admins may grant', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.grant', { templateId: tpl.id, openid: 'nobody', note: '' }, rid())).code).toBe('NOT_FOUND');
    await addMember('lee');
    expect(errorOf(await t.call('lee', 'coupon', 'coupon.grant', { templateId: tpl.id, openid: 'lee', note: '' }, rid())).code).toBe('FORBIDDEN');
  });
});
