/**
 * The `growth` function's actions: customers' repurchase reminders and invites, staff's repurchase
 * rules and invite campaigns. Inputs are parsed at the edge; the modules next to this file do the work.
 */
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import type { GrowthApi } from '../../typings';
import { ABILITY_ROLES } from '../admin/access';
import { getById, getDb } from '../runtime/db';
import type { ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { createCampaign, listCampaigns, setCampaignStatus, updateCampaign } from './invites/campaigns';
import { inviteLink, openInvite } from './invites/link';
import { myInvites } from './invites/mine';
import { invitePoster } from './invites/poster';
import * as inv from './invites/schemas';
import { type RuleDoc, type RunDoc, toRunView } from './repurchase/model';
import { previewRule } from './repurchase/preview';
import { reminderTemplateId, subscribe, unusedCredits } from './repurchase/reminders';
import { createRule, listRules, setRuleStatus, updateRule } from './repurchase/rules';
import * as rp from './repurchase/schemas';

type Actions = { [K in keyof GrowthApi]: ActionSpec<GrowthApi[K]['req'], GrowthApi[K]['res']> };

export const growthActions: Actions = {
  // ---- customers -------------------------------------------------------------------------------

  'repurchase.subscription': {
    input: z.strictObject({}),
    async handler(ctx) {
      const templateId = reminderTemplateId();
      return { templateId, credits: templateId ? await unusedCredits(ctx.openid) : 0 };
    },
  },

  'repurchase.subscribe': {
    input: z.strictObject({ accepted: z.boolean({ error: '缺少订阅结果' }) }),
    mutates: true,
    async handler(ctx, input) {
      return subscribe(ctx.openid, input.accepted, ctx.requestId, ctx.now);
    },
  },

  'invite.link': {
    input: z.strictObject({}),
    async handler(ctx) {
      return inviteLink(ctx.openid, ctx.now);
    },
  },

  'invite.poster': {
    input: z.strictObject({}),
    async handler(ctx) {
      return invitePoster(ctx.openid, ctx.now);
    },
  },

  'invite.open': {
    input: z.strictObject({ token: inv.inviteToken }),
    async handler(ctx, input) {
      return openInvite(ctx.openid, input.token, ctx.now);
    },
  },

  'invite.mine': {
    input: z.strictObject({ cursor: inv.inviteesCursor.optional() }),
    async handler(ctx, input) {
      return myInvites(ctx.openid, input.cursor, ctx.now);
    },
  },

  // ---- staff: repurchase -----------------------------------------------------------------------

  'repurchase.rule.create': {
    input: rp.ruleInput,
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return createRule(ctx, input);
    },
  },

  'repurchase.rule.list': {
    input: z.strictObject({}),
    staff: 'admin',
    async handler() {
      return listRules();
    },
  },

  'repurchase.rule.update': {
    input: z
      .strictObject({
        ruleId: rp.ruleId,
        name: rp.ruleName.optional(),
        trigger: rp.trigger.optional(),
        reminder: rp.reminder.optional(),
        startsAt: rp.startsAt.optional(),
        endsAt: rp.endsAt.optional(),
      })
      .refine((u) => Object.keys(u).length > 1, '没有要修改的内容'),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return updateRule(ctx, input);
    },
  },

  'repurchase.rule.setStatus': {
    input: z.strictObject({ ruleId: rp.ruleId, status: z.enum(['active', 'paused', 'ended'], { error: '请选择开启、暂停或结束' }) }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return setRuleStatus(ctx, input.ruleId, input.status);
    },
  },

  'repurchase.rule.preview': {
    input: z
      .strictObject({ ruleId: rp.ruleId.optional(), rule: rp.ruleInput.optional() })
      .refine((p) => (p.ruleId === undefined) !== (p.rule === undefined), '请指定一条规则（规则编号或规则内容，二选一）'),
    staff: 'admin',
    async handler(ctx, input) {
      const trigger = input.rule?.trigger ?? (await getById<RuleDoc>(COLLECTIONS.repurchaseRules, input.ruleId!))?.trigger;
      if (!trigger) fail('NOT_FOUND', '复购规则不存在');
      return previewRule(trigger, ctx.now);
    },
  },

  'repurchase.run.list': {
    input: z.strictObject({}),
    staff: 'admin',
    async handler() {
      const res = await getDb().collection(COLLECTIONS.repurchaseRuns).orderBy('_id', 'desc').limit(14).get();
      return { runs: (res.data as RunDoc[]).map(toRunView) };
    },
  },

  // ---- staff: invite campaigns -----------------------------------------------------------------

  'invite.campaign.create': {
    input: inv.campaignInput,
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return createCampaign(ctx, input);
    },
  },

  'invite.campaign.list': {
    input: z.strictObject({}),
    staff: 'admin',
    async handler() {
      return listCampaigns();
    },
  },

  'invite.campaign.update': {
    input: inv.campaignUpdate,
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return updateCampaign(ctx, input);
    },
  },

  'invite.campaign.setStatus': {
    input: z.strictObject({ campaignId: inv.campaignId, status: z.enum(['active', 'paused', 'ended'], { error: '请选择进行中、暂停或结束' }) }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return setCampaignStatus(ctx, input.campaignId, input.status);
    },
  },
};
