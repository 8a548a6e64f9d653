/**
 * Time in group-buys, on the runtime's clock: deadlines at their exact edge, failure and its
 * consolation, the timer closing groups in pages and finishing what a dead call left, and reruns
 * that change nothing.
 */
import { measure } from '../../local/context';
import type { GroupTimerReport } from '../../server/groupbuy/timer';
import { loadGroup, takeSeat } from '../../server/groupbuy/groups';
import { groupIdOf } from '../../server/groupbuy/token';
import type { ApiResult } from '../../typings';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { addMembers, createCampaign, detail, eventsOf, issuedOf, join, joinsOf, openGroup, openStore, outbox, storedGroups } from './support';

const t = useRuntime();

async function fireTimer(): Promise<GroupTimerReport> {
  return ok((await t.rt.fireTimer('groupbuy')) as ApiResult<GroupTimerReport>);
}

/** 24 hours after the stories' start (10:00 on 10 March, Shanghai). */
const DEADLINE = '2026-03-11T10:00:00.000+08:00';

describe('a group that runs out of time', () => {
  it('fails: nobody gets the group benefit, and the page, the list and staff all report the failure', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { leaderBonusTemplateId: store.bonusTemplateId });
    await addMembers(['leader', 'friend']);
    const group = await openGroup(t, 'leader', campaign.id);
    ok(await join(t, 'friend', group.token));

    t.rt.clock.set('2026-03-11T10:00:00.001+08:00');
    const seen = await detail(t, 'friend', group.token);
    expect(seen).toMatchObject({ state: 'failed', seatsLeft: 0, headline: '拼团未成功，已结束', closedAt: new Date('2026-03-11T10:00:00.001+08:00').toISOString() });
    expect(seen.viewer).toMatchObject({ joined: true, rewards: [], groupPriceFen: null, join: { can: false, reasonCode: 'CONFLICT' } });
    expect((await storedGroups(campaign.id))[0]).toMatchObject({ state: 'failed', benefitsIssued: true });
    expect(await issuedOf(store.benefitTemplateId)).toHaveLength(0);
    expect(await issuedOf(store.bonusTemplateId)).toHaveLength(0);
    expect((await eventsOf('group_fail')).map((e) => e.ref)).toEqual([groupIdOf(group.token)!]);

    const [mine] = ok(await t.call('leader', 'groupbuy', 'groupbuy.mine', {})).groups;
    expect(mine).toMatchObject({ state: 'failed', headline: '拼团未成功，已结束' });
    const [staffView] = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.group.list', { campaignId: campaign.id })).groups;
    expect(staffView).toMatchObject({ state: 'failed', benefitsIssued: true, refusals: [] });
    expect(await fireTimer()).toEqual({ closed: 0, settled: 0, campaignsEnded: 0, remaining: 0 });
  });

  it('is over exactly at its deadline: the last seat taken a millisecond before completes it, a join at the deadline is refused', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 2 });
    await addMembers(['early-leader', 'late-leader', 'just-in-time', 'too-late']);
    const early = await openGroup(t, 'early-leader', campaign.id);
    const late = await openGroup(t, 'late-leader', campaign.id);
    expect(late.expiresAt).toBe(new Date(DEADLINE).toISOString());

    t.rt.clock.set('2026-03-11T09:59:59.999+08:00');
    expect((await detail(t, 'too-late', late.token)).state).toBe('open');
    expect(ok(await join(t, 'just-in-time', early.token)).group.state).toBe('complete');

    t.rt.clock.set(DEADLINE);
    expect(errorOf(await join(t, 'too-late', late.token))).toMatchObject({ code: 'EXPIRED', message: '这个团已经结束了，可以自己开一个新团' });
    // The refused join closed the group on its way: it reads closed, in the database too.
    expect((await storedGroups(campaign.id)).find((g) => g._id === groupIdOf(late.token)!)).toMatchObject({ state: 'failed', count: 1 });
    expect(await detail(t, 'too-late', late.token)).toMatchObject({ state: 'failed', viewer: { join: { can: false, reasonCode: 'EXPIRED' } } });
    expect(await joinsOf('too-late')).toHaveLength(0);
    expect((await issuedOf(store.benefitTemplateId)).map((c) => c.holder).sort()).toEqual(['early-leader', 'just-in-time']);
  });

  it('a group opened late gets no more time than the campaign has: it ends with the campaign\'s last Shanghai day', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    await addMembers(['night-owl', 'latecomer']);
    t.rt.clock.set('2026-03-31T20:00:00+08:00');
    const group = await openGroup(t, 'night-owl', campaign.id);
    expect(group.expiresAt).toBe(new Date('2026-03-31T23:59:59.999+08:00').toISOString());

    t.rt.clock.set('2026-04-01T00:00:00.000+08:00');
    expect(errorOf(await t.call('latecomer', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid()))).toMatchObject({ code: 'EXPIRED', message: '拼团活动已结束' });
    expect(errorOf(await join(t, 'latecomer', group.token)).code).toBe('EXPIRED');
    expect(await fireTimer()).toMatchObject({ closed: 0, campaignsEnded: 1 });
    const [listed] = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.list', {})).campaigns;
    expect(listed).toMatchObject({ status: 'ended', groups: { open: 0, complete: 0, failed: 1 } });
  });

  it('cannot be opened before the campaign starts', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { startDate: '2026-03-12' });
    await addMembers(['eager']);
    expect(errorOf(await t.call('eager', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid()))).toMatchObject({
      code: 'CONFLICT',
      message: '拼团活动 2026-03-12 开始，敬请期待',
    });
    const page = ok(await t.call('eager', 'groupbuy', 'groupbuy.campaign.get', { campaignId: campaign.id }));
    expect(page.open).toMatchObject({ can: false, reasonCode: 'CONFLICT' });
    t.rt.clock.set('2026-03-12T00:00:00+08:00');
    expect(ok(await t.call('eager', 'groupbuy', 'groupbuy.campaign.get', { campaignId: campaign.id })).open.can).toBe(true);
  });
});

