/** Opening, sharing and joining a group: the last seat, double taps, caps, and who may take part. */
import { measure } from '../../local/context';
import { reserveJoin } from '../../server/groupbuy/joins';
import { groupIdOf } from '../../server/groupbuy/token';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { START, addMembers, createCampaign, detail, eventsOf, issuedOf, join, joinsOf, openGroup, openStore, storedGroups } from './support';

const t = useRuntime();

describe('a member opens a group and friends join it', () => {
  it('the leader opens a group and shares it; a friend sees who is in, the seats left and the countdown, and joins', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    await addMembers(['leader', 'friend']);

    const opened = ok(await t.call('leader', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid()));
    expect(opened.alreadyOpened).toBe(false);
    const group = opened.group;
    expect(group.sharePath).toBe(`/pages/groupbuy/detail/index?token=${group.token}`);
    expect(group).toMatchObject({ state: 'open', groupSize: 3, seatsLeft: 2, headline: '还差 2 人成团', viewer: { joined: true, isLeader: true } });
    expect(group.expiresAt).toBe(new Date('2026-03-11T10:00:00+08:00').toISOString());

    // The friend opens the shared page before being in the group.
    const seen = await detail(t, 'friend', group.token);
    expect(seen.members).toEqual([{ seat: 1, nickname: '会员leader', avatar: null, isLeader: true, isMe: false, joinedAt: expect.any(String) }]);
    expect(seen).toMatchObject({ seatsLeft: 2, expiresAt: group.expiresAt, serverTime: new Date(START).toISOString() });
    expect(seen.viewer).toMatchObject({ joined: false, isMember: true, join: { can: true } });
    expect(seen.campaign).toMatchObject({ title: '明前龙井 3 人团', benefitText: '3人团·每人满99减20', product: { name: '明前龙井 250g' } });

    const joined = ok(await join(t, 'friend', group.token));
    expect(joined.alreadyJoined).toBe(false);
    expect(joined.group.members.map((m) => [m.seat, m.nickname, m.isMe])).toEqual([
      [1, '会员leader', false],
      [2, '会员friend', true],
    ]);
    expect(joined.group).toMatchObject({ state: 'open', seatsLeft: 1, headline: '还差 1 人成团' });
    expect((await eventsOf('group_join')).map((e) => e.openid)).toEqual(['friend']);
  });

  it('200 people pressing join at once for the last seat of a 3-person group: exactly 3 members and exactly 3 benefits', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { leaderBonusTemplateId: store.bonusTemplateId });
    const crowd = Array.from({ length: 200 }, (_, i) => `crowd-${i}`);
    await addMembers(['leader', 'second', ...crowd]);
    const group = await openGroup(t, 'leader', campaign.id);
    ok(await join(t, 'second', group.token));

    const results = await Promise.all(crowd.map((openid) => join(t, openid, group.token)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.ok).map((r) => errorOf(r).code))).toEqual(new Set(['SOLD_OUT']));
    expect(errorOf(results.find((r) => !r.ok)!).message).toBe('来晚了，这个团已经满员');

    const [stored] = await storedGroups(campaign.id);
    expect(stored).toMatchObject({ state: 'complete', count: 3, benefitsIssued: true });
    expect(stored.members.map((m) => m.seat)).toEqual([1, 2, 3]);
    const winner = stored.members[2].openid;
    expect(crowd).toContain(winner);

    const benefits = await issuedOf(store.benefitTemplateId);
    expect(benefits.map((c) => c.holder).sort()).toEqual(['leader', 'second', winner].sort());
    expect((await issuedOf(store.bonusTemplateId)).map((c) => c.holder)).toEqual(['leader']);
    // The refused gave their place back: only the three in the group hold a join.
    expect((await Promise.all(crowd.map(joinsOf))).flat().map((j) => j.groupId)).toEqual([stored._id]);
    expect(await eventsOf('group_complete')).toHaveLength(1);

    const view = await detail(t, winner, group.token);
    expect(view).toMatchObject({ state: 'complete', seatsLeft: 0, headline: '拼团成功', viewer: { joined: true } });
    expect(view.viewer.rewards).toEqual([{ kind: 'benefit', couponId: expect.any(String), text: '满99减20' }]);
    const leaderView = await detail(t, 'leader', group.token);
    expect(leaderView.viewer.rewards.map((r) => [r.kind, r.text])).toEqual([
      ['benefit', '满99减20'],
      ['leader_bonus', '满50减10'],
    ]);
    expect((await detail(t, 'crowd-late', group.token)).viewer.join).toMatchObject({ can: false, reasonCode: 'SOLD_OUT' });
  }, 60_000);

  it('a friend tapping join 30 times at once is in the group once and takes one seat', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 5 });
    await addMembers(['leader', 'tapper']);
    const group = await openGroup(t, 'leader', campaign.id);

    const results = await Promise.all(Array.from({ length: 30 }, () => join(t, 'tapper', group.token)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => !ok(r).alreadyJoined)).toHaveLength(1);
    const [stored] = await storedGroups(campaign.id);
    expect(stored.count).toBe(2);
    expect(stored.members.map((m) => m.openid)).toEqual(['leader', 'tapper']);
    expect(await joinsOf('tapper')).toHaveLength(1);
  });

  it('the same tap retried (one request id) answers the same group, and the leader joining their own group changes nothing', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    await addMembers(['leader']);
    const requestId = rid();
    const first = ok(await t.call('leader', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, requestId));
    const again = ok(await t.call('leader', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, requestId));
    expect(again).toMatchObject({ alreadyOpened: true, group: { token: first.group.token } });
    expect(await storedGroups(campaign.id)).toHaveLength(1);

    const self = ok(await join(t, 'leader', first.group.token));
    expect(self.alreadyJoined).toBe(true);
    expect(self.group.seatsLeft).toBe(2);
  });

  it('20 friends racing for the 4 seats of a 5-person group: 4 get in, each seat once, and it completes', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 5 });
    const friends = Array.from({ length: 20 }, (_, i) => `friend-${i}`);
    await addMembers(['leader', ...friends]);
    const group = await openGroup(t, 'leader', campaign.id);

    const results = await Promise.all(friends.map((f) => join(t, f, group.token)));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    const [stored] = await storedGroups(campaign.id);
    expect(stored).toMatchObject({ state: 'complete', count: 5 });
    expect(stored.members.map((m) => m.seat)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(stored.members.map((m) => m.openid)).size).toBe(5);
    expect(await issuedOf(store.benefitTemplateId)).toHaveLength(5);
  });
});

