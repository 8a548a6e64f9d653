/** Shared steps of the group-buy stories: a store, its coupons, a campaign, members, groups, counting. */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import type { ApiResult, GroupBuyCampaignInput, GroupBuyCampaignView, GroupView } from '../../typings';
import { addMember, createTemplate, issuedOf } from '../coupons/support';
import { ok, rid, type TestRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';

export { addMember, issuedOf };

/** 10:00 on 10 March 2026 in Shanghai: every story starts here unless it says otherwise. */
export const START = '2026-03-10T10:00:00+08:00';

export interface Store {
  owner: string;
  /** The benefit every member of a completed group gets: 满99减20, unlimited, up to 5 each. */
  benefitTemplateId: string;
  /** The leader's extra: 满50减10. */
  bonusTemplateId: string;
  /** For failed groups: 5元无门槛. */
  consolationTemplateId: string;
}

export async function openStore(t: TestRuntime): Promise<Store> {
  t.rt.clock.set(START);
  const owner = await makeOwner(t);
  const common = { totalStock: null, perMemberLimit: 5, validity: { type: 'relative', days: 30 } } as const;
  const benefit = await createTemplate(t, owner, { ...common, title: '拼团成团券' });
  const bonus = await createTemplate(t, owner, { ...common, title: '团长奖励券', amountOffFen: 1000, thresholdFen: 5000 });
  const consolation = await createTemplate(t, owner, { ...common, title: '拼团安慰券', kind: 'cash', amountOffFen: 500, thresholdFen: undefined });
  return { owner, benefitTemplateId: benefit.id, bonusTemplateId: bonus.id, consolationTemplateId: consolation.id };
}

/** A 3-person group-buy of tea with the benefit coupon, 24 hours to fill, running through March. */
export function campaignInput(store: Store, overrides: Partial<GroupBuyCampaignInput> = {}): GroupBuyCampaignInput {
  return {
    title: '明前龙井 3 人团',
    rules: '3 人成团，每人得满 99 减 20 券；24 小时内未成团则拼团失败。',
    product: { name: '明前龙井 250g', image: 'https://example.com/longjing.jpg', originalPriceFen: 12800 },
    groupSize: 3,
    timeLimitHours: 24,
    benefit: { type: 'coupon', templateId: store.benefitTemplateId },
    leaderBonusTemplateId: null,
    consolationTemplateId: null,
    maxGroups: null,
    joinsPerMember: 3,
    opensPerMember: 1,
    startDate: '2026-03-10',
    endDate: '2026-03-31',
    ...overrides,
  };
}

export async function createCampaign(t: TestRuntime, store: Store, overrides: Partial<GroupBuyCampaignInput> = {}): Promise<GroupBuyCampaignView> {
  return ok(await t.call(store.owner, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store, overrides), rid('gbc')));
}

/** Store members, written directly (membership is another area's story). */
export async function addMembers(openids: string[]): Promise<void> {
  await Promise.all(openids.map((openid) => addMember(openid)));
}

export async function openGroup(t: TestRuntime, leader: string, campaignId: string, subscribed = false): Promise<GroupView> {
  return ok(await t.call(leader, 'groupbuy', 'groupbuy.open', { campaignId, subscribed }, rid('open'))).group;
}

export function join(t: TestRuntime, openid: string, token: string, subscribed = false): Promise<ApiResult<{ group: GroupView; alreadyJoined: boolean }>> {
  return t.call(openid, 'groupbuy', 'groupbuy.join', { token, subscribed }, rid('join'));
}

export async function detail(t: TestRuntime, openid: string, token: string): Promise<GroupView> {
  return ok(await t.call(openid, 'groupbuy', 'groupbuy.detail', { token }));
}

export interface StoredGroup {
  _id: string;
  state: string;
  count: number;
  members: { openid: string; seat: number }[];
  benefitsIssued: boolean;
}

export async function storedGroups(campaignId: string): Promise<StoredGroup[]> {
  const res = await getDb().collection(COLLECTIONS.groupBuys).where({ campaignId }).limit(1000).get();
  return res.data as StoredGroup[];
}

/** Join documents (the per-member cap) of one member. */
export async function joinsOf(openid: string): Promise<{ groupId: string; capKey: string }[]> {
  const res = await getDb().collection(COLLECTIONS.groupBuyJoins).where({ openid }).limit(1000).get();
  return res.data as never;
}

export async function outbox(): Promise<{ toOpenid: string; templateId: string; page: string; data: Record<string, { value: string }>; dedupeKey: string }[]> {
  return (await getDb().collection(COLLECTIONS.outbox).orderBy('dedupeKey', 'asc').limit(1000).get()).data as never;
}

export async function eventsOf(type: string): Promise<{ openid: string; ref: string }[]> {
  return (await getDb().collection(COLLECTIONS.events).where({ type }).limit(1000).get()).data as never;
}
