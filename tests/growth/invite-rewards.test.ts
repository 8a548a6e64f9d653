/**
 * Invite rewards: the inviter earns a coupon when the invitee signs up and another on the
 * invitee's first bound order, within the daily and campaign caps, exactly once however often the
 * timer runs; nothing for a self-invite, a loop, a second account of the same phone, or an account
 * registered again; 「我的邀请」 shows it all with a leaderboard.
 */
import { COLLECTIONS } from '../../database/collections';
import { erasedId } from '../../server/growth/invites/erased';
import type { InviteDoc } from '../../server/growth/invites/model';
import { getById, getDb } from '../../server/runtime/db';
import { allOf, joinRequest } from '../members/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { boundOrder, growthTimerLater, inviteStore, inviteToken, join, nextPhone, runningCampaign, sh } from './support';

const t = useRuntime();

const store = (caps: Parameters<typeof inviteStore>[1] = {}) => inviteStore(t, caps);
const tokenOf = (openid: string) => inviteToken(t, openid);
const timerLater = (minutes = 5) => growthTimerLater(t, minutes);

async function rewardsOf(openid: string): Promise<{ templateId: string; requestKey: string; source: { ref: string } }[]> {
  return allOf(COLLECTIONS.coupons, { holder: openid, 'source.type': 'invite' });
}

