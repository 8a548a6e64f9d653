/** Group-buy steps that page stories arrange through the real cloud functions (no pages involved). */
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import type { GroupBuyCampaignInput, GroupBuyCampaignView, GroupView } from '../../../typings';
import { ownerCreatesCoupon } from './coupons';
import { act } from './members';

/**
 * The owner starts 「明前龙井 3 人团」: 3 people within 24 hours, every member of a full group gets a
 * 满99减20 「拼团成团券」, running from the story's day to the end of March 2025.
 */
export async function ownerStartsGroupBuy(overrides: Partial<GroupBuyCampaignInput> = {}): Promise<GroupBuyCampaignView> {
  const benefit = await ownerCreatesCoupon({ title: '拼团成团券', totalStock: null, perMemberLimit: 3 });
  return act(DEMO_OWNER_OPENID, 'groupbuy', 'groupbuy.campaign.create', {
    title: '明前龙井 3 人团',
    rules: '3 人成团，每人得满 99 减 20 券；24 小时内未成团则拼团失败。',
    product: { name: '明前龙井 250g', image: null, originalPriceFen: 12800 },
    groupSize: 3,
    timeLimitHours: 24,
    benefit: { type: 'coupon', templateId: benefit.id },
    leaderBonusTemplateId: null,
    consolationTemplateId: null,
    maxGroups: null,
    joinsPerMember: 3,
    opensPerMember: 1,
    startDate: '2025-03-08',
    endDate: '2025-03-31',
    ...overrides,
  });
}

/** A member opens a group of `campaignId` straight through the function. */
export async function memberOpensGroup(openid: string, campaignId: string): Promise<GroupView> {
  return (await act(openid, 'groupbuy', 'groupbuy.open', { campaignId })).group;
}
