/**
 * Invites: every member has a link and a poster; an invitee is credited to the FIRST inviter only,
 * at sign-up, for four billable operations; the landing page says who invites and whether joining
 * would credit them.
 */
import { PNG } from 'pngjs';
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { platform } from '../../server/runtime/platform';
import { inviteCodeOf, inviteToken } from '../../server/growth/invites/token';
import { allOf, joinRequest, memberDoc } from '../members/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { join, nextPhone, runningCampaign, sh } from './support';

const t = useRuntime();

const linkOf = async (openid: string) => ok(await t.call(openid, 'growth', 'invite.link', {}));

describe('the invite link', () => {
  it('a member gets a signed 30-character token in a share path, naming the running campaign; no openid is in it', async () => {
    t.rt.clock.set(sh('2026-04-01 10:00'));
    const owner = await makeOwner(t);
    await join(t, 'alice-openid-0001', { nickname: '爱丽丝' });
    const before = await linkOf('alice-openid-0001');
    expect(before.token).toMatch(/^iv[0-9A-Za-z]{28}$/);
    expect(before).toMatchObject({ sharePath: `/pages/entry/index?invite=${before.token}`, shareTitle: '爱丽丝邀你一起加入会员', campaign: null });
    expect(before.token).not.toContain('alice');

    const campaign = await runningCampaign(t, owner, { title: '邀好友 得好礼', posterLine: '好茶一起喝' });
    const during = await linkOf('alice-openid-0001');
    expect(during.token).not.toBe(before.token);
    expect(during).toMatchObject({ shareTitle: '爱丽丝邀你加入会员：邀好友 得好礼', campaign: { id: campaign.id, title: '邀好友 得好礼', posterLine: '好茶一起喝' } });
    expect(await linkOf('alice-openid-0001')).toEqual(during);
    expect(await allOf(COLLECTIONS.inviteCodes)).toHaveLength(1);

    expect(errorOf(await t.call('stranger', 'growth', 'invite.link', {}))).toMatchObject({ code: 'NOT_FOUND', message: '你还不是会员，请先加入会员' });
  });

  it('a friend opening the link sees who invites (masked); the inviter sees their own link; a member is told nobody gets credited; a forged token is unreadable', async () => {
    await join(t, 'alice', { nickname: '爱丽丝' });
    await join(t, 'member-bob');
    const { token } = await linkOf('alice');
    expect(ok(await t.call('newcomer', 'growth', 'invite.open', { token }))).toEqual({ status: 'ok', inviter: { nickname: '爱*丝', avatar: null }, campaign: null });
    expect(ok(await t.call('alice', 'growth', 'invite.open', { token })).status).toBe('self');
    expect(ok(await t.call('member-bob', 'growth', 'invite.open', { token })).status).toBe('member');
    const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(ok(await t.call('newcomer', 'growth', 'invite.open', { token: forged }))).toEqual({ status: 'invalid', inviter: null, campaign: null });
    const unknownCode = inviteToken(inviteCodeOf('nobody-here'), null);
    expect(ok(await t.call('newcomer', 'growth', 'invite.open', { token: unknownCode })).status).toBe('invalid');
    expect(errorOf(await t.call('newcomer', 'growth', 'invite.open', { token: 'abc' }))).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.token', message: '邀请链接无效' }] });
    expect((await allOf(COLLECTIONS.events, { type: 'invite_open' })).length).toBe(1);
  });
});