describe('rewards', () => {
  it('the inviter earns one coupon at the invitee\'s sign-up and one at their first bound order, never twice', async () => {
    const s = await store();
    await join(t, 'alice');
    await join(t, 'bob', { invite: await tokenOf('alice') });
    await timerLater();
    expect((await rewardsOf('alice')).map((c) => [c.templateId, c.requestKey])).toEqual([[s.signupTpl.id, 'inv:bob:signup']]);

    await boundOrder(t, s.owner, 'bob', '2026-04-01 12:00');
    await boundOrder(t, s.owner, 'bob', '2026-04-01 13:00');
    await timerLater();
    await timerLater();
    const rewards = await rewardsOf('alice');
    expect(rewards.map((c) => c.requestKey).sort()).toEqual(['inv:bob:order', 'inv:bob:signup']);
    expect(rewards.find((c) => c.requestKey === 'inv:bob:order')).toMatchObject({ templateId: s.orderTpl.id, source: { ref: 'bob' } });
    expect((await allOf(COLLECTIONS.events, { type: 'invite_reward' })).length).toBe(2);
    expect((await allOf(COLLECTIONS.events, { type: 'invite_order' })).length).toBe(1);

    // Running the timer again, even over the same minutes again (a cursor lost in a crash), changes nothing.
    const rewound = await getDb().collection(COLLECTIONS.growthState).doc('invites').update({ data: { nextMinute: '2026-04-01T09:00', rangeTo: null, pass: 0, lastId: '' } });
    expect(rewound.stats.updated).toBe(1);
    await timerLater();
    expect((await rewardsOf('alice')).length).toBe(2);
    expect((await allOf(COLLECTIONS.events, { type: 'invite_reward' })).length).toBe(2);
  });

  it('five sign-up rewards a day per inviter hold when twelve friends join at once and three timers run together; the next day counts again', async () => {
    const s = await store({ signupDailyCap: 5 });
    await join(t, 'alice');
    const token = await tokenOf('alice');
    const friends = Array.from({ length: 12 }, (_, i) => `friend-${String(i).padStart(2, '0')}`);
    await Promise.all(friends.map((f) => t.call(f, 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join'))));
    t.rt.clock.advance(5 * 60_000);
    await Promise.all([t.rt.fireTimer('growth'), t.rt.fireTimer('growth'), t.rt.fireTimer('growth')]);
    await timerLater();
    expect((await rewardsOf('alice')).filter((c) => c.templateId === s.signupTpl.id)).toHaveLength(5);
    const records = await allOf<InviteDoc>(COLLECTIONS.invites, { inviter: 'alice' });
    expect(records).toHaveLength(12);
    expect(records.filter((r) => r.signup.state === 'capped').map((r) => r.signup.reason)).toEqual(Array(7).fill('daily'));

    t.rt.clock.set(sh('2026-04-02 10:00'));
    await join(t, 'late-friend', { invite: token });
    await timerLater();
    expect((await rewardsOf('alice')).filter((c) => c.templateId === s.signupTpl.id)).toHaveLength(6);
  });

  it('the campaign cap holds across inviters and kinds of reward', async () => {
    const s = await store({ totalRewardCap: 3 });
    await join(t, 'alice');
    await join(t, 'carol');
    await join(t, 'bob', { invite: await tokenOf('alice') });
    await join(t, 'dave', { invite: await tokenOf('carol') });
    await timerLater();
    await boundOrder(t, s.owner, 'bob', '2026-04-01 12:00');
    await boundOrder(t, s.owner, 'dave', '2026-04-01 12:00');
    await timerLater();
    const issued = [...(await rewardsOf('alice')), ...(await rewardsOf('carol'))];
    expect(issued).toHaveLength(3);
    const campaigns = ok(await t.call(s.owner, 'growth', 'invite.campaign.list', {})).campaigns;
    expect(campaigns[0]).toMatchObject({ id: s.campaignId, rewardsIssued: 3, invitees: 2 });
  });
});

describe('no reward', () => {
  it('along a loop: A invited B, and A (gone and back) joining through B\'s link earns B nothing; a longer loop neither', async () => {
    await store();
    // A member opening the link of someone they invited is already a member: nothing.
    await join(t, 'x');
    await join(t, 'y', { invite: await tokenOf('x') });
    await timerLater();
    expect(ok(await t.call('x', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: await tokenOf('y') }), rid('join'))).invite).toEqual({ status: 'already_member' });
    // A leaves and joins again through B's link: B's inviter is A.
    const ys = await tokenOf('y');
    ok(await t.call('x', 'member', 'member.delete', { confirm: true }, rid('del')));
    expect(ok(await t.call('x', 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: ys }), rid('join'))).invite).toEqual({ status: 'credited' });

    // A → B → C (rewarded on the way), and A back through C's link.
    await join(t, 'a');
    await join(t, 'b', { invite: await tokenOf('a') });
    await join(t, 'c', { invite: await tokenOf('b') });
    await timerLater();
    const cs = await tokenOf('c');
    ok(await t.call('a', 'member', 'member.delete', { confirm: true }, rid('del')));
    await join(t, 'a', { invite: cs });

    await timerLater();
    expect(await rewardsOf('y')).toEqual([]);
    expect(await rewardsOf('c')).toEqual([]);
    expect((await rewardsOf('b')).map((r) => r.requestKey)).toEqual(['inv:c:signup']);
    // The coupons X and A earned went anonymous with them, and name their invitees by pseudonym.
    const issued = ['inv:c:signup', `inv:${erasedId('b')}:signup`, `inv:${erasedId('y')}:signup`];
    expect((await allOf<{ requestKey: string }>(COLLECTIONS.coupons, { 'source.type': 'invite' })).map((c) => c.requestKey).sort()).toEqual(issued.sort());
    expect(await getById<InviteDoc>(COLLECTIONS.invites, 'x')).toMatchObject({ inviter: 'y', refusal: 'loop', signup: { state: 'refused' } });
    expect(await getById<InviteDoc>(COLLECTIONS.invites, 'a')).toMatchObject({ inviter: 'c', refusal: 'loop', signup: { state: 'refused' } });
    expect(ok(await t.call('c', 'growth', 'invite.mine', {})).invitees).toEqual([expect.objectContaining({ signup: 'not_eligible', order: 'not_eligible' })]);
  });

  it('for yourself, for a second account with the same phone, or for an account registered again through another link', async () => {
    await store();
    await join(t, 'alice');
    const token = await tokenOf('alice');
    ok(await t.call('alice', 'member', 'member.delete', { confirm: true }, rid('del')));
    await join(t, 'alice', { invite: token });
    await join(t, 'carol');
    await t.call('twin-1', 'member', 'member.join', joinRequest({ phoneCode: 'dev:13300001111', invite: await tokenOf('carol') }), rid('join'));
    await t.call('twin-2', 'member', 'member.join', joinRequest({ phoneCode: 'dev:13300001111', invite: await tokenOf('carol') }), rid('join'));
    await join(t, 'erin');
    await join(t, 'bob', { invite: await tokenOf('erin') });
    await timerLater();
    expect(await rewardsOf('alice')).toEqual([]);
    expect(await rewardsOf('carol')).toEqual([]);
    expect(await rewardsOf('erin')).toHaveLength(1);
    expect((await allOf<InviteDoc>(COLLECTIONS.invites, { inviter: 'carol' })).map((r) => r.refusal)).toEqual(['phone_seen', 'phone_seen']);

    // Bob leaves and comes back through Carol's link: Erin stays his first inviter, Carol earns nothing.
    ok(await t.call('bob', 'member', 'member.delete', { confirm: true }, rid('del')));
    await join(t, 'bob', { invite: await tokenOf('carol') });
    await timerLater();
    expect(await rewardsOf('carol')).toEqual([]);
    // His record went under his pseudonym when he left, and is found there.
    expect(await getById<InviteDoc>(COLLECTIONS.invites, 'bob')).toBeNull();
    expect((await getById<InviteDoc>(COLLECTIONS.invites, erasedId('bob')))!.inviter).toBe('erin');
  });

  it('when the campaign is paused by the time the timer looks, or gives no reward', async () => {
    const s = await store();
    await join(t, 'alice');
    await join(t, 'bob', { invite: await tokenOf('alice') });
    ok(await t.call(s.owner, 'growth', 'invite.campaign.setStatus', { campaignId: s.campaignId, status: 'paused' }, rid()));
    await timerLater();
    expect(await rewardsOf('alice')).toEqual([]);
    expect(ok(await t.call('alice', 'growth', 'invite.mine', {})).invitees[0]).toMatchObject({ signup: 'not_eligible' });
  });
});

