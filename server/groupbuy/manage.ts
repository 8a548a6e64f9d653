/**
 * Staff changes to a running group-buy: the words, the product, the time limit of groups opened
 * from now on, the dates (the start only while it is ahead), and more groups under the cap. The
 * benefit, the group size and the per-person limits stay: groups already open carry them.
 */
import { COLLECTIONS } from '../../database/collections';
import type { FieldIssue, GroupBuyCampaignUpdate, GroupBuyCampaignView } from '../../typings';
import { topUpTag } from '../coupons/templates';
import { audit } from '../runtime/audit';
import { getDb } from '../runtime/db';
import type { ActionContext } from '../runtime/define';
import { fail } from '../runtime/errors';
import { endOfShanghaiDate, shanghaiDate, startOfShanghaiDate } from '../runtime/shanghai';
import { checkTemplates, inputOf, loadCampaign, viewOf } from './campaigns';
import type { GroupCampaignDoc } from './model';
import { MAX_GROUPS } from './schemas';
import { createGroupSlots } from './slots';

const target = (id: string): string => `${COLLECTIONS.campaigns}/${id}`;

async function dateIssues(c: GroupCampaignDoc, input: GroupBuyCampaignUpdate, now: Date): Promise<FieldIssue[]> {
  const today = shanghaiDate(now);
  const started = startOfShanghaiDate(c.startDate).getTime() <= now.getTime();
  const startDate = input.startDate ?? c.startDate;
  const endDate = input.endDate ?? c.endDate;
  const issues: FieldIssue[] = [];
  if (input.startDate !== undefined && input.startDate !== c.startDate) {
    if (started) issues.push({ path: 'payload.startDate', message: '活动已经开始，开始日期不能再修改' });
    else if (input.startDate < today) issues.push({ path: 'payload.startDate', message: '开始日期不能早于今天' });
  }
  if (input.endDate !== undefined && input.endDate < today) issues.push({ path: 'payload.endDate', message: '结束日期已经过去，请重新选择' });
  else if (endDate < startDate) issues.push({ path: 'payload.endDate', message: '结束日期不能早于开始日期' });
  // A later end must still be covered by the coupons the campaign hands out.
  if (input.endDate !== undefined && !issues.length) issues.push(...(await checkTemplates({ ...inputOf(c), endDate }, endOfShanghaiDate(endDate))).issues);
  return issues;
}

export async function updateCampaign(ctx: ActionContext, input: GroupBuyCampaignUpdate): Promise<GroupBuyCampaignView> {
  const campaign = await loadCampaign(input.campaignId);
  if (campaign.status === 'ended') fail('CONFLICT', '已结束的拼团活动不能修改，请新建一个活动');
  const issues = await dateIssues(campaign, input, ctx.now);
  if (input.product?.originalPriceFen != null && campaign.benefit.type === 'group_price' && campaign.benefit.groupPriceFen >= input.product.originalPriceFen) {
    issues.push({ path: 'payload.product.originalPriceFen', message: '原价须高于拼团价' });
  }
  if (issues.length) fail('INVALID_INPUT', undefined, issues);

  const patch: Partial<GroupCampaignDoc> = {};
  if (input.title !== undefined) patch.title = input.title;
  if (input.rules !== undefined) patch.rules = input.rules;
  if (input.product !== undefined) patch.product = input.product;
  if (input.timeLimitHours !== undefined) patch.timeLimitHours = input.timeLimitHours;
  if (input.startDate !== undefined) Object.assign(patch, { startDate: input.startDate, startsAt: startOfShanghaiDate(input.startDate) });
  if (input.endDate !== undefined) Object.assign(patch, { endDate: input.endDate, endsAt: endOfShanghaiDate(input.endDate) });
  const res = await getDb()
    .collection(COLLECTIONS.campaigns)
    .where({ _id: campaign._id, updatedAt: campaign.updatedAt })
    .update({ data: { ...patch, updatedAt: ctx.now } });
  if (res.stats.updated !== 1) fail('CONFLICT', '活动刚刚被修改，请刷新后重试');
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, campaign[k as keyof GroupCampaignDoc]]));
  await audit({ actor: ctx.openid, action: 'groupbuy.campaign.update', target: target(campaign._id), before, after: patch }, ctx.now);
  return viewOf({ ...campaign, ...patch, updatedAt: ctx.now });
}

/** More groups under the cap: slots first (named by the request), then the cap, once per request id. */
export async function topUpCampaign(ctx: ActionContext, campaignId: string, quantity: number): Promise<GroupBuyCampaignView> {
  const campaign = await loadCampaign(campaignId);
  if (campaign.appliedTopUps?.includes(ctx.requestId)) return viewOf(campaign);
  if (campaign.maxGroups === null) fail('CONFLICT', '这个活动不限开团数，无需补充');
  if (campaign.status === 'ended') fail('CONFLICT', '已结束的拼团活动不能补充开团数');
  if (campaign.maxGroups + quantity > MAX_GROUPS) {
    fail('INVALID_INPUT', undefined, [{ path: 'payload.quantity', message: `开团数最多 ${MAX_GROUPS} 个，最多还能增加 ${MAX_GROUPS - campaign.maxGroups} 个` }]);
  }
  await createGroupSlots(campaign._id, quantity, ctx.now, topUpTag(ctx.requestId));
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.campaigns)
    .where({ _id: campaign._id, appliedTopUps: _.neq(ctx.requestId) })
    .update({ data: { maxGroups: _.inc(quantity), appliedTopUps: _.push([ctx.requestId]), updatedAt: ctx.now } });
  if (res.stats.updated === 1) {
    await audit(
      { actor: ctx.openid, action: 'groupbuy.campaign.topUp', target: target(campaign._id), before: { maxGroups: campaign.maxGroups }, after: { maxGroups: campaign.maxGroups + quantity } },
      ctx.now,
    );
  }
  return viewOf(await loadCampaign(campaign._id));
}
