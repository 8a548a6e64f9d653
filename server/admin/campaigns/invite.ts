/** Invite campaigns as campaigns: invitees and rewards; one runs at a time (their module checks it). */
import { COLLECTIONS } from '../../../database/collections';
import type { InviteCampaignView } from '../../../typings';
import { boardsOf, setCampaignStatus } from '../../growth/invites/campaigns';
import { type CampaignDoc, runsOn, summaryOf, toCampaignView } from '../../growth/invites/model';
import { maskName } from '../../growth/people';
import { getById } from '../../runtime/db';
import { fail } from '../../runtime/errors';
import { endOfShanghaiDate, shanghaiDate, startOfShanghaiDate } from '../../runtime/shanghai';
import { type CampaignKind, count, iso, type Listed, statusOf, TARGET } from './kind';
import { newestFirst } from './paging';

async function load(id: string): Promise<CampaignDoc> {
  const campaign = await getById<CampaignDoc>(COLLECTIONS.inviteCampaigns, id);
  if (!campaign) fail('NOT_FOUND', '邀请活动不存在');
  return campaign;
}

function listed(c: CampaignDoc, view: InviteCampaignView, now: Date): Listed {
  const window = { startsAt: startOfShanghaiDate(c.startDate), endsAt: endOfShanghaiDate(c.endDate) };
  return {
    row: {
      type: 'invite',
      id: c._id,
      title: c.title,
      subtitle: [c.signupRewardTitle && `注册奖 ${c.signupRewardTitle}`, c.orderRewardTitle && `首单奖 ${c.orderRewardTitle}`].filter(Boolean).join(' · ') || '无奖励',
      status: statusOf(c.status, window, now),
      startsAt: iso(window.startsAt),
      endsAt: iso(window.endsAt),
      figures: [count('邀请人数', view.invitees), count('已发奖励', view.rewardsIssued), count('奖励上限', c.totalRewardCap)],
      createdAt: view.createdAt,
    },
    stock: false,
  };
}

export const inviteKind: CampaignKind = {
  type: 'invite',
  async page(before, limit, now) {
    const docs = await newestFirst<CampaignDoc>(COLLECTIONS.inviteCampaigns, before, limit);
    const boards = await boardsOf(docs.map((c) => c._id));
    return docs.map((c) => listed(c, toCampaignView(c, boards.get(c._id) ?? null), now));
  },
  async get(id, now) {
    const campaign = await load(id);
    const invite = toCampaignView(campaign, (await boardsOf([id])).get(id) ?? null);
    return { listed: listed(campaign, invite, now), detail: { type: 'invite', invite } };
  },
  async command(ctx, id, command) {
    await setCampaignStatus(ctx, id, TARGET[command]);
  },
  async preview(ctx, id) {
    const campaign = await load(id);
    const running = runsOn(campaign, shanghaiDate(ctx.now));
    return {
      type: 'invite',
      landing: { status: 'ok', inviter: { nickname: maskName(ctx.staff?.name ?? '会员'), avatar: null }, campaign: running ? summaryOf(campaign) : null },
      note: running ? '按一位好友打开会员邀请链接时预览' : '活动现在没有进行：好友打开邀请链接只会看到邀请人，看不到活动和奖励',
    };
  },
};