describe('caps', () => {
  it('a member allowed 2 groups who joins 6 open groups at once ends up in exactly 2', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { joinsPerMember: 2 });
    const leaders = Array.from({ length: 6 }, (_, i) => `leader-${i}`);
    await addMembers([...leaders, 'eager']);
    const groups = await Promise.all(leaders.map((l) => openGroup(t, l, campaign.id)));

    const results = await Promise.all(groups.flatMap((g) => [join(t, 'eager', g.token), join(t, 'eager', g.token)]));
    const refusals = results.filter((r) => !r.ok).map((r) => errorOf(r));
    expect(new Set(refusals.map((e) => e.code))).toEqual(new Set(['LIMIT_REACHED']));
    expect(refusals[0].message).toBe('每人最多参与 2 个团，你已达到上限');
    const stored = await storedGroups(campaign.id);
    expect(stored.filter((g) => g.members.some((m) => m.openid === 'eager'))).toHaveLength(2);
    expect(await joinsOf('eager')).toHaveLength(2);
  });

  it('opening a group counts as taking part: a member allowed one group cannot open a second or join another', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { joinsPerMember: 1 });
    await addMembers(['ann', 'ben']);
    const annGroup = await openGroup(t, 'ann', campaign.id);
    const benGroup = await openGroup(t, 'ben', campaign.id);
    expect(errorOf(await t.call('ann', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid()))).toMatchObject({
      code: 'LIMIT_REACHED',
      message: '每人限参与 1 个团，你已经参与过了',
    });
    expect(errorOf(await join(t, 'ann', benGroup.token)).code).toBe('LIMIT_REACHED');
    const page = ok(await t.call('ann', 'groupbuy', 'groupbuy.campaign.get', { campaignId: campaign.id }));
    expect(page.open).toMatchObject({ can: false, reasonCode: 'LIMIT_REACHED' });
    expect(page.myOpenGroups.map((g) => g.token)).toEqual([annGroup.token]);
  });

  it('a place held by a join that died before taking its seat is given back when the member needs it', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { joinsPerMember: 1 });
    await addMembers(['ann', 'ben', 'cat', 'dan']);
    const annGroup = await openGroup(t, 'ann', campaign.id);
    const benGroup = await openGroup(t, 'ben', campaign.id);
    // dan's join of ann's group reserved his one place, then the call died.
    await reserveJoin({ campaignId: campaign.id, groupId: groupIdOf(annGroup.token)!, openid: 'dan', role: 'member', now: new Date(t.rt.clock.now()) }, { joinsPerMember: 1, opensPerMember: 1 });

    // Within a minute the call might still be running: the place stays taken.
    expect(errorOf(await join(t, 'dan', benGroup.token)).code).toBe('LIMIT_REACHED');
    t.rt.clock.advance(3 * 60_000);
    expect(ok(await join(t, 'dan', benGroup.token)).alreadyJoined).toBe(false);
    expect((await joinsOf('dan')).map((j) => j.groupId)).toEqual([groupIdOf(benGroup.token)]);
    expect((await detail(t, 'cat', annGroup.token)).members.map((m) => m.nickname)).toEqual(['会员ann']);
  });

  it('a member allowed to open 2 groups who taps 开团 5 times at once leads exactly 2', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { opensPerMember: 2, joinsPerMember: 3 });
    await addMembers(['host']);
    const results = await Promise.all(Array.from({ length: 5 }, () => t.call('host', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid())));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(new Set(results.filter((r) => !r.ok).map((r) => errorOf(r).message))).toEqual(new Set(['每人最多开 2 个团，你已达到上限']));
    expect(await storedGroups(campaign.id)).toHaveLength(2);
  });

  it('a campaign capped at 5 groups opens exactly 5 when 40 members open at once', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { maxGroups: 5 });
    const openers = Array.from({ length: 40 }, (_, i) => `opener-${i}`);
    await addMembers(openers);
    const results = await Promise.all(openers.map((o) => t.call(o, 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid())));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(new Set(results.filter((r) => !r.ok).map((r) => errorOf(r).message))).toEqual(new Set(['来晚了，本次活动的团已经开满了']));
    expect(await storedGroups(campaign.id)).toHaveLength(5);
    // Those turned away hold no place against their own cap.
    expect((await Promise.all(openers.map(joinsOf))).flat()).toHaveLength(5);
    const [listed] = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.list', {})).campaigns;
    expect(listed.groups).toEqual({ open: 5, complete: 0, failed: 0 });
  }, 30_000);
});