describe('consolation and messages', () => {
  it('every member of a failed group gets the consolation coupon once, however often the group is read and the timer runs', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { consolationTemplateId: store.consolationTemplateId });
    await addMembers(['leader', 'friend']);
    const group = await openGroup(t, 'leader', campaign.id);
    ok(await join(t, 'friend', group.token));

    t.rt.clock.set('2026-03-12T09:00:00+08:00');
    const reads = await Promise.all([detail(t, 'leader', group.token), detail(t, 'friend', group.token), detail(t, 'visitor', group.token)]);
    expect(reads.map((r) => r.state)).toEqual(['failed', 'failed', 'failed']);
    await fireTimer();
    await fireTimer();
    const leaderView = await detail(t, 'leader', group.token);
    expect(leaderView.viewer.rewards).toEqual([{ kind: 'consolation', couponId: expect.any(String), text: '5元无门槛' }]);
    const consolation = await issuedOf(store.consolationTemplateId);
    expect(consolation.map((c) => c.holder).sort()).toEqual(['friend', 'leader']);
    expect(await issuedOf(store.benefitTemplateId)).toHaveLength(0);
    expect(await eventsOf('group_fail')).toHaveLength(1);
    const wallet = ok(await t.call('friend', 'coupon', 'coupon.mine', { state: 'available' })).coupons;
    expect(wallet.map((c) => [c.title, c.source])).toEqual([['拼团安慰券', { type: 'group_buy', ref: groupIdOf(group.token)! }]]);
  });

  it('members who accepted the result message are told once, the others are not', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 4 });
    await addMembers(['leader', 'quiet', 'listener', 'a', 'b', 'c']);
    const failing = await openGroup(t, 'leader', campaign.id, true);
    ok(await join(t, 'quiet', failing.token, false));
    ok(await join(t, 'listener', failing.token, true));

    t.rt.clock.set('2026-03-11T11:00:00+08:00');
    const report = await fireTimer();
    expect(report).toMatchObject({ closed: 1, settled: 1, remaining: 0 });
    await fireTimer();
    await detail(t, 'quiet', failing.token);
    const failedId = groupIdOf(failing.token)!;
    expect((await outbox()).map((m) => [m.toOpenid, m.dedupeKey, m.data.phrase2.value, m.page])).toEqual([
      ['leader', `groupbuy-result:${failedId}:leader`, '拼团失败', `pages/groupbuy/detail/index?token=${failing.token}`],
      ['listener', `groupbuy-result:${failedId}:listener`, '拼团失败', `pages/groupbuy/detail/index?token=${failing.token}`],
    ]);

    const winning = await openGroup(t, 'a', campaign.id, true);
    ok(await join(t, 'leader', winning.token, false));
    ok(await join(t, 'b', winning.token, true));
    expect(ok(await join(t, 'c', winning.token, false)).group.state).toBe('complete');
    const told = (await outbox()).filter((m) => m.dedupeKey.includes(groupIdOf(winning.token)!));
    expect(told.map((m) => [m.toOpenid, m.data.phrase2.value, m.data.thing3.value])).toEqual([
      ['a', '拼团成功', '拼团成功，奖励已放入券包'],
      ['b', '拼团成功', '拼团成功，奖励已放入券包'],
    ]);
  });
});

