/**
 * Group-buy campaigns: staff create, list, pause and end them. The coupons a campaign names are
 * checked when it is created, so a completed group does not find its benefit refused later for a
 * reason staff could have seen (ended, for new members only, a per-person limit too low, a fixed
 * window ending before the campaign).
 */
import { COLLECTIONS } from '../../database/collections';
import type { FieldIssue, GroupBuyCampaignInput, GroupBuyCampaignStatus, GroupBuyCampaignSummary, GroupBuyCampaignView } from '../../typings';
import { benefitText, yuan } from '../coupons/discount';
import type { TemplateDoc } from '../coupons/model';
import { derivedId } from '../coupons/templates';
import { issuingEndsAt } from '../coupons/validity';
import { audit } from '../runtime/audit';
import { getById, getDb } from '../runtime/db';
import type { ActionContext } from '../runtime/define';
import { AppError, fail } from '../runtime/errors';
import { endOfShanghaiDate, startOfShanghaiDate } from '../runtime/shanghai';
import { CAMPAIGN_KIND, type CampaignTexts, type GroupCampaignDoc, iso } from './model';
import { createGroupSlots } from './slots';

type GroupCounts = GroupBuyCampaignView['groups'];

export async function loadCampaign(id: string): Promise<GroupCampaignDoc> {
  const doc = await getById<GroupCampaignDoc>(COLLECTIONS.campaigns, id);
  if (!doc || doc.kind !== CAMPAIGN_KIND) fail('NOT_FOUND', '拼团活动不存在或已下架');
  return doc;
}

/** Why no group can be opened now, or null. */
export function openingRefusal(c: GroupCampaignDoc, now: Date): AppError | null {
  if (c.status === 'ended' || new Date(c.endsAt).getTime() <= now.getTime()) return new AppError('EXPIRED', '拼团活动已结束');
  if (c.status === 'paused') return new AppError('CONFLICT', '拼团活动已暂停，请稍后再来');
  if (new Date(c.startsAt).getTime() > now.getTime()) return new AppError('CONFLICT', `拼团活动 ${c.startDate} 开始，敬请期待`);
  return null;
}

export function campaignSummary(c: GroupCampaignDoc): GroupBuyCampaignSummary {
  return {
    id: c._id,
    title: c.title,
    rules: c.rules,
    product: { ...c.product },
    groupSize: c.groupSize,
    timeLimitHours: c.timeLimitHours,
    benefit: { ...c.benefit },
    benefitText: c.texts.benefit,
    leaderBonusText: c.texts.leaderBonus,
    consolationText: c.texts.consolation,
    status: c.status,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
  };
}

export function inputOf(c: GroupCampaignDoc): GroupBuyCampaignInput {
  return {
    title: c.title,
    rules: c.rules,
    product: { ...c.product },
    groupSize: c.groupSize,
    timeLimitHours: c.timeLimitHours,
    benefit: { ...c.benefit },
    leaderBonusTemplateId: c.leaderBonusTemplateId,
    consolationTemplateId: c.consolationTemplateId,
    maxGroups: c.maxGroups,
    joinsPerMember: c.joinsPerMember,
    opensPerMember: c.opensPerMember,
    startDate: c.startDate,
    endDate: c.endDate,
  };
}

export function campaignView(c: GroupCampaignDoc, groups: GroupCounts): GroupBuyCampaignView {
  return {
    ...inputOf(c),
    id: c._id,
    status: c.status,
    benefitText: c.texts.benefit,
    leaderBonusText: c.texts.leaderBonus,
    consolationText: c.texts.consolation,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    groups,
    createdAt: iso(c.createdAt),
  };
}

/** Groups of each campaign by state, in one aggregate. */
export async function groupCounts(campaignIds: string[]): Promise<Map<string, GroupCounts>> {
  const out = new Map(campaignIds.map((id) => [id, { open: 0, complete: 0, failed: 0 }]));
  if (campaignIds.length === 0) return out;
  const db = getDb();
  const _ = db.command;
  const res = await db
    .collection(COLLECTIONS.groupBuys)
    .aggregate()
    .match({ campaignId: _.in(campaignIds) })
    .group({ _id: { c: '$campaignId', s: '$state' }, n: _.aggregate.sum(1) })
    .limit(campaignIds.length * 3 + 10)
    .end();
  for (const row of res.list as { _id: { c: string; s: keyof GroupCounts }; n: number }[]) {
    const counts = out.get(row._id.c);
    if (counts && row._id.s in counts) counts[row._id.s] += row.n;
  }
  return out;
}

export async function viewOf(c: GroupCampaignDoc): Promise<GroupBuyCampaignView> {
  return campaignView(c, (await groupCounts([c._id])).get(c._id)!);
}

const PATHS = { benefit: 'payload.benefit.templateId', leaderBonus: 'payload.leaderBonusTemplateId', consolation: 'payload.consolationTemplateId' } as const;

