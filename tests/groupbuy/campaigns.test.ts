/** Staff run group-buy campaigns: creating with checked terms, bad input, rights, pausing and ending, and what calls cost. */
import { measure } from '../../local/context';
import type { GroupBuyCampaignInput } from '../../typings';
import { createTemplate } from '../coupons/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeStaff } from '../support/staff';
import { addMembers, campaignInput, createCampaign, join, openGroup, openStore } from './support';

const t = useRuntime();

describe('creating a campaign', () => {
  it('an admin creates a 3-person group-buy; staff see it with its benefit line, customers on the home page', async () => {
    const store = await openStore(t);
    const admin = await makeStaff(t, store.owner, 'admin-1', 'admin');
    const created = ok(
      await t.call(
        admin,
        'groupbuy',
        'groupbuy.campaign.create',
        campaignInput(store, { leaderBonusTemplateId: store.bonusTemplateId, consolationTemplateId: store.consolationTemplateId, maxGroups: 50 }),
        rid(),
      ),
    );
    expect(created).toMatchObject({
      status: 'active',
      groupSize: 3,
      maxGroups: 50,
      benefitText: '3人团·每人满99减20',
      leaderBonusText: '团长额外得满50减10',
      consolationText: '未成团也送5元无门槛',
      startsAt: new Date('2026-03-10T00:00:00+08:00').toISOString(),
      endsAt: new Date('2026-03-31T23:59:59.999+08:00').toISOString(),
      groups: { open: 0, complete: 0, failed: 0 },
    });
    const { campaigns } = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.list', {}));
    expect(campaigns.map((c) => c.id)).toEqual([created.id]);

    const home = ok(await t.call('visitor', 'app', 'home.get', {}));
    expect(home.campaigns).toContainEqual({ id: created.id, kind: 'group_buy', title: '明前龙井 3 人团', subtitle: '3人团·每人满99减20' });
    const page = ok(await t.call('visitor', 'groupbuy', 'groupbuy.campaign.get', { campaignId: created.id }));
    expect(page).toMatchObject({
      campaign: { id: created.id, benefitText: '3人团·每人满99减20', product: { name: '明前龙井 250g', originalPriceFen: 12800 } },
      open: { can: false, reasonCode: 'FORBIDDEN', reason: '加入会员后即可开团' },
      myOpenGroups: [],
      resultTemplateId: 'local-groupbuy-result',
    });
  });

  it('a group price campaign shows the price; the members of a completed group may buy at it', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 2, benefit: { type: 'group_price', groupPriceFen: 3990 } });
    expect(campaign.benefitText).toBe('2人团·拼团价¥39.9');
    await addMembers(['leader', 'friend', 'onlooker']);
    const group = await openGroup(t, 'leader', campaign.id);
    expect(group.viewer.groupPriceFen).toBeNull();
    const done = ok(await join(t, 'friend', group.token)).group;
    expect(done).toMatchObject({ state: 'complete', viewer: { groupPriceFen: 3990, rewards: [] } });
    expect(ok(await t.call('onlooker', 'groupbuy', 'groupbuy.detail', { token: group.token })).viewer.groupPriceFen).toBeNull();
  });

  it('a retried create (same request id) returns the same campaign', async () => {
    const store = await openStore(t);
    const requestId = rid();
    const first = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store, { maxGroups: 10 }), requestId));
    const again = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store, { maxGroups: 10 }), requestId));
    expect(again.id).toBe(first.id);
    expect(ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.list', {})).campaigns).toHaveLength(1);
  });
});

