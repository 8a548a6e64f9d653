/** Invite steps that page stories arrange through the real cloud functions (no pages involved). */
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import type { InviteCampaignInput, InviteCampaignView } from '../../../typings';
import { ownerCreatesCoupon } from './coupons';
import { act } from './members';

/** The owner runs 「邀好友 得好礼」: the inviter gets a 满99减20 「邀请奖励券」 for each friend who joins. */
export async function ownerRunsInviteCampaign(overrides: Partial<InviteCampaignInput> = {}): Promise<InviteCampaignView> {
  const reward = await ownerCreatesCoupon({ title: '邀请奖励券', totalStock: null, perMemberLimit: 10 });
  const created = await act(DEMO_OWNER_OPENID, 'growth', 'invite.campaign.create', {
    title: '邀好友 得好礼',
    rules: '好友通过你的链接加入会员，你得一张满99减20券。',
    posterLine: '好茶一起喝',
    signupRewardTemplateId: reward.id,
    orderRewardTemplateId: null,
    signupDailyCap: 5,
    orderDailyCap: 5,
    totalRewardCap: null,
    startDate: '2025-03-08',
    endDate: '2025-03-31',
    ...overrides,
  });
  return act(DEMO_OWNER_OPENID, 'growth', 'invite.campaign.setStatus', { campaignId: created.id, status: 'active' });
}
