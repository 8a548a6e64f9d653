/**
 * Deleting an account and the invite records: the openid leaves every invite record, the invitees'
 * member documents, the invite events and the reward coupons, replaced by a keyed pseudonym; the
 * leaderboard keeps the count; and the rules still know the person when they come back (first
 * inviter only, loops, the daily cap). A member with many invitees is done a page at a time, and a
 * retry after a crash finishes the job.
 */
import { COLLECTIONS } from '../../database/collections';
import { eraseInviteTraces, renameInviterPage } from '../../server/growth/invites/erase';
import { erasedId } from '../../server/growth/invites/erased';
import type { InviteDoc } from '../../server/growth/invites/model';
import type { MemberDoc } from '../../server/members/model';
import { getById } from '../../server/runtime/db';
import { allOf, joinRequest } from '../members/support';
import { ok, rid, useRuntime } from '../support/runtime';
import { boundOrder, growthTimerLater, inviteStore, inviteToken, join, nextPhone } from './support';

const t = useRuntime();

const store = (caps: Parameters<typeof inviteStore>[1] = {}) => inviteStore(t, caps);
const tokenOf = (openid: string) => inviteToken(t, openid);
const timerLater = (minutes = 5) => growthTimerLater(t, minutes);
const leave = async (openid: string) => ok(await t.call(openid, 'member', 'member.delete', { confirm: true }, rid('del')));

/** The collections the invite flow writes, as text. */
async function inviteTraces(): Promise<string> {
  const names = [COLLECTIONS.invites, COLLECTIONS.inviteBoards, COLLECTIONS.members, COLLECTIONS.events, COLLECTIONS.coupons];
  return JSON.stringify(await Promise.all(names.map((c) => allOf(c))));
}

const rewardsOf = (openid: string) => allOf<{ requestKey: string; source: { ref: string } }>(COLLECTIONS.coupons, { holder: openid, 'source.type': 'invite' });