describe('bad input', () => {
  const cases: [string, (i: GroupBuyCampaignInput) => unknown, string[]][] = [
    ['a group of one', (i) => ({ ...i, groupSize: 1 }), ['payload.groupSize']],
    ['a group of 51', (i) => ({ ...i, groupSize: 51 }), ['payload.groupSize']],
    ['half a person', (i) => ({ ...i, groupSize: 2.5 }), ['payload.groupSize']],
    ['no time to fill', (i) => ({ ...i, timeLimitHours: 0 }), ['payload.timeLimitHours']],
    ['more than a week', (i) => ({ ...i, timeLimitHours: 169 }), ['payload.timeLimitHours']],
    ['a group price in yuan', (i) => ({ ...i, benefit: { type: 'group_price', groupPriceFen: 39.9 } }), ['payload.benefit.groupPriceFen']],
    ['a group price above the original', (i) => ({ ...i, benefit: { type: 'group_price', groupPriceFen: 20000 } }), ['payload.benefit.groupPriceFen']],
    ['an unknown benefit', (i) => ({ ...i, benefit: { type: 'cash_back' } }), ['payload.benefit.type']],
    ['an end before the start', (i) => ({ ...i, startDate: '2026-03-20', endDate: '2026-03-19' }), ['payload.endDate']],
    ['a date that does not exist', (i) => ({ ...i, endDate: '2026-02-30' }), ['payload.endDate']],
    ['more opens than joins', (i) => ({ ...i, joinsPerMember: 1, opensPerMember: 2 }), ['payload.opensPerMember']],
    ['a cap of no groups', (i) => ({ ...i, maxGroups: 0 }), ['payload.maxGroups']],
    ['an unknown field', (i) => ({ ...i, discount: 5 }), ['payload']],
    ['an empty title and no product', (i) => ({ ...i, title: ' ', product: undefined }), ['payload.product', 'payload.title']],
    ['an image that is not uploaded', (i) => ({ ...i, product: { ...i.product, image: 'http://x/y.png' } }), ['payload.product.image']],
  ];

  it.each(cases)('%s is refused with the field named, and nothing is written', async (_label, change, paths) => {
    const store = await openStore(t);
    const { result, cost } = await measure(() => t.raw(store.owner, 'groupbuy', { action: 'groupbuy.campaign.create', payload: change(campaignInput(store)), requestId: rid() }));
    const error = errorOf(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields!.map((f) => f.path).sort()).toEqual(paths);
    expect(error.fields!.every((f) => /[\u4e00-\u9fff]/.test(f.message))).toBe(true);
    expect(cost.writes).toBe(0);
  });

  it('coupons that would refuse the members are refused when the campaign is created, each at its field', async () => {
    const store = await openStore(t);
    const newcomers = await createTemplate(t, store.owner, { title: '新人券', audience: { type: 'new_members', withinDays: 7 }, totalStock: null });
    const onePerPerson = await createTemplate(t, store.owner, { title: '限一张', totalStock: null, perMemberLimit: 1 });
    const shortLived = await createTemplate(t, store.owner, { title: '短期券', totalStock: null, perMemberLimit: 5, validity: { type: 'fixed', startDate: '2026-03-10', endDate: '2026-03-20' } });
    const input = campaignInput(store, {
      benefit: { type: 'coupon', templateId: newcomers.id },
      leaderBonusTemplateId: onePerPerson.id,
      consolationTemplateId: shortLived.id,
    });
    const { result, cost } = await measure(() => t.call(store.owner, 'groupbuy', 'groupbuy.campaign.create', input, rid()));
    expect(errorOf(result).fields).toEqual([
      { path: 'payload.benefit.templateId', message: '拼团奖励券的领取对象须为所有人或会员' },
      { path: 'payload.leaderBonusTemplateId', message: '这张券每人限领 1 张，少于每人可参团次数 3' },
      { path: 'payload.consolationTemplateId', message: '这张券的有效期早于活动结束日期，请另选一张或调整日期' },
    ]);
    expect(cost.writes).toBe(0);

    ok(await t.call(store.owner, 'coupon', 'coupon.template.setStatus', { templateId: onePerPerson.id, status: 'ended' }, rid()));
    const more = await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store, { leaderBonusTemplateId: onePerPerson.id, consolationTemplateId: 'tpl_0000000000000000', startDate: '2026-03-01', endDate: '2026-03-09' }), rid());
    expect(errorOf(more).fields).toEqual([
      { path: 'payload.endDate', message: '结束日期已经过去，请重新选择' },
      { path: 'payload.leaderBonusTemplateId', message: '这张券已结束发放，请另选一张' },
      { path: 'payload.consolationTemplateId', message: '找不到这张券，请重新选择' },
    ]);
    expect(errorOf(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store, { leaderBonusTemplateId: store.benefitTemplateId }), rid())).fields).toEqual([
      { path: 'payload.leaderBonusTemplateId', message: '团长奖励券不能与成团券相同，请另选一张券' },
    ]);
  });

  it('customer actions name their bad fields too', async () => {
    const store = await openStore(t);
    await createCampaign(t, store);
    const error = errorOf(await t.raw('someone', 'groupbuy', { action: 'groupbuy.join', payload: { token: 5, subscribed: 'yes' }, requestId: rid() }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields!.map((f) => f.path).sort()).toEqual(['payload.subscribed', 'payload.token']);
    expect(errorOf(await t.raw('someone', 'groupbuy', { action: 'groupbuy.join', payload: { token: 'x'.repeat(28) } })).fields).toEqual([
      { path: 'requestId', message: '此操作需要请求编号（requestId）' },
    ]);
    expect(errorOf(await t.call('someone', 'groupbuy', 'groupbuy.campaign.get', { campaignId: 'gbc_0000000000000000' })).code).toBe('NOT_FOUND');
    expect(errorOf(await t.call('someone', 'groupbuy', 'groupbuy.mine', { cursor: 'page-2' })).fields![0].path).toBe('payload.cursor');
  });
});