describe('the timer', () => {
  it('closes 150 expired groups over two pages, leaves the live ones, and its rerun changes nothing', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { consolationTemplateId: store.consolationTemplateId, maxGroups: 1000 });
    const leaders = Array.from({ length: 150 }, (_, i) => `leader-${i}`);
    await addMembers([...leaders, 'fresh']);
    await Promise.all(leaders.map((l) => openGroup(t, l, campaign.id)));
    t.rt.clock.set('2026-03-11T12:00:00+08:00');
    const live = await openGroup(t, 'fresh', campaign.id);

    expect(await fireTimer()).toEqual({ closed: 150, settled: 150, campaignsEnded: 0, remaining: 0 });
    const stored = await storedGroups(campaign.id);
    expect(stored.filter((g) => g.state === 'failed' && g.benefitsIssued)).toHaveLength(150);
    expect(stored.find((g) => g._id === groupIdOf(live.token)!)).toMatchObject({ state: 'open' });
    expect(await issuedOf(store.consolationTemplateId)).toHaveLength(150);
    expect(await eventsOf('group_fail')).toHaveLength(150);

    const rerun = await measure(fireTimer);
    expect(rerun.result).toEqual({ closed: 0, settled: 0, campaignsEnded: 0, remaining: 0 });
    expect(rerun.cost.writes).toBe(0);
    expect(await issuedOf(store.consolationTemplateId)).toHaveLength(150);
  }, 60_000);

  it('finishes a completion whose call died right after taking the last seat: each member gets the benefit once', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { leaderBonusTemplateId: store.bonusTemplateId });
    await addMembers(['leader', 'friend', 'closer']);
    const group = await openGroup(t, 'leader', campaign.id);
    ok(await join(t, 'friend', group.token));

    // The last seat is taken by the seat-taking write alone, as a call that died after it leaves things.
    const now = new Date(t.rt.clock.now());
    const before = (await loadGroup(groupIdOf(group.token)!))!;
    expect(await takeSeat(before, { openid: 'closer', nickname: '会员closer', avatar: null, joinedAt: now, subscribed: false }, now)).toMatchObject({ state: 'complete' });
    expect(await detail(t, 'closer', group.token)).toMatchObject({ state: 'complete', viewer: { joined: true, rewards: [] } });
    const [staffView] = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.group.list', { campaignId: campaign.id, state: 'complete' })).groups;
    expect(staffView.benefitsIssued).toBe(false);

    // A minute's grace for the completing call; then the timer finishes it.
    expect((await fireTimer()).settled).toBe(0);
    t.rt.clock.advance(61_000);
    expect(await fireTimer()).toMatchObject({ closed: 0, settled: 1, remaining: 0 });
    expect((await issuedOf(store.benefitTemplateId)).map((c) => c.holder).sort()).toEqual(['closer', 'friend', 'leader']);
    expect((await issuedOf(store.bonusTemplateId)).map((c) => c.holder)).toEqual(['leader']);
    expect((await detail(t, 'closer', group.token)).viewer.rewards).toEqual([{ kind: 'benefit', couponId: expect.any(String), text: '满99减20' }]);

    const rerun = await measure(fireTimer);
    expect(rerun.result.settled).toBe(0);
    expect(rerun.cost.writes).toBe(0);
    expect(await issuedOf(store.benefitTemplateId)).toHaveLength(3);
  });
});