describe('an inviter who deletes their account', () => {
  it('leaves no openid in their invitees\' records, member documents, events or the coupons, and keeps their count on the leaderboard as 已注销用户', async () => {
    const s = await store();
    await join(t, 'alice', { nickname: '爱丽丝' });
    await join(t, 'carol', { nickname: '卡萝尔' });
    const alices = await tokenOf('alice');
    for (const i of [1, 2, 3]) await join(t, `a-friend-${i}`, { invite: alices });
    await join(t, 'c-friend', { invite: await tokenOf('carol') });
    await timerLater();
    await boundOrder(t, s.owner, 'a-friend-1', '2026-04-01 12:00');
    await timerLater();
    expect((await rewardsOf('alice')).length).toBe(4);
    expect(await inviteTraces()).toContain('"alice"');

    await leave('alice');
    const after = await inviteTraces();
    expect(after).not.toContain('alice');
    const gone = erasedId('alice');
    expect((await allOf<InviteDoc>(COLLECTIONS.invites, { inviter: gone })).map((r) => r._id).sort()).toEqual(['a-friend-1', 'a-friend-2', 'a-friend-3']);
    expect((await allOf<MemberDoc>(COLLECTIONS.members, { 'attribution.inviter': gone })).length).toBe(3);

    const board = ok(await t.call('carol', 'growth', 'invite.mine', {})).leaderboard;
    expect(board.entries).toEqual([
      { rank: 1, nickname: '已注销用户', invited: 3, isMe: false },
      { rank: 2, nickname: '卡*尔', invited: 1, isMe: true },
    ]);
    // Rebuilt after the next invite, it counts the same.
    await join(t, 'c-friend-2', { invite: await tokenOf('carol') });
    await timerLater();
    const rebuilt = ok(await t.call('carol', 'growth', 'invite.mine', {}));
    expect(rebuilt.leaderboard.entries.map((e) => [e.nickname, e.invited])).toEqual([
      ['已注销用户', 3],
      ['卡*尔', 2],
    ]);
    expect(JSON.stringify(rebuilt)).not.toContain(gone);
    const campaigns = ok(await t.call(s.owner, 'growth', 'invite.campaign.list', {})).campaigns;
    expect(campaigns[0]).toMatchObject({ id: s.campaignId, invitees: 5 });
    // The invitee's first order after the inviter left earns nobody anything.
    await boundOrder(t, s.owner, 'a-friend-2', '2026-04-01 13:00');
    await timerLater();
    expect(await getById<InviteDoc>(COLLECTIONS.invites, 'a-friend-2')).toMatchObject({ inviter: gone, order: { state: 'refused', reason: 'inviter_gone' } });
    expect(await inviteTraces()).not.toContain('alice');
  });

  it('goes a page at a time, and a retry after a crash finishes the job and changes nothing done', async () => {
    await store();
    await join(t, 'alice');
    const token = await tokenOf('alice');
    const friends = Array.from({ length: 230 }, (_, i) => `f${String(i).padStart(3, '0')}`);
    for (let i = 0; i < friends.length; i += 50) {
      await Promise.all(friends.slice(i, i + 50).map((f) => t.call(f, 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join'))));
    }
    await timerLater();
    expect((await allOf(COLLECTIONS.invites, { inviter: 'alice' })).length).toBe(230);

    // A deletion that stopped after one page of the records.
    expect(await renameInviterPage('alice')).toBe(true);
    expect((await allOf(COLLECTIONS.invites, { inviter: erasedId('alice') })).length).toBe(100);
    expect((await allOf(COLLECTIONS.invites, { inviter: 'alice' })).length).toBe(130);

    await leave('alice');
    expect((await allOf(COLLECTIONS.invites, { inviter: erasedId('alice') })).length).toBe(230);
    expect((await allOf(COLLECTIONS.members, { 'attribution.inviter': erasedId('alice') })).length).toBe(230);
    const done = await inviteTraces();
    expect(done).not.toContain('alice');
    const [tombstone] = await allOf<{ _id: string }>(COLLECTIONS.memberTombstones);
    await eraseInviteTraces('alice', tombstone._id);
    expect(await inviteTraces()).toBe(done);
  });
});

describe('a member who deletes their account and comes back', () => {
  it('through another link is still their first inviter\'s: no second sign-up reward, their first order rewards the first inviter', async () => {
    const s = await store();
    await join(t, 'erin');
    await join(t, 'carol');
    await join(t, 'bob', { invite: await tokenOf('erin') });
    await timerLater();
    expect((await rewardsOf('erin')).map((c) => c.requestKey)).toEqual(['inv:bob:signup']);

    await leave('bob');
    // The record, the coupon Erin holds and her reward event name Bob by pseudonym only.
    expect(await inviteTraces()).not.toContain('bob');
    expect((await rewardsOf('erin')).map((c) => [c.requestKey, c.source.ref])).toEqual([[`inv:${erasedId('bob')}:signup`, erasedId('bob')]]);

    await join(t, 'bob', { invite: await tokenOf('carol') });
    await timerLater();
    await boundOrder(t, s.owner, 'bob', '2026-04-01 12:00');
    await timerLater();
    expect(await rewardsOf('carol')).toEqual([]);
    expect((await rewardsOf('erin')).map((c) => c.requestKey).sort()).toEqual([`inv:${erasedId('bob')}:order`, `inv:${erasedId('bob')}:signup`]);
    expect(await getById(COLLECTIONS.invites, 'bob')).toBeNull();
    // Carol sees him as not hers.
    expect(ok(await t.call('carol', 'growth', 'invite.mine', {})).invitees).toEqual([expect.objectContaining({ signup: 'not_eligible', order: 'not_eligible' })]);
    expect((await allOf(COLLECTIONS.events, { type: 'invite_order', openid: 'bob' })).length).toBe(1);
  });

  it('through the link of someone they invited is a loop, and as an inviter shares the day\'s cap with the old account', async () => {
    await store({ signupDailyCap: 2 });
    await join(t, 'alice');
    await join(t, 'f1', { invite: await tokenOf('alice') });
    await join(t, 'f2', { invite: await tokenOf('alice') });
    await join(t, 'g', { invite: await tokenOf('f1') });
    await timerLater();
    expect((await rewardsOf('alice')).length).toBe(2);

    const gs = await tokenOf('g');
    await leave('alice');
    await join(t, 'alice', { invite: gs });
    await join(t, 'f3', { invite: await tokenOf('alice') });
    await timerLater();
    expect(await getById<InviteDoc>(COLLECTIONS.invites, 'alice')).toMatchObject({ inviter: 'g', refusal: 'loop', signup: { state: 'refused' } });
    expect(await rewardsOf('g')).toEqual([]);
    expect(await getById<InviteDoc>(COLLECTIONS.invites, 'f3')).toMatchObject({ inviter: 'alice', refusal: null, signup: { state: 'capped', reason: 'daily' } });
    expect(await rewardsOf('alice')).toEqual([]);
  });
});
