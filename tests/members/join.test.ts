/** Joining: one tap, the privacy notice first, one member per WeChat user, the phone kept private. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { open } from '../../server/members/crypto';
import { PRIVACY_VERSION } from '../../server/members/privacy';
import { installPlatform, platform } from '../../server/runtime/platform';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { allOf, joinAs, joinRequest, memberDoc } from './support';

const t = useRuntime();

describe('joining without a card', () => {
  it('a customer reads the notice, taps once and is a member with a masked development number', async () => {
    const notice = ok(await t.call('alice', 'member', 'member.privacy', {}));
    expect(notice).toMatchObject({ version: PRIVACY_VERSION, title: '会员隐私保护指引' });
    expect(ok(await t.call('alice', 'member', 'member.home', {})).member).toBeNull();

    t.rt.clock.set('2026-03-10T02:00:00Z');
    const joined = await joinAs(t, 'alice', { nickname: '爱丽丝', birthday: '1990-05-20', phoneCode: 'dev:13812348000' });
    expect(joined).toEqual({
      created: true,
      member: { openid: 'alice', nickname: '爱丽丝', avatar: null, phoneMasked: '138****8000', phoneIsDevelopment: true, joinedAt: '2026-03-10T02:00:00.000Z' },
      card: null,
    });

    const home = ok(await t.call('alice', 'member', 'member.home', {}));
    expect(home.member).toMatchObject({
      nickname: '爱丽丝',
      birthday: '1990-05-20',
      level: { rank: 0, name: '普通会员' },
      nextLevel: { name: '银卡会员', needSpentFen: 30_000, needOrders: 2 },
      points: 0,
      availableCoupons: 0,
      isBuyer: false,
      attribution: { source: 'direct', channel: null, batchId: null, serial: null, inviter: null },
      cardBenefit: null,
      community: null,
    });
    expect(home.privacy).toEqual({ version: PRIVACY_VERSION, acceptedVersion: PRIVACY_VERSION, needsReaccept: false });

    const doc = await memberDoc('alice');
    expect(doc).toMatchObject({ privacy: { version: PRIVACY_VERSION, acceptedAt: new Date('2026-03-10T02:00:00Z') }, joinedAt: new Date('2026-03-10T02:00:00Z') });
  });

  it('the phone is stored encrypted with a separate hash: the stored document holds no plain number', async () => {
    await joinAs(t, 'bob', { phoneCode: 'dev:13700001234' });
    const [raw] = await allOf<Record<string, unknown>>(COLLECTIONS.members, { _id: 'bob' });
    const text = JSON.stringify(raw);
    expect(text).not.toContain('13700001234');
    expect(text).not.toContain('0000123');
    const doc = (await memberDoc('bob'))!;
    expect(doc.phone.enc).toMatch(/^v1\./);
    expect(doc.phoneHash).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(open(doc.phone.enc, 'bob')).toBe('13700001234');
    // The ciphertext is bound to its member: copied onto someone else it does not open.
    expect(() => open(doc.phone.enc, 'mallory')).toThrow();
  });

  it('staff only ever see the phone masked, also when they search by the full number', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-1', 'clerk');
    await joinAs(t, 'carol', { phoneCode: 'dev:13600006666', nickname: '卡萝' });
    const found = ok(await t.call(clerk, 'admin', 'member.search', { phone: '13600006666' }));
    expect(found.members).toHaveLength(1);
    expect(found.members[0]).toMatchObject({ openid: 'carol', phoneMasked: '136****6666', phoneIsDevelopment: true });
    expect(JSON.stringify(found)).not.toContain('13600006666');
    const detail = ok(await t.call(clerk, 'admin', 'member.detail', { openid: 'carol' }));
    expect(JSON.stringify(detail)).not.toContain('13600006666');
    expect(ok(await t.call(clerk, 'admin', 'member.search', { nickname: '卡' })).members.map((m) => m.openid)).toEqual(['carol']);
    expect(ok(await t.call(clerk, 'admin', 'member.search', { phone: '13600006667' })).members).toEqual([]);
  });

  it('without accepting the privacy notice the customer is refused and nothing is written', async () => {
    const { result, cost } = await measure(() => t.call('dave', 'member', 'member.join', joinRequest({ privacyAccepted: false }), rid()));
    expect(errorOf(result)).toMatchObject({
      code: 'INVALID_INPUT',
      message: '请先阅读并同意《会员隐私保护指引》，再加入会员',
      fields: [{ path: 'payload.privacyAccepted', message: '需要同意《会员隐私保护指引》' }],
    });
    expect(cost.writes).toBe(0);
    expect(await memberDoc('dave')).toBeNull();
  });

  it('a notice version other than the current one is refused: the customer reads the new one', async () => {
    const error = errorOf(await t.call('erin', 'member', 'member.join', joinRequest({ privacyVersion: '2020-01-01' }), rid()));
    expect(error).toMatchObject({ code: 'CONFLICT', message: '《会员隐私保护指引》已更新，请重新阅读并同意' });
    expect(await memberDoc('erin')).toBeNull();
  });

  it('joining again, from a second device, changes nothing', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const first = await joinAs(t, 'frank', { nickname: '小方', phoneCode: 'dev:13500005555' });
    const before = await memberDoc('frank');
    t.rt.clock.set('2026-03-11T02:00:00Z');
    const second = await joinAs(t, 'frank', { nickname: '另一台手机', phoneCode: 'dev:13900009999' });
    expect(second).toEqual({ ...first, created: false });
    expect(await memberDoc('frank')).toEqual(before);
    expect(await allOf(COLLECTIONS.events, { type: 'member_signup' })).toHaveLength(1);
  });

  it('a retried join whose one-time phone code was already used answers the member; a stranger with a spent code is told to authorise again', async () => {
    const first = await joinAs(t, 'lily');
    const local = platform();
    installPlatform({ ...local, phoneNumber: async () => Promise.reject(Object.assign(new Error('invalid code'), { errCode: 40029 })) });
    try {
      const retried = ok(await t.call('lily', 'member', 'member.join', joinRequest(), rid()));
      expect(retried).toEqual({ ...first, created: false });
      const { result, cost } = await measure(() => t.call('mona', 'member', 'member.join', joinRequest(), rid()));
      expect(errorOf(result)).toMatchObject({ code: 'EXPIRED', message: '手机号授权已失效，请重新点击「授权手机号并加入」' });
      expect(cost.writes).toBe(0);
    } finally {
      installPlatform(local);
    }
  });

  it('twenty taps at once make one member and one sign-up event', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.call('gina', 'member', 'member.join', joinRequest({ nickname: `点${i}` }), rid())));
    const created = results.map((r) => ok(r).created);
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(new Set(results.map((r) => ok(r).member.nickname)).size).toBe(1);
    expect(await allOf(COLLECTIONS.members)).toHaveLength(1);
    expect(await allOf(COLLECTIONS.events, { type: 'member_signup' })).toHaveLength(1);
  });

  it('the unionid is kept when the platform gives it, also on a later visit', async () => {
    await t.rt.invoke('member', { action: 'member.join', payload: joinRequest(), requestId: rid() }, { OPENID: 'hank', UNIONID: 'union-hank' });
    expect((await memberDoc('hank'))!.unionid).toBe('union-hank');
    await joinAs(t, 'ivy');
    expect((await memberDoc('ivy'))!.unionid).toBeNull();
    await t.rt.invoke('member', { action: 'member.join', payload: joinRequest(), requestId: rid() }, { OPENID: 'ivy', UNIONID: 'union-ivy' });
    expect((await memberDoc('ivy'))!.unionid).toBe('union-ivy');
  });

  it('bad input is refused field by field and writes nothing', async () => {
    const { result, cost } = await measure(() =>
      t.call('jack', 'member', 'member.join', { ...joinRequest(), nickname: '', avatar: 'file:///etc/passwd', birthday: '2026-02-30', scene: '%%%' }, rid()),
    );
    const error = errorOf(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields?.map((f) => f.path).sort()).toEqual(['payload.avatar', 'payload.birthday', 'payload.nickname', 'payload.scene']);
    expect(cost.writes).toBe(0);
    const future = errorOf(await t.call('jack', 'member', 'member.join', joinRequest({ birthday: '2999-01-01' }), rid()));
    expect(future).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.birthday', message: '生日不能晚于今天' }] });
    expect(await memberDoc('jack')).toBeNull();
  });

  it('members written by other areas keep the fields coupons rely on', async () => {
    await joinAs(t, 'kim', { nickname: '小金' });
    const doc = (await memberDoc('kim'))!;
    expect(doc.joinedAt).toBeInstanceOf(Date);
    expect(doc).toMatchObject({ nickname: '小金', phoneMasked: '139****5678', segments: [], tags: [] });
  });
});