describe('who may take part', () => {
  it('a visitor who is not a member can look at the group but is asked to join the store first', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    await addMembers(['leader']);
    const group = await openGroup(t, 'leader', campaign.id);

    const seen = await detail(t, 'visitor', group.token);
    expect(seen.viewer).toMatchObject({ joined: false, isMember: false, join: { can: false, reasonCode: 'FORBIDDEN', reason: '加入会员后即可参与拼团' } });
    const { result, cost } = await measure(() => join(t, 'visitor', group.token));
    expect(errorOf(result)).toMatchObject({ code: 'FORBIDDEN', message: '加入会员后即可参与拼团' });
    expect(cost.writes).toBe(0);
    expect(errorOf(await t.call('visitor', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid())).code).toBe('FORBIDDEN');
  });

  it('a changed or made-up share token names no group', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    await addMembers(['leader', 'friend']);
    const group = await openGroup(t, 'leader', campaign.id);
    const forged = group.token.slice(0, 27) + (group.token.endsWith('A') ? 'B' : 'A');
    expect(errorOf(await t.call('friend', 'groupbuy', 'groupbuy.detail', { token: forged }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(await join(t, 'friend', forged)).code).toBe('NOT_FOUND');
    expect(errorOf(await t.call('friend', 'groupbuy', 'groupbuy.detail', { token: 'not a token' }))).toMatchObject({
      code: 'INVALID_INPUT',
      fields: [{ path: 'payload.token', message: '拼团链接无效，请让好友重新分享' }],
    });
  });

  it('a paused campaign opens no new groups, but a group already open can still fill', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 2 });
    await addMembers(['leader', 'friend', 'late']);
    const group = await openGroup(t, 'leader', campaign.id);
    ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.setStatus', { campaignId: campaign.id, status: 'paused' }, rid()));
    expect(errorOf(await t.call('late', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid()))).toMatchObject({
      code: 'CONFLICT',
      message: '拼团活动已暂停，请稍后再来',
    });
    expect(ok(await join(t, 'friend', group.token)).group.state).toBe('complete');
  });
});

describe('my group-buys', () => {
  it('lists the groups I lead or joined, newest first, with their state, and pages', async () => {
    const store = await openStore(t);
    const duo = await createCampaign(t, store, { title: '双人拼团', groupSize: 2, joinsPerMember: 20, benefit: { type: 'group_price', groupPriceFen: 9900 } });
    const trio = await createCampaign(t, store);
    const others = Array.from({ length: 20 }, (_, i) => `other-${i}`);
    await addMembers(['me', ...others]);
    const led = await openGroup(t, 'me', trio.id);
    for (const other of others) {
      t.rt.clock.advance(1000);
      ok(await join(t, 'me', (await openGroup(t, other, duo.id)).token));
    }
    const first = ok(await t.call('me', 'groupbuy', 'groupbuy.mine', {}));
    expect(first.groups).toHaveLength(20);
    expect(first.groups.every((g) => g.state === 'complete' && !g.isLeader && g.headline === '拼团成功' && g.benefitText === '2人团·拼团价¥99')).toBe(true);
    const second = ok(await t.call('me', 'groupbuy', 'groupbuy.mine', { cursor: first.nextCursor! }));
    expect(second).toEqual({ groups: [expect.objectContaining({ token: led.token, isLeader: true, state: 'open' })], nextCursor: null });
    expect(second.groups[0]).toMatchObject({ memberCount: 1, seatsLeft: 2, headline: '还差 2 人成团', title: '明前龙井 3 人团', productName: '明前龙井 250g' });
    expect(ok(await t.call('stranger', 'groupbuy', 'groupbuy.mine', {}))).toEqual({ groups: [], nextCursor: null });
  });
});
