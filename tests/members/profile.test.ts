/** The member's own data: edit the profile, read the notice, export everything, delete the account. */
import { COLLECTIONS, collections } from '../../database/collections';
import type { MemberDoc } from '../../server/members/model';
import type { TombstoneDoc } from '../../server/members/delete';
import { getDb } from '../../server/runtime/db';
import { PRIVACY_VERSION } from '../../server/members/privacy';
import { errorOf, ok, rid, useRuntime, type TestRuntime } from '../support/runtime';
import { sceneOf, storeWithBatch } from '../cards/support';
import { importOrders } from '../orders/support';
import { allOf, joinAs, memberDoc } from './support';

const t = useRuntime();

const ORDER = { orderNo: '3872000011112222333', phone: '13812348000', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井 250g' };

/** A member who came from a card, bound an order and so holds a coupon, points and events. */
async function busyMember(t: TestRuntime, openid: string): Promise<void> {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const { owner, batch } = await storeWithBatch(t);
  await importOrders(t, owner, [ORDER]);
  const scene = await sceneOf(batch.id, 1);
  ok(await t.call(openid, 'card', 'card.scan', { scene }));
  await joinAs(t, openid, { scene, nickname: '小周', birthday: '1990-05-20', phoneCode: 'dev:13912345678' });
  ok(await t.call(openid, 'member', 'member.bindOrder', { orderNo: ORDER.orderNo, phoneLast4: '8000' }, rid()));
}

/** Every stored document of every collection, as text. */
async function everything(): Promise<string> {
  const all = await Promise.all(collections.map((c) => allOf(c.name)));
  return JSON.stringify(all);
}

describe('the profile', () => {
  it('a member edits nickname and avatar any time, and sets the birthday once', async () => {
    await joinAs(t, 'alice');
    const card = ok(await t.call('alice', 'member', 'member.profile.update', { nickname: '新名字', avatar: 'cloud://env-1/avatars/alice.png' }, rid()));
    expect(card).toMatchObject({ nickname: '新名字', avatar: 'cloud://env-1/avatars/alice.png', birthday: null });
    expect(ok(await t.call('alice', 'member', 'member.profile.update', { birthday: '1992-02-29' }, rid())).birthday).toBe('1992-02-29');
    expect(errorOf(await t.call('alice', 'member', 'member.profile.update', { birthday: '1992-03-01' }, rid()))).toMatchObject({
      code: 'CONFLICT',
      message: '生日设置后不能修改，如需更正请联系客服',
    });
    expect(ok(await t.call('alice', 'member', 'member.profile.update', { avatar: null }, rid())).avatar).toBeNull();
    expect(errorOf(await t.call('alice', 'member', 'member.profile.update', {}, rid())).code).toBe('INVALID_INPUT');
    expect(errorOf(await t.call('nobody', 'member', 'member.profile.update', { nickname: '甲' }, rid())).code).toBe('NOT_FOUND');
  });

  it('a member accepts the current notice again when asked; an outdated version is refused', async () => {
    await joinAs(t, 'bob');
    expect(ok(await t.call('bob', 'member', 'member.acceptPrivacy', { version: PRIVACY_VERSION }, rid())).version).toBe(PRIVACY_VERSION);
    expect(errorOf(await t.call('bob', 'member', 'member.acceptPrivacy', { version: '2001-01-01' }, rid())).code).toBe('CONFLICT');
  });
});

describe('exporting my data', () => {
  it('gives everything held about the member, the full phone number included', async () => {
    await busyMember(t, 'carol');
    const data = ok(await t.call('carol', 'member', 'member.export', {}));
    expect(data.profile).toMatchObject({ openid: 'carol', nickname: '小周', phone: '13912345678', countryCode: '86', phoneIsDevelopment: true, birthday: '1990-05-20', points: 128, orders: 1 });
    expect(data.profile.attribution).toMatchObject({ source: 'card', channel: 'taobao' });
    expect(data.orders.map((o) => o.orderNo)).toEqual([ORDER.orderNo]);
    expect(data.pointsLedger).toMatchObject([{ delta: 128, balanceAfter: 128 }]);
    expect(data.coupons).toHaveLength(1);
    expect(data.events.map((e) => e.type).sort()).toEqual(['card_claim', 'card_scan', 'member_signup', 'order_bind']);
    expect(errorOf(await t.call('stranger', 'member', 'member.export', {})).code).toBe('NOT_FOUND');
  });
});

describe('deleting my account', () => {
  it('removes the personal data, de-identifies coupons, events, points and orders, and keeps anonymised counts', async () => {
    await busyMember(t, 'dave');
    const couponId = (await allOf<{ _id: string }>(COLLECTIONS.coupons, { holder: 'dave' }))[0]._id;
    const refused = errorOf(await t.call('dave', 'member', 'member.delete', {} as never, rid()));
    expect(refused.code).toBe('INVALID_INPUT');

    expect(ok(await t.call('dave', 'member', 'member.delete', { confirm: true }, rid()))).toEqual({ deleted: true });

    expect(await memberDoc('dave')).toBeNull();
    const stored = await everything();
    expect(stored).not.toContain('"dave"');
    expect(stored).not.toContain('dave#');
    expect(stored).not.toContain('dave:');
    expect(stored).not.toContain('13912345678');
    expect(stored).not.toContain('小周');
    const [tomb] = await allOf<TombstoneDoc>(COLLECTIONS.memberTombstones);
    expect(tomb).toMatchObject({ joinedMonth: '2026-03', orders: 1, spentFen: 12850, points: 128, channel: 'taobao' });
    expect(tomb._id).toMatch(/^anon_[0-9A-Za-z]{16}$/);
    const [coupon] = await allOf<{ holder: string; state: string }>(COLLECTIONS.coupons, { _id: couponId });
    expect(coupon).toMatchObject({ holder: tomb._id, state: 'expired' });
    expect((await allOf<{ openid: string }>(COLLECTIONS.events)).filter((e) => e.openid === tomb._id).length).toBeGreaterThanOrEqual(5);
    expect(await allOf(COLLECTIONS.orders, { boundTo: tomb._id })).toHaveLength(1);

    // Deleting again is answered the same; joining again starts afresh.
    expect(ok(await t.call('dave', 'member', 'member.delete', { confirm: true }, rid()))).toEqual({ deleted: true });
    const again = await joinAs(t, 'dave');
    expect(again.created).toBe(true);
    expect(ok(await t.call('dave', 'member', 'member.home', {})).member).toMatchObject({ points: 0, orders: 0, attribution: { source: 'direct' } });
  });

  it('a deletion interrupted half-way is finished by the retry, under the same anonymous id', async () => {
    await busyMember(t, 'erin');
    // The crash: marked for deletion, events moved, nothing else.
    await getDb()
      .collection(COLLECTIONS.members)
      .doc('erin')
      .update({ data: { status: 'deleting', deletion: { anonId: 'anon_0000000000000001', requestedAt: new Date() } } });
    await getDb().collection(COLLECTIONS.events).where({ openid: 'erin' }).update({ data: { openid: 'anon_0000000000000001' } });
    expect(ok(await t.call('erin', 'member', 'member.home', {})).member).toBeNull();
    expect(errorOf(await t.call('erin', 'member', 'member.join', { phoneCode: 'dev:13900000000', privacyAccepted: true, privacyVersion: PRIVACY_VERSION }, rid())).code).toBe('CONFLICT');

    ok(await t.call('erin', 'member', 'member.delete', { confirm: true }, rid()));
    expect(await allOf<TombstoneDoc>(COLLECTIONS.memberTombstones)).toMatchObject([{ _id: 'anon_0000000000000001', orders: 1 }]);
    expect(await everything()).not.toContain('"erin"');
    expect(await allOf<MemberDoc>(COLLECTIONS.members)).toEqual([]);
  });
});
