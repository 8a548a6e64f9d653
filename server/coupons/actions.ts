/**
 * The `coupon` function's actions: customers claim and hold coupons, staff run templates and
 * verify (核销). Inputs are parsed at the edge; the domain modules next to this file do the work.
 */
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import type { CouponApi } from '../../typings';
import { ABILITY_ROLES } from '../admin/access';
import { audit } from '../runtime/audit';
import { getById, getDb } from '../runtime/db';
import type { ActionContext, ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { toDate, windowIssues } from '../runtime/schedule';
import type { MemberDoc } from './audience';
import { issueCoupon } from './issue';
import { type TemplateDoc, toCouponView, toTemplateView } from './model';
import { redeem, reverse, type StaffCall, verify } from './redemption';
import * as s from './schemas';
import { COUPON_SETTINGS_ID, type CouponSettingsDoc, loadSettings } from './settings';
import { setTemplateStatus, topUpTemplate, updateTemplate } from './manage';
import { createSlots, newTemplateDoc, stockCounts, templateIdFor, templateView } from './templates';
import { issuingEndsAt } from './validity';
import { claimable, detail, mine, subscribeReminder } from './wallet';

type Actions = { [K in keyof CouponApi]: ActionSpec<CouponApi[K]['req'], CouponApi[K]['res']> };

const staffCall = (ctx: ActionContext): StaffCall => ({ openid: ctx.openid, staff: ctx.staff!, requestId: ctx.requestId, now: ctx.now });

const settingsInput = z.strictObject({
  reversalWindowHours: z.number({ error: '请填写可撤销时限' }).int('时限须为整数小时').min(1, '可撤销时限至少 1 小时').max(720, '可撤销时限最多 720 小时（30 天）'),
  reminderDaysBefore: z.number({ error: '请填写提前提醒天数' }).int('天数须为整数').min(1, '至少提前 1 天提醒').max(15, '最多提前 15 天提醒'),
});

export const couponActions: Actions = {
  // ---- customers -------------------------------------------------------------------------------

  'coupon.claimable': {
    input: z.strictObject({ templateId: s.templateId }),
    async handler(ctx, input) {
      return claimable(ctx.openid, input.templateId, ctx.now);
    },
  },

  'coupon.claim': {
    input: z.strictObject({ templateId: s.templateId }),
    mutates: true,
    async handler(ctx, input) {
      const { coupon, alreadyHad } = await issueCoupon({
        templateId: input.templateId,
        openid: ctx.openid,
        source: { type: 'campaign', ref: input.templateId },
        requestKey: ctx.requestId,
        now: ctx.now,
      });
      return { coupon: toCouponView(coupon, ctx.now), alreadyHad };
    },
  },

  'coupon.mine': {
    input: z.strictObject({
      state: z.enum(['available', 'used', 'expired'], { error: '请选择可用、已使用或已过期' }),
      cursor: s.walletCursor.optional(),
    }),
    async handler(ctx, input) {
      return mine(ctx.openid, input.state, input.cursor, ctx.now);
    },
  },

  'coupon.detail': {
    input: z.strictObject({ couponId: s.couponId }),
    async handler(ctx, input) {
      return detail(ctx.openid, input.couponId, ctx.now);
    },
  },

  'coupon.subscribeReminder': {
    input: z.strictObject({ templateId: s.templateId, accepted: z.boolean({ error: '缺少订阅结果' }) }),
    mutates: true,
    async handler(ctx, input) {
      return subscribeReminder(ctx.openid, input.templateId, input.accepted, ctx.requestId, ctx.now);
    },
  },

  // ---- staff: templates ------------------------------------------------------------------------

  'coupon.template.create': {
    input: s.templateInput,
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      const endsAt = issuingEndsAt(input.validity);
      if (endsAt && endsAt.getTime() < ctx.now.getTime()) {
        fail('INVALID_INPUT', undefined, [{ path: 'payload.validity.endDate', message: '结束日期已经过去，请重新选择' }]);
      }
      const issues = windowIssues({ startsAt: toDate(input.startsAt), endsAt: toDate(input.endsAt) }, ctx.now);
      if (issues.length) fail('INVALID_INPUT', undefined, issues);
      const id = templateIdFor(ctx.openid, ctx.requestId);
      // The template is written after its slots: once it is visible, all of its stock exists. A
      // retry (same request id) finds the template, or re-runs the idempotent slot creation.
      const existing = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, id);
      if (existing) return templateView(existing);
      if (input.totalStock !== null) await createSlots(id, 'c', input.totalStock, ctx.now);
      const template = newTemplateDoc(id, input, ctx.openid, ctx.now);
      const { _id, ...data } = template;
      await getDb().collection(COLLECTIONS.couponTemplates).doc(_id).set({ data });
      await audit({ actor: ctx.openid, action: 'coupon.template.create', target: `${COLLECTIONS.couponTemplates}/${id}`, before: null, after: data }, ctx.now);
      return templateView(template);
    },
  },

  'coupon.template.list': {
    input: z.strictObject({ status: z.enum(['active', 'paused', 'ended'], { error: '状态无效' }).optional() }),
    staff: 'clerk',
    async handler(_ctx, input) {
      const res = await getDb()
        .collection(COLLECTIONS.couponTemplates)
        .where(input.status ? { status: input.status } : {})
        .orderBy('createdAt', 'desc')
        .limit(100)
        .get();
      const templates = res.data as TemplateDoc[];
      const counts = await stockCounts(templates.map((t) => t._id));
      return { templates: templates.map((t) => toTemplateView(t, counts.get(t._id)!)) };
    },
  },

  'coupon.template.update': {
    input: z
      .strictObject({
        templateId: s.templateId,
        title: s.title.optional(),
        rules: s.rules.optional(),
        perMemberLimit: s.perMemberLimit.optional(),
        publicClaim: s.publicClaim.optional(),
        startsAt: s.startsAt.optional(),
        endsAt: s.endsAt.optional(),
      })
      .refine((u) => Object.keys(u).length > 1, '没有要修改的内容'),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return updateTemplate(ctx, input);
    },
  },

  'coupon.template.setStatus': {
    input: z.strictObject({ templateId: s.templateId, status: z.enum(['active', 'paused', 'ended'], { error: '请选择进行中、暂停或结束' }) }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return setTemplateStatus(ctx, input.templateId, input.status);
    },
  },

  'coupon.template.topUp': {
    input: z.strictObject({ templateId: s.templateId, quantity: s.topUpQuantity }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return topUpTemplate(ctx, input.templateId, input.quantity);
    },
  },

  'coupon.grant': {
    input: z.strictObject({ templateId: s.templateId, openid: s.openid, note: z.string({ error: '请填写备注' }).trim().max(100, '备注最多 100 个字') }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      if (!(await getById<MemberDoc>(COLLECTIONS.members, input.openid))) fail('NOT_FOUND', '找不到这位会员');
      const { coupon, alreadyHad } = await issueCoupon({
        templateId: input.templateId,
        openid: input.openid,
        source: { type: 'staff_grant', ref: ctx.openid },
        requestKey: ctx.requestId,
        now: ctx.now,
      });
      if (!alreadyHad) {
        await audit(
          {
            actor: ctx.openid,
            action: 'coupon.grant',
            target: `${COLLECTIONS.coupons}/${coupon._id}`,
            before: null,
            after: { holder: coupon.holder, templateId: coupon.templateId },
            reason: input.note || undefined,
          },
          ctx.now,
        );
      }
      return { coupon: toCouponView(coupon, ctx.now), alreadyHad };
    },
  },

  // ---- staff: verification ---------------------------------------------------------------------

  'coupon.verify': {
    input: z.strictObject({ code: s.redemptionCode, orderAmountFen: s.orderAmountFen }),
    staff: 'clerk',
    async handler(ctx, input) {
      return verify(staffCall(ctx), input.code, input.orderAmountFen);
    },
  },

  'coupon.redeem': {
    input: z.strictObject({ code: s.redemptionCode, orderAmountFen: s.orderAmountFen, orderRef: s.orderRef }),
    staff: 'clerk',
    mutates: true,
    async handler(ctx, input) {
      return redeem(staffCall(ctx), input.code, input.orderAmountFen, input.orderRef);
    },
  },

  'coupon.reverse': {
    input: z.strictObject({ couponId: s.couponId, reason: s.reason }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return reverse(staffCall(ctx), input.couponId, input.reason);
    },
  },

  // ---- staff: settings -------------------------------------------------------------------------

  'coupon.settings.get': {
    input: z.strictObject({}),
    staff: 'clerk',
    async handler() {
      return loadSettings();
    },
  },

  'coupon.settings.set': {
    input: settingsInput,
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      const before = await loadSettings();
      const data: Omit<CouponSettingsDoc, '_id'> = { ...input, updatedAt: ctx.now, updatedBy: ctx.openid };
      await getDb().collection(COLLECTIONS.settings).doc(COUPON_SETTINGS_ID).set({ data });
      await audit({ actor: ctx.openid, action: 'coupon.settings.set', target: `${COLLECTIONS.settings}/${COUPON_SETTINGS_ID}`, before, after: input }, ctx.now);
      return { ...input };
    },
  },
};
