/**
 * Staff work on repurchase rules. A rule starts paused, so staff can preview its reach first; the
 * trigger's kind and the coupon are fixed once created (a different coupon is a different rule, so
 * "once per member per rule per period" keeps meaning what it says).
 */
import { COLLECTIONS } from '../../../database/collections';
import type { FieldIssue, RepurchaseRuleInput, RepurchaseRuleStatus, RepurchaseRuleUpdate, RepurchaseRuleView } from '../../../typings';
import type { TemplateDoc } from '../../coupons/model';
import { issuingRefusal } from '../../coupons/issue';
import { derivedId } from '../../coupons/templates';
import { audit } from '../../runtime/audit';
import { getById, getDb, insertOrGet } from '../../runtime/db';
import type { ActionContext } from '../../runtime/define';
import { fail } from '../../runtime/errors';
import { startChangeIssue, toDate, windowIssues } from '../../runtime/schedule';
import { type RuleDoc, toRuleView } from './model';

const target = (id: string): string => `${COLLECTIONS.repurchaseRules}/${id}`;

async function templateOf(id: string, path = 'payload.templateId'): Promise<TemplateDoc> {
  const template = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, id);
  if (!template) fail('INVALID_INPUT', undefined, [{ path, message: '优惠券不存在，请重新选择' }]);
  return template;
}

export async function loadRule(id: string): Promise<RuleDoc> {
  const rule = await getById<RuleDoc>(COLLECTIONS.repurchaseRules, id);
  if (!rule) fail('NOT_FOUND', '复购规则不存在');
  return rule;
}

async function viewOf(rule: RuleDoc): Promise<RepurchaseRuleView> {
  const template = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, rule.templateId);
  return toRuleView(rule, template?.title ?? '（券已删除）');
}

export async function createRule(ctx: ActionContext, input: RepurchaseRuleInput): Promise<RepurchaseRuleView> {
  const template = await templateOf(input.templateId);
  const window = { startsAt: toDate(input.startsAt), endsAt: toDate(input.endsAt) };
  const issues = windowIssues(window, ctx.now);
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  const rule: RuleDoc = {
    _id: derivedId('rp', ctx.openid, ctx.requestId),
    ...input,
    ...window,
    status: 'paused',
    activeSince: null,
    createdAt: ctx.now,
    createdBy: ctx.openid,
    updatedAt: ctx.now,
    updatedBy: ctx.openid,
  };
  const { doc, created } = await insertOrGet<RuleDoc>(COLLECTIONS.repurchaseRules, rule);
  if (created) await audit({ actor: ctx.openid, action: 'repurchase.rule.create', target: target(doc._id), before: null, after: doc }, ctx.now);
  return toRuleView(doc, template.title);
}

/** The coupons' titles by template id, in one read. */
export async function templateTitles(templateIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(templateIds)];
  if (!ids.length) return new Map();
  const _ = getDb().command;
  const res = await getDb().collection(COLLECTIONS.couponTemplates).where({ _id: _.in(ids) }).field({ title: true }).limit(ids.length).get();
  return new Map((res.data as TemplateDoc[]).map((t) => [t._id, t.title]));
}

export async function listRules(): Promise<{ rules: RepurchaseRuleView[] }> {
  const res = await getDb().collection(COLLECTIONS.repurchaseRules).orderBy('createdAt', 'desc').limit(100).get();
  const rules = res.data as RuleDoc[];
  const titles = await templateTitles(rules.map((r) => r.templateId));
  return { rules: rules.map((r) => toRuleView(r, titles.get(r.templateId) ?? '（券已删除）')) };
}

/** Writes `changes` if the rule is still as read (`updatedAt`); a concurrent edit is refused. */
async function writeRule(ctx: ActionContext, rule: RuleDoc, changes: Partial<RuleDoc>, action: string): Promise<RuleDoc> {
  const data = { ...changes, updatedAt: ctx.now, updatedBy: ctx.openid };
  const res = await getDb()
    .collection(COLLECTIONS.repurchaseRules)
    .where({ _id: rule._id, updatedAt: rule.updatedAt })
    .update({ data });
  if (res.stats.updated !== 1) fail('CONFLICT', '规则刚刚被修改，请刷新后重试');
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, rule[k as keyof RuleDoc]]));
  await audit({ actor: ctx.openid, action, target: target(rule._id), before, after: changes }, ctx.now);
  return { ...rule, ...data };
}

/** A start moves only while it is ahead; the window must end after it starts and not in the past. */
function scheduleIssues(rule: RuleDoc, input: RepurchaseRuleUpdate, now: Date): FieldIssue[] {
  if (input.startsAt === undefined && input.endsAt === undefined) return [];
  const startsAt = input.startsAt !== undefined ? toDate(input.startsAt) : (rule.startsAt ?? null);
  const endsAt = input.endsAt !== undefined ? toDate(input.endsAt) : (rule.endsAt ?? null);
  const moved = input.startsAt !== undefined ? startChangeIssue(rule.startsAt, startsAt, now) : null;
  return [...(moved ? [moved] : []), ...windowIssues({ startsAt, endsAt }, now)];
}

export async function updateRule(ctx: ActionContext, input: RepurchaseRuleUpdate): Promise<RepurchaseRuleView> {
  const rule = await loadRule(input.ruleId);
  if (rule.status === 'ended') fail('CONFLICT', '已结束的规则不能修改，请新建一条规则');
  if (input.trigger && input.trigger.kind !== rule.trigger.kind) {
    fail('INVALID_INPUT', undefined, [{ path: 'payload.trigger.kind', message: '规则类型不能修改，请新建一条规则' }]);
  }
  const issues = scheduleIssues(rule, input, ctx.now);
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  const changes: Partial<RuleDoc> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.trigger !== undefined) changes.trigger = input.trigger;
  if (input.reminder !== undefined) changes.reminder = input.reminder;
  if (input.startsAt !== undefined) changes.startsAt = toDate(input.startsAt);
  if (input.endsAt !== undefined) changes.endsAt = toDate(input.endsAt);
  return viewOf(await writeRule(ctx, rule, changes, 'repurchase.rule.update'));
}

export async function setRuleStatus(ctx: ActionContext, ruleId: string, status: RepurchaseRuleStatus): Promise<RepurchaseRuleView> {
  const rule = await loadRule(ruleId);
  if (rule.status === status) return viewOf(rule);
  if (rule.status === 'ended') fail('CONFLICT', '已结束的规则不能重新开启，请新建一条规则');
  if (status === 'active') {
    const refusal = issuingRefusal(await templateOf(rule.templateId), ctx.now);
    if (refusal) fail('CONFLICT', `规则的优惠券现在不能发放（${refusal.message}），请先处理优惠券`);
  }
  const changes: Partial<RuleDoc> = { status, activeSince: status === 'active' ? ctx.now : null };
  return viewOf(await writeRule(ctx, rule, changes, 'repurchase.rule.setStatus'));
}
