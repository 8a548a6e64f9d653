/**
 * Staff changes to a template after it was made: its status, the fields it is safe to change once
 * coupons are out (words, a higher per-person limit, where it can be claimed, the schedule), and
 * its stock. Each writes only if the template is still as read, and is audited with before/after.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CouponTemplateUpdate, CouponTemplateView, FieldIssue, TemplateStatus } from '../../typings';
import { audit } from '../runtime/audit';
import { getDb } from '../runtime/db';
import type { ActionContext } from '../runtime/define';
import { fail } from '../runtime/errors';
import { startChangeIssue, toDate, windowIssues } from '../runtime/schedule';
import { forgetTemplate } from './issue';
import type { TemplateDoc } from './model';
import { MAX_STOCK } from './schemas';
import { createSlots, loadTemplate, templateView, topUpTag } from './templates';

const target = (id: string): string => `${COLLECTIONS.couponTemplates}/${id}`;

export async function setTemplateStatus(ctx: ActionContext, templateId: string, status: TemplateStatus): Promise<CouponTemplateView> {
  const template = await loadTemplate(templateId);
  if (template.status === status) return templateView(template);
  if (template.status === 'ended') fail('CONFLICT', '已结束的券不能重新开启，请新建一张券');
  const res = await getDb()
    .collection(COLLECTIONS.couponTemplates)
    .where({ _id: template._id, status: template.status })
    .update({ data: { status, updatedAt: ctx.now } });
  forgetTemplate(template._id);
  if (res.stats.updated !== 1) fail('CONFLICT', '券的状态刚刚被修改，请刷新后重试');
  await audit({ actor: ctx.openid, action: 'coupon.template.setStatus', target: target(template._id), before: { status: template.status }, after: { status } }, ctx.now);
  return templateView({ ...template, status, updatedAt: ctx.now });
}

function updateIssues(template: TemplateDoc, input: CouponTemplateUpdate, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.perMemberLimit !== undefined && input.perMemberLimit < template.perMemberLimit) {
    issues.push({ path: 'payload.perMemberLimit', message: `每人限领只能调高（现为 ${template.perMemberLimit} 张），已领到的顾客不受影响` });
  }
  if (input.perMemberLimit !== undefined && template.totalStock !== null && input.perMemberLimit > template.totalStock) {
    issues.push({ path: 'payload.perMemberLimit', message: '每人限领不能超过总库存' });
  }
  if (input.startsAt !== undefined) {
    const startIssue = startChangeIssue(template.startsAt, toDate(input.startsAt), now);
    if (startIssue) issues.push(startIssue);
  }
  if (input.startsAt !== undefined || input.endsAt !== undefined) {
    const startsAt = input.startsAt !== undefined ? toDate(input.startsAt) : (template.startsAt ?? null);
    const endsAt = input.endsAt !== undefined ? toDate(input.endsAt) : (template.endsAt ?? null);
    issues.push(...windowIssues({ startsAt, endsAt }, now));
  }
  return issues;
}

export async function updateTemplate(ctx: ActionContext, input: CouponTemplateUpdate): Promise<CouponTemplateView> {
  const template = await loadTemplate(input.templateId);
  if (template.status === 'ended') fail('CONFLICT', '已结束的券不能修改，请新建一张券');
  const issues = updateIssues(template, input, ctx.now);
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  const patch: Partial<TemplateDoc> = {};
  if (input.title !== undefined) patch.title = input.title;
  if (input.rules !== undefined) patch.rules = input.rules;
  if (input.perMemberLimit !== undefined) patch.perMemberLimit = input.perMemberLimit;
  if (input.publicClaim !== undefined) patch.publicClaim = input.publicClaim;
  if (input.startsAt !== undefined) patch.startsAt = toDate(input.startsAt);
  if (input.endsAt !== undefined) patch.endsAt = toDate(input.endsAt);
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, template[k as keyof TemplateDoc] ?? null]));
  const res = await getDb()
    .collection(COLLECTIONS.couponTemplates)
    .where({ _id: template._id, updatedAt: template.updatedAt })
    .update({ data: { ...patch, updatedAt: ctx.now } });
  forgetTemplate(template._id);
  if (res.stats.updated !== 1) fail('CONFLICT', '券刚刚被修改，请刷新后重试');
  await audit({ actor: ctx.openid, action: 'coupon.template.update', target: target(template._id), before, after: patch }, ctx.now);
  return templateView({ ...template, ...patch, updatedAt: ctx.now });
}

export async function topUpTemplate(ctx: ActionContext, templateId: string, quantity: number): Promise<CouponTemplateView> {
  const template = await loadTemplate(templateId);
  if (template.appliedTopUps.includes(ctx.requestId)) return templateView(template);
  if (template.totalStock === null) fail('CONFLICT', '不限量的券无需补充库存');
  if (template.status === 'ended') fail('CONFLICT', '已结束的券不能补充库存');
  if (template.totalStock + quantity > MAX_STOCK) {
    fail('INVALID_INPUT', undefined, [{ path: 'payload.quantity', message: `总库存最多 ${MAX_STOCK} 张，最多还能补充 ${MAX_STOCK - template.totalStock} 张` }]);
  }
  // Slots first, then the total: a crash in between is finished by the retry.
  await createSlots(template._id, topUpTag(ctx.requestId), quantity, ctx.now);
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.couponTemplates)
    .where({ _id: template._id, appliedTopUps: _.neq(ctx.requestId) })
    .update({ data: { totalStock: _.inc(quantity), appliedTopUps: _.push([ctx.requestId]), updatedAt: ctx.now } });
  forgetTemplate(template._id);
  if (res.stats.updated === 1) {
    await audit(
      { actor: ctx.openid, action: 'coupon.template.topUp', target: target(template._id), before: { totalStock: template.totalStock }, after: { totalStock: template.totalStock + quantity } },
      ctx.now,
    );
  }
  return templateView(await loadTemplate(template._id));
}
