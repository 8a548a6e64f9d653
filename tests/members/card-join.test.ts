/** Joining from a package card: the benefit once, first-touch attribution, and what it costs. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import type { EventDoc } from '../../server/events/log';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { createTemplate } from '../coupons/support';
import { batchInput, sceneOf, storeWithBatch } from '../cards/support';
import { allOf, joinAs, joinRequest, memberDoc } from './support';

const t = useRuntime();

const billable = (c: { invocations: number; reads: number; writes: number }): number => c.invocations + c.reads + c.writes;

describe('joining from a card', () => {
  it('scan, one tap: a member with the card\'s coupon, the card as first touch, and the events of both', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { batch } = await storeWithBatch(t);
    const scene = await sceneOf(batch.id, 3);
    expect(ok(await t.call('alice', 'card', 'card.scan', { scene })).state).toBe('fresh');

    const joined = await joinAs(t, 'alice', { scene, nickname: '爱丽丝' });
    expect(joined.created).toBe(true);
    expect(joined.card).toMatchObject({
      status: 'claimed',
      message: '已领取「老客回购券」，可在「我的优惠券」中查看',
      card: { batchId: batch.id, serial: 3, channel: 'taobao', benefit: '满99减20' },
      coupon: { title: '老客回购券', state: 'available', source: { type: 'package_card' } },
    });
    expect((await memberDoc('alice'))!.attribution).toEqual({ source: 'card', channel: 'taobao', batchId: batch.id, serial: 3, inviter: null, at: new Date('2026-03-10T02:00:00Z') });

    const home = ok(await t.call('alice', 'member', 'member.home', {})).member!;
    expect(home.availableCoupons).toBe(1);
    expect(home.cardBenefit).toMatchObject({ channel: 'taobao', batchId: batch.id, card: { serial: 3, benefit: '满99减20' }, coupon: { id: joined.card!.coupon!.id } });

    const events = await allOf<EventDoc>(COLLECTIONS.events, { openid: 'alice' });
    expect(events.map((e) => e.type).sort()).toEqual(['card_claim', 'card_scan', 'member_signup']);
    expect(events.find((e) => e.type === 'member_signup')).toMatchObject({ batchId: batch.id, channel: 'taobao' });
    const [signup, claim] = [events.find((e) => e.type === 'member_signup')!, events.find((e) => e.type === 'card_claim')!];
    expect(signup.at).toEqual(claim.at);
  });

  it('member.join with a card costs at most 4 billable operations, scan → join at most 8', async () => {
    const { batch } = await storeWithBatch(t);
    const scene = await sceneOf(batch.id, 1);
    const scan = await measure(() => t.call('bob', 'card', 'card.scan', { scene }));
    const join = await measure(() => t.call('bob', 'member', 'member.join', joinRequest({ scene }), rid()));
    expect(ok(join.result).card?.status).toBe('claimed');
    expect(billable(join.cost)).toBeLessThanOrEqual(4);
    expect(billable(scan.cost) + billable(join.cost)).toBeLessThanOrEqual(8);
  });

  it('a second customer with the same card joins and is told the benefit is gone; first touch still names the card', async () => {
    const { batch } = await storeWithBatch(t);
    const scene = await sceneOf(batch.id, 5);
    await joinAs(t, 'carol', { scene });
    const second = await joinAs(t, 'dave', { scene });
    expect(second).toMatchObject({ created: true, card: { status: 'used_by_other', message: '这张卡片的福利已被其他人领取，你的会员身份不受影响', coupon: null } });
    expect((await memberDoc('dave'))!.attribution).toMatchObject({ source: 'card', batchId: batch.id, serial: 5 });
    expect(ok(await t.call('dave', 'member', 'member.home', {})).member!.cardBenefit).toMatchObject({ batchId: batch.id, card: null, coupon: null });
    expect(await allOf(COLLECTIONS.events, { type: 'card_claim' })).toHaveLength(1);
  });

  it('ten customers joining with one card at the same moment: one benefit, ten members', async () => {
    const { batch } = await storeWithBatch(t);
    const scene = await sceneOf(batch.id, 2);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.call(`racer-${i}`, 'member', 'member.join', joinRequest({ scene }), rid())));
    const statuses = results.map((r) => ok(r).card!.status);
    expect(statuses.filter((s) => s === 'claimed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'used_by_other')).toHaveLength(9);
    expect(await allOf(COLLECTIONS.members)).toHaveLength(10);
    expect(await allOf(COLLECTIONS.events, { type: 'card_claim' })).toHaveLength(1);
  });

  it('double taps with a card make one member, one coupon and one of each event', async () => {
    const { batch } = await storeWithBatch(t);
    const scene = await sceneOf(batch.id, 4);
    const results = await Promise.all(Array.from({ length: 8 }, () => t.call('erin', 'member', 'member.join', joinRequest({ scene }), rid())));
    expect(results.filter((r) => ok(r).created)).toHaveLength(1);
    expect(results.filter((r) => ok(r).card!.status === 'claimed')).toHaveLength(1);
    expect(new Set(results.map((r) => ok(r).card!.status))).toEqual(new Set(['claimed', 'already_mine']));
    expect(await allOf(COLLECTIONS.coupons, { holder: 'erin' })).toHaveLength(1);
    expect(await allOf(COLLECTIONS.events, { type: 'member_signup' })).toHaveLength(1);
    expect(await allOf(COLLECTIONS.events, { type: 'card_claim' })).toHaveLength(1);
  });

  it('a forged or altered scene never reaches a benefit; the customer still joins, first touch direct', async () => {
    const { batch } = await storeWithBatch(t);
    const real = await sceneOf(batch.id, 6);
    const altered = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    const joined = await joinAs(t, 'frank', { scene: altered });
    expect(joined).toMatchObject({ created: true, card: { status: 'invalid', card: null, coupon: null } });
    expect((await memberDoc('frank'))!.attribution.source).toBe('direct');
    expect(await allOf(COLLECTIONS.coupons, { holder: 'frank' })).toEqual([]);
    expect(ok(await t.call('gina', 'card', 'card.scan', { scene: real })).state).toBe('fresh');
  });

  it('a card of a withdrawn batch joins the customer without the benefit', async () => {
    const { owner, batch } = await storeWithBatch(t);
    const scene = await sceneOf(batch.id, 7);
    ok(await t.call(owner, 'card', 'card.batch.revoke', { batchId: batch.id, reason: '印错了' }, rid()));
    const joined = await joinAs(t, 'hank', { scene });
    expect(joined).toMatchObject({ created: true, card: { status: 'expired', coupon: null } });
    expect((await memberDoc('hank'))!.attribution).toMatchObject({ source: 'card', batchId: batch.id, serial: 7, channel: null });
  });

  it('first touch is never overwritten: a member who scans another card later claims it, the first card stays', async () => {
    const { owner, batch } = await storeWithBatch(t);
    await joinAs(t, 'ivy', { scene: await sceneOf(batch.id, 1) });
    const other = await createTemplate(t, owner, { title: '京东专享券', totalStock: null });
    const jd = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { channel: 'jd', templateId: other.id }), rid()));
    const before = (await memberDoc('ivy'))!.attribution;

    const claimed = ok(await t.call('ivy', 'member', 'member.claimCard', { scene: await sceneOf(jd.id, 1) }, rid()));
    expect(claimed).toMatchObject({ status: 'claimed', card: { channel: 'jd' } });
    expect((await memberDoc('ivy'))!.attribution).toEqual(before);
    // Another card of the first batch: its coupon is one per person.
    const second = ok(await t.call('ivy', 'member', 'member.claimCard', { scene: await sceneOf(batch.id, 2) }, rid()));
    expect(second.status).toBe('limit_reached');
    // Joining again with yet another card changes nothing about the member either.
    await joinAs(t, 'ivy', { scene: await sceneOf(jd.id, 2) });
    expect((await memberDoc('ivy'))!.attribution).toEqual(before);
    expect(errorOf(await t.call('stranger', 'member', 'member.claimCard', { scene: await sceneOf(jd.id, 3) }, rid()))).toMatchObject({ code: 'NOT_FOUND', message: '请先加入会员' });
  });
});