describe('my invites', () => {
  it('shows my invitees masked, my rewards, and the leaderboard with my rank, from counters and one page of invitees', async () => {
    await store({ signupDailyCap: 2 });
    await join(t, 'alice', { nickname: '爱丽丝' });
    await join(t, 'carol', { nickname: '卡萝尔' });
    const alices = await tokenOf('alice');
    for (const [i, name] of ['王小明', '李雷', '韩梅梅'].entries()) {
      t.rt.clock.advance(60_000);
      await join(t, `a-friend-${i}`, { invite: alices, nickname: name });
    }
    await join(t, 'c-friend', { invite: await tokenOf('carol'), nickname: '张三' });

    const before = ok(await t.call('alice', 'growth', 'invite.mine', {}));
    expect(before.stats).toEqual({ invited: 3, signupRewards: 0, orderRewards: 0 });
    expect(before.invitees.map((i) => [i.nickname, i.signup])).toEqual([
      ['韩*梅', 'pending'],
      ['李*', 'pending'],
      ['王*明', 'pending'],
    ]);
    expect(before.leaderboard).toEqual({ entries: [], updatedAt: null, myRank: null });

    await timerLater();
    const mine = ok(await t.call('alice', 'growth', 'invite.mine', {}));
    expect(mine.stats).toEqual({ invited: 3, signupRewards: 2, orderRewards: 0 });
    expect(mine.invitees.map((i) => [i.signup, i.order])).toEqual([
      ['capped', 'pending'],
      ['issued', 'pending'],
      ['issued', 'pending'],
    ]);
    expect(mine.leaderboard.entries).toEqual([
      { rank: 1, nickname: '爱*丝', invited: 3, isMe: true },
      { rank: 2, nickname: '卡*尔', invited: 1, isMe: false },
    ]);
    expect(mine.leaderboard.myRank).toBe(1);
    expect(JSON.stringify(mine)).not.toContain('carol');
    expect(ok(await t.call('carol', 'growth', 'invite.mine', {})).leaderboard.myRank).toBe(2);
    expect(errorOf(await t.call('stranger', 'growth', 'invite.mine', {})).code).toBe('NOT_FOUND');
  });

  it('pages through many invitees, 20 at a time', async () => {
    await store();
    await join(t, 'alice');
    const token = await tokenOf('alice');
    await Promise.all(Array.from({ length: 25 }, (_, i) => t.call(`f${i}`, 'member', 'member.join', joinRequest({ phoneCode: nextPhone(), invite: token }), rid('join'))));
    const first = ok(await t.call('alice', 'growth', 'invite.mine', {}));
    expect(first.invitees).toHaveLength(20);
    const second = ok(await t.call('alice', 'growth', 'invite.mine', { cursor: first.nextCursor! }));
    expect(second.invitees).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
  });
});

