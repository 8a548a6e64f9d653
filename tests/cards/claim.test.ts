/** Scanning a card and claiming its benefit: one card, one benefit, exactly once. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { claimCardBenefit, claimEventsOf } from '../../server/cards/claim';
import { getDb } from '../../server/runtime/db';
import { endOfShanghaiDay } from '../../server/runtime/shanghai';
import { addMember, createTemplate, issuedOf } from '../coupons/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { batchInput, dayAfter, LETTER, sceneOf, storeWithBatch } from './support';

const t = useRuntime();
const now = () => new Date(t.rt.clock.now());
const claim = (scene: string, openid: string) => claimCardBenefit({ scene, openid, now: now() });

describe('a customer scans a fresh card', () => {
  it('sees the letter and the benefit, the scan is recorded with batch and channel, for 3 billable operations', async () => {
    const { batch } = await storeWithBatch(t, { channel: 'jd', quantity: 5 });
    const scene = await sceneOf(batch.id, 4);
    const { result, cost } = await measure(() => t.call('alice', 'card', 'card.scan', { scene }));
    expect(ok(result)).toEqual({
      state: 'fresh',
      card: {
        cardId: `${batch.id}-4`,
        batchId: batch.id,
        serial: 4,
        channel: 'jd',
        channelName: '京东',
        product: '明前龙井 250g',
        letter: LETTER,
        benefit: '满99减20',
        benefitTitle: '老客回购券',
        claimUntil: expect.any(String),
        ownerStaffId: null,
      },
      couponId: null,
      message: '感谢你的支持！加入会员即可领取「满99减20」。',
    });
    // Invocation, one read (the card's slot), one event write.
    expect(cost).toEqual({ invocations: 1, reads: 1, writes: 1 });
    expect(cost.invocations + cost.reads + cost.writes).toBeLessThanOrEqual(4);
    const [event] = (await getDb().collection(COLLECTIONS.events).where({ type: 'card_scan' }).get()).data;
    expect(event).toMatchObject({ openid: 'alice', batchId: batch.id, channel: 'jd', ref: `${batch.id}-4` });
  });

  it('claims the benefit in one write; the coupon is in the wallet with its card as source, opens and can be redeemed', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 2 });
    const scene = await sceneOf(batch.id, 1);
    await addMember('alice');
    const { result, cost } = await measure(() => claim(scene, 'alice'));
    expect(cost).toEqual({ invocations: 0, reads: 0, writes: 1 });
    expect(result.status).toBe('claimed');
    expect(result.card).toMatchObject({ cardId: `${batch.id}-1`, benefit: '满99减20', channel: 'taobao' });
    expect(claimEventsOf(result, 'alice')).toEqual([{ type: 'card_claim', openid: 'alice', batchId: batch.id, channel: 'taobao', ref: `${batch.id}-1` }]);

    const wallet = ok(await t.call('alice', 'coupon', 'coupon.mine', { state: 'available' }));
    expect(wallet.coupons).toHaveLength(1);
    const [coupon] = wallet.coupons;
    expect(coupon).toMatchObject({ id: result.coupon!._id, benefit: '满99减20', state: 'available', source: { type: 'package_card', ref: `${batch.id}-1` } });
    // Valid 7 days from the claim, the claim day being day 1.
    expect(coupon.expiresAt).toBe(endOfShanghaiDay(now(), 6).toISOString());
    expect(ok(await t.call('alice', 'coupon', 'coupon.detail', { couponId: coupon.id })).code).toBe(coupon.code);
    const redeemed = ok(await t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen: 12800, orderRef: 'TB-1' }, rid()));
    expect(redeemed.discountFen).toBe(2000);
    const [listed] = ok(await t.call(owner, 'card', 'card.batch.list', {})).batches;
    expect(listed).toMatchObject({ claimed: 1, redeemed: 1 });
  });

  it('re-scanning tells the holder it is theirs and anyone else that it is used', async () => {
    const { batch } = await storeWithBatch(t, { quantity: 1 });
    const scene = await sceneOf(batch.id, 1);
    const taken = await claim(scene, 'alice');
    expect(ok(await t.call('alice', 'card', 'card.scan', { scene }))).toMatchObject({ state: 'mine', couponId: taken.coupon!._id });
    expect(ok(await t.call('bob', 'card', 'card.scan', { scene }))).toMatchObject({
      state: 'used',
      couponId: null,
      message: '这张卡片的福利已经被领取。你仍然可以加入会员，第一时间收到店铺的新品和福利。',
    });
    expect(await claim(scene, 'alice')).toMatchObject({ status: 'already_mine', coupon: { _id: taken.coupon!._id } });
    expect(await claim(scene, 'bob')).toMatchObject({ status: 'used_by_other', coupon: null, card: { cardId: `${batch.id}-1` } });
  });
});

describe('exactly once under load', () => {
  it('100 people scanning and claiming one card at the same moment: one benefit, 99 told it is used', async () => {
    const { template, batch } = await storeWithBatch(t, { quantity: 3 });
    const scene = await sceneOf(batch.id, 2);
    const people = Array.from({ length: 100 }, (_, i) => `racer-${i}`);
    const results = await Promise.all(
      people.map(async (openid) => {
        const scan = ok(await t.call(openid, 'card', 'card.scan', { scene }));
        return { scan, claim: await claim(scene, openid) };
      }),
    );
    const winners = results.filter((r) => r.claim.status === 'claimed');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.claim.status === 'used_by_other')).toHaveLength(99);
    expect(results.every((r) => r.scan.state === 'fresh' || r.scan.state === 'used')).toBe(true);
    const issued = await issuedOf(template.id);
    expect(issued).toEqual([expect.objectContaining({ holder: winners[0].claim.coupon!.holder })]);
    // The other cards of the batch are untouched.
    expect(ok(await t.call('late', 'card', 'card.scan', { scene: await sceneOf(batch.id, 3) })).state).toBe('fresh');
  }, 30_000);

  it('the same person tapping 20 times at once gets the benefit once', async () => {
    const { template, batch } = await storeWithBatch(t, { quantity: 1 });
    const scene = await sceneOf(batch.id, 1);
    const results = await Promise.all(Array.from({ length: 20 }, () => claim(scene, 'tapper')));
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already_mine')).toHaveLength(19);
    expect(new Set(results.map((r) => r.coupon!._id)).size).toBe(1);
    expect(await issuedOf(template.id)).toHaveLength(1);
  });
});

describe('the coupon rules still hold', () => {
  it("a second card of a one-per-person coupon is refused and stays for someone else; a limit of 2 lets it through", async () => {
    const { template, batch } = await storeWithBatch(t, { quantity: 3 });
    await claim(await sceneOf(batch.id, 1), 'carol');
    await expect(claim(await sceneOf(batch.id, 2), 'carol')).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    expect(await claim(await sceneOf(batch.id, 2), 'dave')).toMatchObject({ status: 'claimed' });
    expect(await issuedOf(template.id)).toHaveLength(2);

    const owner = 'owner-1';
    const generous = await createTemplate(t, owner, { totalStock: 10, perMemberLimit: 2 });
    ok(await t.call('erin', 'coupon', 'coupon.claim', { templateId: generous.id }, rid()));
    const second = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { templateId: generous.id, quantity: 2 }), rid()));
    const got = await claim(await sceneOf(second.id, 1), 'erin');
    expect(got).toMatchObject({ status: 'claimed', coupon: { holderSeq: 'erin#2' } });
    await expect(claim(await sceneOf(second.id, 2), 'erin')).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
  });

  it('a fixed-date coupon keeps its dates whenever the card is claimed', async () => {
    const { batch } = await storeWithBatch(t, { quantity: 1, validUntil: dayAfter(t, 20) }, { validity: { type: 'fixed', startDate: dayAfter(t, 0), endDate: dayAfter(t, 30) } });
    t.rt.clock.set(new Date(t.rt.clock.now() + 5 * 86_400_000).toISOString());
    const got = await claim(await sceneOf(batch.id, 1), 'frank');
    expect(got.status).toBe('claimed');
    const coupon = ok(await t.call('frank', 'coupon', 'coupon.detail', { couponId: got.coupon!._id }));
    expect(coupon.expiresAt).toBe(new Date(`${dayAfter(t, 25)}T23:59:59.999+08:00`).toISOString());
  });
});

describe('cards that can no longer be claimed', () => {
  it('after its last day a card lands on the friendly expired page and claims nothing', async () => {
    const { template, batch } = await storeWithBatch(t, { quantity: 2, validUntil: dayAfter(t, 10) });
    const scene = await sceneOf(batch.id, 1);
    t.rt.clock.set(new Date(t.rt.clock.now() + 12 * 86_400_000).toISOString());
    const scan = ok(await t.call('gina', 'card', 'card.scan', { scene }));
    expect(scan).toMatchObject({ state: 'expired', card: { cardId: `${batch.id}-1`, letter: LETTER }, message: '这张卡片已过领取期限。你仍然可以加入会员，第一时间收到店铺的新品和福利。' });
    await expect(claim(scene, 'gina')).rejects.toMatchObject({ code: 'EXPIRED', message: '这张卡片已过领取期限' });
    expect(await issuedOf(template.id)).toHaveLength(0);
    const [event] = (await getDb().collection(COLLECTIONS.events).where({ type: 'card_scan_invalid' }).get()).data;
    expect(event).toMatchObject({ batchId: batch.id, channel: 'taobao', ref: `expired:${batch.id}-1` });
  });

  it('a revoked batch lands on the friendly page; a coupon claimed before stays its holder’s', async () => {
    const { owner, template, batch } = await storeWithBatch(t, { quantity: 3 });
    const kept = await claim(await sceneOf(batch.id, 1), 'holly');
    const revoked = ok(await t.call(owner, 'card', 'card.batch.revoke', { batchId: batch.id, reason: '快递丢件，整批作废' }, rid()));
    expect(revoked).toMatchObject({ status: 'revoked', revokeReason: '快递丢件，整批作废', claimed: 1 });

    const scene = await sceneOf(batch.id, 2);
    expect(ok(await t.call('ivan', 'card', 'card.scan', { scene }))).toMatchObject({
      state: 'revoked',
      card: { cardId: `${batch.id}-2` },
      couponId: null,
      message: '这批卡片已停止使用。你仍然可以加入会员，第一时间收到店铺的新品和福利。',
    });
    await expect(claim(scene, 'ivan')).rejects.toMatchObject({ code: 'EXPIRED', message: '这批卡片已停止使用' });
    expect(ok(await t.call('holly', 'card', 'card.scan', { scene: await sceneOf(batch.id, 1) }))).toMatchObject({ state: 'mine', couponId: kept.coupon!._id });
    expect(await issuedOf(template.id)).toHaveLength(1);
    // Revoking again changes nothing; exporting a revoked batch is refused.
    expect(ok(await t.call(owner, 'card', 'card.batch.revoke', { batchId: batch.id, reason: '再次' }, rid()))).toMatchObject({ revokeReason: '快递丢件，整批作废' });
    expect(errorOf(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id }, rid())).code).toBe('CONFLICT');
  });

  it('a card without a benefit welcomes the customer into the community and claims nothing', async () => {
    const { owner } = await storeWithBatch(t, { quantity: 1 });
    const plain = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { quantity: 2, templateId: null }), rid()));
    const scene = await sceneOf(plain.id, 2);
    expect(ok(await t.call('judy', 'card', 'card.scan', { scene }))).toMatchObject({
      state: 'fresh',
      card: { benefit: null, benefitTitle: null },
      message: '感谢你的支持！加入会员，第一时间收到店铺的新品和福利。',
    });
    expect(await claim(scene, 'judy')).toMatchObject({ status: 'no_benefit', coupon: null });
    ok(await t.call(owner, 'card', 'card.batch.revoke', { batchId: plain.id, reason: '停用' }, rid()));
    expect(ok(await t.call('judy', 'card', 'card.scan', { scene })).state).toBe('revoked');
    await expect(claim(scene, 'judy')).rejects.toMatchObject({ code: 'EXPIRED' });
  });
});