describe('joining through an invite', () => {
  it('the invitee joins in four billable operations and is credited to the inviter (first touch)', async () => {
    t.rt.clock.set(sh('2026-04-01 10:00'));
    const owner = await makeOwner(t);
    const campaign = await runningCampaign(t, owner);
    await join(t, 'alice');
    const { token } = await linkOf('alice');
    const { result, cost } = await measure(() => t.call('bob', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join')));
    expect(ok(result)).toMatchObject({ created: true, invite: { status: 'credited' } });
    expect(cost.invocations + cost.reads + cost.writes).toBe(4);
    expect((await memberDoc('bob'))!.attribution).toEqual({ source: 'invite', channel: 'invite', batchId: null, serial: null, inviter: 'alice', campaign: campaign.id, at: new Date(sh('2026-04-01 10:00')) });
    const events = await allOf<{ type: string; openid: string; ref?: string; channel?: string }>(COLLECTIONS.events);
    expect(events.filter((e) => e.openid === 'bob').map((e) => [e.type, e.channel, e.ref])).toEqual([
      ['member_signup', 'invite', undefined],
      ['invite_signup', 'invite', `${campaign.id}:alice`],
    ]);
    // Bob sees that someone invited him, not alice's openid; the record and staff keep who it was.
    expect(ok(await t.call('bob', 'member', 'member.home', {})).member!.attribution).toMatchObject({ source: 'invite', inviter: 'invited' });
    expect((await memberDoc('bob'))!.attribution).toMatchObject({ source: 'invite', inviter: 'alice' });
  });

  it('the first inviter keeps the credit: a second inviter\'s link opened later credits nobody', async () => {
    await join(t, 'alice');
    await join(t, 'carol');
    await join(t, 'bob', { invite: (await linkOf('alice')).token });
    const carols = (await linkOf('carol')).token;
    expect(ok(await t.call('bob', 'growth', 'invite.open', { token: carols })).status).toBe('member');
    const again = ok(await t.call('bob', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: carols }), rid('join')));
    expect(again).toMatchObject({ created: false, invite: { status: 'already_member' } });
    expect((await memberDoc('bob'))!.attribution.inviter).toBe('alice');
    expect(await allOf(COLLECTIONS.events, { type: 'invite_signup' })).toHaveLength(1);
  });

  it('your own link, a forged link, or a card scanned as well credit nobody; the customer still joins', async () => {
    await join(t, 'alice');
    const { token } = await linkOf('alice');
    ok(await t.call('alice', 'member', 'member.delete', { confirm: true }, rid('del')));
    // Deleting the account also removed alice's invite code, so her old link credits nobody at all.
    const self = ok(await t.call('alice', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join')));
    expect(self).toMatchObject({ created: true, invite: { status: 'invalid' } });
    expect((await memberDoc('alice'))!.attribution).toMatchObject({ source: 'direct', inviter: null });

    const forged = token.slice(0, 20) + 'ZZZZZZZZZZ';
    expect(ok(await t.call('dan', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: forged }), rid('join')))).toMatchObject({ created: true, invite: { status: 'invalid' } });
    expect((await memberDoc('dan'))!.attribution.source).toBe('direct');
    expect(await allOf(COLLECTIONS.events, { type: 'invite_signup' })).toEqual([]);

    const bad = errorOf(await t.call('eve', 'member', 'member.join', joinRequest({ invite: 'not a token' }), rid('join')));
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.invite', message: '邀请链接无效' }] });
    expect(await memberDoc('eve')).toBeNull();
  });

  it('twenty friends joining at once through one link are all credited to the inviter', async () => {
    await join(t, 'alice');
    const { token } = await linkOf('alice');
    const friends = Array.from({ length: 20 }, (_, i) => `friend-${i}`);
    const results = await Promise.all(friends.map((f) => t.call(f, 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join'))));
    expect(results.every((r) => ok(r).invite?.status === 'credited')).toBe(true);
    expect((await allOf(COLLECTIONS.members, { 'attribution.inviter': 'alice' })).length).toBe(20);
  });
});

describe('the poster', () => {
  it('is a PNG with the code of the member\'s token, stored once and linked; it says when the code is a local stand-in', async () => {
    t.rt.clock.set(sh('2026-04-01 10:00'));
    const owner = await makeOwner(t);
    await runningCampaign(t, owner);
    await join(t, 'alice', { nickname: '爱丽丝' });
    const poster = ok(await t.call('alice', 'growth', 'invite.poster', {}));
    expect(poster).toMatchObject({ width: 750, height: 1200, standIn: true });
    expect(poster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/invite-posters\//);
    const png = PNG.sync.read(await platform().readFile(poster.fileId));
    expect([png.width, png.height]).toEqual([750, 1200]);
    // The header band is green and carries light text; the code sits on a white card.
    const pixel = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    expect(pixel(5, 5)).toEqual([0x2f, 0x5d, 0x50]);
    const header = Array.from({ length: 670 }, (_, x) => pixel(40 + x, 185)).filter(([r]) => r > 200);
    expect(header.length).toBeGreaterThan(50);
    expect(pixel(375, 400)).toEqual([255, 255, 255]);

    const again = ok(await t.call('alice', 'growth', 'invite.poster', {}));
    expect(again.fileId).toBe(poster.fileId);
    ok(await t.call('alice', 'member', 'member.profile.update', { nickname: '小爱' }, rid()));
    expect(ok(await t.call('alice', 'growth', 'invite.poster', {})).fileId).not.toBe(poster.fileId);
  });
});

describe('leaving', () => {
  it('the clean-up for a deleted account removes the reminder subscriptions and the invite code: old links credit nobody', async () => {
    const { forgetGrowthTraces } = await import('../../server/growth/privacy');
    await join(t, 'alice');
    const { token } = await linkOf('alice');
    ok(await t.call('alice', 'growth', 'repurchase.subscribe', { accepted: true }, rid('sub')));
    ok(await t.call('alice', 'member', 'member.delete', { confirm: true }, rid('del')));
    await forgetGrowthTraces('alice', 'anon_again');
    expect(await allOf(COLLECTIONS.repurchaseReminderCredits)).toEqual([]);
    expect(await allOf(COLLECTIONS.inviteCodes)).toEqual([]);
    expect(ok(await t.call('bob', 'growth', 'invite.open', { token })).status).toBe('invalid');
    expect(ok(await t.call('bob', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join'))).invite).toEqual({ status: 'invalid' });
  });
});
