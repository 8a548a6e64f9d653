/**
 * Staff run invite campaigns: what the inviter earns, the caps, the dates. One campaign runs at a
 * time (the link every member shares names it); an ended campaign stays ended.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { FieldIssue, InviteCampaignInput, InviteCampaignStatus, InviteCampaignUpdate, InviteCampaignView } from '../../../typings';
import type { TemplateDoc } from '../../coupons/model';
import { audit } from '../../runtime/audit';
import { getById, getDb, insertOrGet } from '../../runtime/db';
import type { ActionContext } from '../../runtime/define';
import { fail } from '../../runtime/errors';
import { shanghaiDate } from '../../runtime/shanghai';
import { type BoardDoc, type CampaignDoc, runsOn, toCampaignView } from './model';
import { NO_CAMPAIGN } from './token';

const campaigns = () => getDb().collection(COLLECTIONS.inviteCampaigns);
const target = (id: string): string => `${COLLECTIONS.inviteCampaigns}/${id}`;

/** 6 characters of [0-9a-z] from the creator and request: a retried create lands on the same campaign. */
export function campaignIdFor(creator: string, requestId: string): string {
  const n = BigInt(`0x${createHash('sha256').update(`${creator}\n${requestId}`).digest('hex').slice(0, 15)}`);
  const id = n.toString(36).padStart(6, '0').slice(-6);
  return id === NO_CAMPAIGN ? '000001' : id;
}

/** The campaign members' links name now: the newest active one whose dates include today. */
export async function currentCampaign(now: Date): Promise<CampaignDoc | null> {
  const res = await campaigns().where({ status: 'active' }).orderBy('createdAt', 'desc').limit(1).get();
  const campaign = (res.data[0] as CampaignDoc | undefined) ?? null;
  return campaign && runsOn(campaign, shanghaiDate(now)) ? campaign : null;
}

async function titleOf(templateId: string | null, field: string): Promise<string | null> {
  if (!templateId) return null;
  const template = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, templateId);
  if (!template) fail('INVALID_INPUT', undefined, [{ path: `payload.${field}`, message: '优惠券不存在，请重新选择' }]);
  return template.title;
}

export async function boardsOf(ids: string[]): Promise<Map<string, BoardDoc>> {
  if (!ids.length) return new Map();
  const _ = getDb().command;
  const res = await getDb().collection(COLLECTIONS.inviteBoards).where({ _id: _.in(ids) }).limit(ids.length).get();
  return new Map((res.data as BoardDoc[]).map((b) => [b._id, b]));
}

export async function createCampaign(ctx: ActionContext, input: InviteCampaignInput): Promise<InviteCampaignView> {
  if (input.endDate < shanghaiDate(ctx.now)) fail('INVALID_INPUT', undefined, [{ path: 'payload.endDate', message: '结束日期已经过去，请重新选择' }]);
  const [signupRewardTitle, orderRewardTitle] = await Promise.all([
    titleOf(input.signupRewardTemplateId, 'signupRewardTemplateId'),
    titleOf(input.orderRewardTemplateId, 'orderRewardTemplateId'),
  ]);
  const campaign: CampaignDoc = {
    _id: campaignIdFor(ctx.openid, ctx.requestId),
    ...input,
    status: 'paused',
    signupRewardTitle,
    orderRewardTitle,
    createdAt: ctx.now,
    createdBy: ctx.openid,
    updatedAt: ctx.now,
  };
  const { doc, created } = await insertOrGet<CampaignDoc>(COLLECTIONS.inviteCampaigns, campaign);
  if (created) await audit({ actor: ctx.openid, action: 'invite.campaign.create', target: target(doc._id), before: null, after: doc }, ctx.now);
  return toCampaignView(doc, null);
}

export async function listCampaigns(): Promise<{ campaigns: InviteCampaignView[] }> {
  const res = await campaigns().orderBy('createdAt', 'desc').limit(50).get();
  const docs = res.data as CampaignDoc[];
  const boards = await boardsOf(docs.map((c) => c._id));
  return { campaigns: docs.map((c) => toCampaignView(c, boards.get(c._id) ?? null)) };
}

function dateIssues(c: CampaignDoc, input: InviteCampaignUpdate, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.startDate !== undefined && input.startDate !== c.startDate) {
    if (c.startDate <= today) issues.push({ path: 'payload.startDate', message: '活动已经开始，开始日期不能再修改' });
    else if (input.startDate < today) issues.push({ path: 'payload.startDate', message: '开始日期不能早于今天' });
  }
  if (input.endDate !== undefined && input.endDate < today) issues.push({ path: 'payload.endDate', message: '结束日期已经过去，请重新选择' });
  else if ((input.endDate ?? c.endDate) < (input.startDate ?? c.startDate)) issues.push({ path: 'payload.endDate', message: '结束日期不能早于开始日期' });
  return issues;
}

/** Words, caps and dates; the reward coupons stay (members were promised them). */
export async function updateCampaign(ctx: ActionContext, input: InviteCampaignUpdate): Promise<InviteCampaignView> {
  const campaign = await getById<CampaignDoc>(COLLECTIONS.inviteCampaigns, input.campaignId);
  if (!campaign) fail('NOT_FOUND', '邀请活动不存在');
  if (campaign.status === 'ended') fail('CONFLICT', '已结束的活动不能修改，请新建一个活动');
  const issues = dateIssues(campaign, input, shanghaiDate(ctx.now));
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  const { campaignId: _id, ...changes } = input;
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  const res = await campaigns()
    .where({ _id: campaign._id, updatedAt: campaign.updatedAt })
    .update({ data: { ...changes, updatedAt: ctx.now } });
  if (res.stats.updated !== 1) fail('CONFLICT', '活动刚刚被修改，请刷新后重试');
  const before = Object.fromEntries(keys.map((k) => [k, campaign[k]]));
  await audit({ actor: ctx.openid, action: 'invite.campaign.update', target: target(campaign._id), before, after: changes }, ctx.now);
  return toCampaignView({ ...campaign, ...changes, updatedAt: ctx.now }, (await boardsOf([campaign._id])).get(campaign._id) ?? null);
}

export async function setCampaignStatus(ctx: ActionContext, id: string, status: InviteCampaignStatus): Promise<InviteCampaignView> {
  const campaign = await getById<CampaignDoc>(COLLECTIONS.inviteCampaigns, id);
  if (!campaign) fail('NOT_FOUND', '邀请活动不存在');
  const board = (await boardsOf([id])).get(id) ?? null;
  if (campaign.status === status) return toCampaignView(campaign, board);
  if (campaign.status === 'ended') fail('CONFLICT', '已结束的活动不能重新开启，请新建一个活动');
  if (status === 'active') {
    const running = await campaigns().where({ status: 'active' }).limit(1).get();
    if (running.data.length) fail('CONFLICT', '已有进行中的邀请活动，请先暂停或结束它');
  }
  const res = await campaigns().where({ _id: id, status: campaign.status }).update({ data: { status, updatedAt: ctx.now } });
  if (res.stats.updated !== 1) fail('CONFLICT', '活动状态刚刚被修改，请刷新后重试');
  await audit({ actor: ctx.openid, action: 'invite.campaign.setStatus', target: target(id), before: { status: campaign.status }, after: { status } }, ctx.now);
  return toCampaignView({ ...campaign, status, updatedAt: ctx.now }, board);
}