/** What would make a template refuse a group's members, or null. */
function templateProblem(t: TemplateDoc | null, input: GroupBuyCampaignInput, endsAt: Date): string | null {
  if (!t) return '找不到这张券，请重新选择';
  if (t.status === 'ended') return '这张券已结束发放，请另选一张';
  if (t.audience.type !== 'everyone' && t.audience.type !== 'members') return '拼团奖励券的领取对象须为所有人或会员';
  const issuingEnds = issuingEndsAt(t.validity);
  if (issuingEnds && issuingEnds.getTime() < endsAt.getTime()) return '这张券的有效期早于活动结束日期，请另选一张或调整日期';
  if (t.perMemberLimit < input.joinsPerMember) return `这张券每人限领 ${t.perMemberLimit} 张，少于每人可参团次数 ${input.joinsPerMember}`;
  return null;
}

/** The coupons a campaign names, checked, and the lines people read about them. */
export async function checkTemplates(input: GroupBuyCampaignInput, endsAt: Date): Promise<{ texts: CampaignTexts; issues: FieldIssue[] }> {
  const wanted: [keyof typeof PATHS, string | null][] = [
    ['benefit', input.benefit.type === 'coupon' ? input.benefit.templateId : null],
    ['leaderBonus', input.leaderBonusTemplateId],
    ['consolation', input.consolationTemplateId],
  ];
  const found = await Promise.all(wanted.map(([, id]) => (id ? getById<TemplateDoc>(COLLECTIONS.couponTemplates, id) : Promise.resolve(null))));
  const issues: FieldIssue[] = [];
  const lines: Partial<Record<keyof typeof PATHS, string>> = {};
  wanted.forEach(([role, id], i) => {
    if (!id) return;
    const problem = templateProblem(found[i], input, endsAt);
    if (problem) issues.push({ path: PATHS[role], message: problem });
    else lines[role] = benefitText(found[i]!);
  });
  const size = `${input.groupSize}人团`;
  return {
    issues,
    texts: {
      benefit: input.benefit.type === 'group_price' ? `${size}·拼团价¥${yuan(input.benefit.groupPriceFen)}` : `${size}·每人${lines.benefit ?? ''}`,
      leaderBonus: lines.leaderBonus ? `团长额外得${lines.leaderBonus}` : null,
      consolation: lines.consolation ? `未成团也送${lines.consolation}` : null,
    },
  };
}

export async function createCampaign(ctx: ActionContext, input: GroupBuyCampaignInput): Promise<GroupBuyCampaignView> {
  const id = derivedId('gbc', ctx.openid, ctx.requestId);
  const existing = await getById<GroupCampaignDoc>(COLLECTIONS.campaigns, id);
  if (existing) return viewOf(existing);

  const startsAt = startOfShanghaiDate(input.startDate);
  const endsAt = endOfShanghaiDate(input.endDate);
  const { texts, issues } = await checkTemplates(input, endsAt);
  if (endsAt.getTime() <= ctx.now.getTime()) issues.unshift({ path: 'payload.endDate', message: '结束日期已经过去，请重新选择' });
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  // The campaign is written after its slots: once it is visible, its whole cap exists.
  if (input.maxGroups !== null) await createGroupSlots(id, input.maxGroups, ctx.now);

  const doc: GroupCampaignDoc = {
    _id: id,
    kind: CAMPAIGN_KIND,
    ...input,
    subtitle: texts.benefit,
    status: 'active',
    startsAt,
    endsAt,
    texts,
    createdAt: ctx.now,
    createdBy: ctx.openid,
    updatedAt: ctx.now,
  };
  const { _id, ...data } = doc;
  await getDb().collection(COLLECTIONS.campaigns).doc(_id).set({ data });
  await audit({ actor: ctx.openid, action: 'groupbuy.campaign.create', target: `${COLLECTIONS.campaigns}/${id}`, before: null, after: data }, ctx.now);
  return campaignView(doc, { open: 0, complete: 0, failed: 0 });
}

export async function listCampaigns(status: GroupBuyCampaignStatus | undefined): Promise<GroupBuyCampaignView[]> {
  const res = await getDb()
    .collection(COLLECTIONS.campaigns)
    .where(status ? { kind: CAMPAIGN_KIND, status } : { kind: CAMPAIGN_KIND })
    .orderBy('createdAt', 'desc')
    .limit(100)
    .get();
  const docs = res.data as GroupCampaignDoc[];
  const counts = await groupCounts(docs.map((d) => d._id));
  return docs.map((d) => campaignView(d, counts.get(d._id)!));
}

export async function setCampaignStatus(ctx: ActionContext, campaignId: string, status: GroupBuyCampaignStatus): Promise<GroupBuyCampaignView> {
  const campaign = await loadCampaign(campaignId);
  if (campaign.status === status) return viewOf(campaign);
  if (campaign.status === 'ended') fail('CONFLICT', '已结束的拼团活动不能重新开启，请新建一个活动');
  const res = await getDb()
    .collection(COLLECTIONS.campaigns)
    .where({ _id: campaign._id, status: campaign.status })
    .update({ data: { status, updatedAt: ctx.now } });
  if (res.stats.updated !== 1) fail('CONFLICT', '活动状态刚刚被修改，请刷新后重试');
  await audit(
    { actor: ctx.openid, action: 'groupbuy.campaign.setStatus', target: `${COLLECTIONS.campaigns}/${campaign._id}`, before: { status: campaign.status }, after: { status } },
    ctx.now,
  );
  return viewOf({ ...campaign, status, updatedAt: ctx.now });
}
