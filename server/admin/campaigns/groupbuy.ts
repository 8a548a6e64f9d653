/** Group-buys as campaigns: groups by state and the cap; paused, ended and topped up by their module. */
import { COLLECTIONS } from '../../../database/collections';
import type { Eligibility, GroupBuyCampaignView } from '../../../typings';
import { campaignSummary, campaignView, groupCounts, loadCampaign, openingRefusal, setCampaignStatus, viewOf } from '../../groupbuy/campaigns';
import { topUpCampaign } from '../../groupbuy/manage';
import { CAMPAIGN_KIND, type GroupCampaignDoc } from '../../groupbuy/model';
import { resultTemplateId } from '../../groupbuy/settle';
import { type CampaignKind, count, iso, type Listed, statusOf, TARGET } from './kind';
import { newestFirst } from './paging';

function listed(c: GroupCampaignDoc, view: GroupBuyCampaignView, now: Date): Listed {
  const { open, complete, failed } = view.groups;
  return {
    row: {
      type: 'groupbuy',
      id: c._id,
      title: c.title,
      subtitle: c.texts.benefit,
      status: statusOf(c.status, c, now),
      startsAt: iso(c.startsAt),
      endsAt: iso(c.endsAt),
      figures: [count('拼团中', open), count('已成团', complete), count('未成团', failed), count('开团上限', c.maxGroups)],
      createdAt: view.createdAt,
    },
    stock: c.maxGroups !== null,
  };
}

export const groupbuyKind: CampaignKind = {
  type: 'groupbuy',
  async page(before, limit, now) {
    const docs = await newestFirst<GroupCampaignDoc>(COLLECTIONS.campaigns, before, limit, { kind: CAMPAIGN_KIND });
    const counts = await groupCounts(docs.map((d) => d._id));
    return docs.map((d) => listed(d, campaignView(d, counts.get(d._id)!), now));
  },
  async get(id, now) {
    const campaign = await loadCampaign(id);
    const groupbuy = await viewOf(campaign);
    return { listed: listed(campaign, groupbuy, now), detail: { type: 'groupbuy', groupbuy } };
  },
  async command(ctx, id, command) {
    await setCampaignStatus(ctx, id, TARGET[command]);
  },
  async topUp(ctx, id, quantity) {
    await topUpCampaign(ctx, id, quantity);
  },
  async preview(ctx, id) {
    const campaign = await loadCampaign(id);
    const refusal = openingRefusal(campaign, ctx.now);
    const open: Eligibility = refusal ? { can: false, reason: refusal.message, reasonCode: refusal.code } : { can: true, reason: null, reasonCode: null };
    return {
      type: 'groupbuy',
      page: { campaign: campaignSummary(campaign), open, myOpenGroups: [], resultTemplateId: resultTemplateId() },
      note: '按一位已入会、还没有参团的会员预览',
    };
  },
};