describe('running campaigns', () => {
  it('clerks and customers cannot create, list, pause or look into campaigns', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    const clerk = await makeStaff(t, store.owner, 'clerk-1', 'clerk');
    for (const caller of [clerk, 'customer']) {
      expect(errorOf(await t.call(caller, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store), rid())).code).toBe('FORBIDDEN');
      expect(errorOf(await t.call(caller, 'groupbuy', 'groupbuy.campaign.list', {})).code).toBe('FORBIDDEN');
      expect(errorOf(await t.call(caller, 'groupbuy', 'groupbuy.campaign.setStatus', { campaignId: campaign.id, status: 'ended' }, rid())).code).toBe('FORBIDDEN');
      expect(errorOf(await t.call(caller, 'groupbuy', 'groupbuy.group.list', { campaignId: campaign.id })).code).toBe('FORBIDDEN');
    }
  });

  it('pause, resume and end: ended is final, and the home page stops showing it', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store);
    const set = (status: 'active' | 'paused' | 'ended') => t.call(store.owner, 'groupbuy', 'groupbuy.campaign.setStatus', { campaignId: campaign.id, status }, rid());
    expect(ok(await set('paused')).status).toBe('paused');
    expect(ok(await set('active')).status).toBe('active');
    expect(ok(await set('ended')).status).toBe('ended');
    expect(errorOf(await set('active'))).toMatchObject({ code: 'CONFLICT', message: '已结束的拼团活动不能重新开启，请新建一个活动' });
    expect(ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.list', { status: 'ended' })).campaigns).toHaveLength(1);
    expect(ok(await t.call('visitor', 'app', 'home.get', {})).campaigns.map((c) => c.id)).not.toContain(campaign.id);
    await addMembers(['late']);
    expect(errorOf(await t.call('late', 'groupbuy', 'groupbuy.open', { campaignId: campaign.id }, rid())).code).toBe('EXPIRED');
  });

  it('staff see each group with its members, page by page', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 2 });
    const leaders = Array.from({ length: 55 }, (_, i) => `leader-${String(i).padStart(2, '0')}`);
    await addMembers([...leaders, 'friend']);
    for (const l of leaders) {
      await openGroup(t, l, campaign.id);
      t.rt.clock.advance(1000);
    }
    const first = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.group.list', { campaignId: campaign.id }));
    expect(first.groups).toHaveLength(50);
    expect(first.groups[0].members).toEqual([{ seat: 1, openid: 'leader-54', nickname: '会员leader-54', joinedAt: expect.any(String) }]);
    const second = ok(await t.call(store.owner, 'groupbuy', 'groupbuy.group.list', { campaignId: campaign.id, cursor: first.nextCursor! }));
    expect(second.groups.map((g) => g.members[0].openid)).toEqual(['leader-04', 'leader-03', 'leader-02', 'leader-01', 'leader-00']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('what calls cost', () => {
  it('joining costs at most 7 billable operations, and a refusal for a full group 2', async () => {
    const store = await openStore(t);
    const campaign = await createCampaign(t, store, { groupSize: 3 });
    await addMembers(['leader', 'friend', 'third', 'late']);
    const group = await openGroup(t, 'leader', campaign.id);
    const billable = (c: { invocations: number; reads: number; writes: number }) => c.invocations + c.reads + c.writes;

    const joined = await measure(() => join(t, 'friend', group.token));
    ok(joined.result);
    // invocation; reads: group, member, campaign (for the answer); writes: join place, seat, events.
    expect(billable(joined.cost)).toBeLessThanOrEqual(7);
    ok(await join(t, 'third', group.token));
    const refused = await measure(() => join(t, 'late', group.token));
    expect(errorOf(refused.result).code).toBe('SOLD_OUT');
    // The refusal reads the group and nothing else.
    expect(billable(refused.cost)).toBeLessThanOrEqual(2);
  });
});