describe('campaigns', () => {
  it('staff create campaigns paused; one runs at a time; ended stays ended; clerks and bad input are refused', async () => {
    t.rt.clock.set(sh('2026-04-01 10:00'));
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-1', 'clerk');
    const first = await runningCampaign(t, owner);
    expect(first).toMatchObject({ status: 'active', rewardsIssued: 0, invitees: 0, signupDailyCap: 5 });
    const second = ok(await t.call(owner, 'growth', 'invite.campaign.create', { ...campaignInput(), title: '第二期' }, rid()));
    expect(second.status).toBe('paused');
    expect(errorOf(await t.call(owner, 'growth', 'invite.campaign.setStatus', { campaignId: second.id, status: 'active' }, rid()))).toMatchObject({
      code: 'CONFLICT',
      message: '已有进行中的邀请活动，请先暂停或结束它',
    });
    ok(await t.call(owner, 'growth', 'invite.campaign.setStatus', { campaignId: first.id, status: 'ended' }, rid()));
    expect(errorOf(await t.call(owner, 'growth', 'invite.campaign.setStatus', { campaignId: first.id, status: 'active' }, rid())).code).toBe('CONFLICT');
    ok(await t.call(owner, 'growth', 'invite.campaign.setStatus', { campaignId: second.id, status: 'active' }, rid()));

    expect(errorOf(await t.call(clerk, 'growth', 'invite.campaign.list', {})).code).toBe('FORBIDDEN');
    const bad = errorOf(
      await t.raw(owner, 'growth', {
        action: 'invite.campaign.create',
        requestId: rid(),
        payload: { ...campaignInput(), title: '', signupDailyCap: 0, startDate: '2026-02-30', endDate: '2025-01-01', signupRewardTemplateId: 'x' },
      }),
    );
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.fields!.map((f) => f.path).sort()).toEqual(['payload.endDate', 'payload.signupDailyCap', 'payload.signupRewardTemplateId', 'payload.startDate', 'payload.title']);
    const past = errorOf(await t.call(owner, 'growth', 'invite.campaign.create', { ...campaignInput(), startDate: '2025-01-01', endDate: '2025-12-31' }, rid()));
    expect(past).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.endDate', message: '结束日期已经过去，请重新选择' }] });
    expect((await allOf(COLLECTIONS.inviteCampaigns)).length).toBe(2);
  });
});

function campaignInput() {
  return {
    title: '邀好友 得好礼',
    rules: '好友加入会员，你得一张券。',
    posterLine: '好茶一起喝',
    signupRewardTemplateId: null,
    orderRewardTemplateId: null,
    signupDailyCap: 5,
    orderDailyCap: 5,
    totalRewardCap: null,
    startDate: '2026-04-01',
    endDate: '2026-06-30',
  };
}
