/**
 * The tab's campaign actions in the `admin` function: the one list of every kind, one campaign, its
 * pause / resume / end, a top-up of its stock, and a preview of what customers see. Each kind's own
 * module does (and audits) the change; the roles come from access.ts like every admin action.
 */
import { z } from 'zod';
import type { CampaignAdminApi, CampaignRef, CampaignType } from '../../../typings';
import { entryId } from '../../community/schemas';
import { batchId } from '../../cards/schemas';
import { templateId } from '../../coupons/schemas';
import { campaignId as groupbuyId } from '../../groupbuy/schemas';
import { campaignId as inviteId } from '../../growth/invites/schemas';
import { ruleId } from '../../growth/repurchase/schemas';
import type { ActionContext, ActionSpec } from '../../runtime/define';
import { fail } from '../../runtime/errors';
import { ABILITY_ROLES, AREA_ROLES } from '../access';
import { KINDS, listCampaigns } from './list';
import { present } from './present';

type Actions = { [K in keyof CampaignAdminApi]: ActionSpec<CampaignAdminApi[K]['req'], CampaignAdminApi[K]['res']> };

const TYPES = Object.keys(KINDS) as [CampaignType, ...CampaignType[]];
const type = z.enum(TYPES, { error: '请选择活动类型：优惠券、包裹卡、复购规则、拼团、邀请有礼或社群入口' });
const ID_OF: Record<CampaignType, z.ZodString> = { coupon: templateId, card: batchId, repurchase: ruleId, groupbuy: groupbuyId, invite: inviteId, community: entryId };

/** `{ type, id }` with the id checked against its kind's own format. */
function ref<T extends z.ZodRawShape>(extra: T) {
  return z.strictObject({ type, id: z.string({ error: '缺少活动编号' }), ...extra }).superRefine((input, ctx) => {
    const { type: t, id } = input as unknown as CampaignRef;
    if (!ID_OF[t].safeParse(id).success) ctx.addIssue({ code: 'custom', path: ['id'], message: '活动编号无效' });
  });
}

async function rowOf(ctx: ActionContext, { type: t, id }: CampaignRef) {
  return present((await KINDS[t].get(id, ctx.now)).listed, ctx.staff!.role);
}

export const campaignActions: Actions = {
  'campaign.list': {
    input: z.strictObject({
      type: type.optional(),
      status: z.enum(['scheduled', 'active', 'paused', 'ended'], { error: '请选择未开始、进行中、已暂停或已结束' }).optional(),
      cursor: z.iso.datetime({ error: '分页参数无效，请刷新后重试' }).optional(),
    }),
    staff: AREA_ROLES.campaigns,
    async handler(ctx, input) {
      return listCampaigns(input, ctx.staff!.role, ctx.now);
    },
  },

  'campaign.get': {
    input: ref({}),
    staff: AREA_ROLES.campaigns,
    async handler(ctx, input) {
      const { listed, detail } = await KINDS[input.type].get(input.id, ctx.now);
      return { row: present(listed, ctx.staff!.role), detail };
    },
  },

  'campaign.setStatus': {
    input: ref({
      command: z.enum(['pause', 'resume', 'end'], { error: '请选择暂停、恢复或结束' }),
      reason: z.string({ error: '原因须为文字' }).trim().min(1, '请填写原因').max(200, '原因最多 200 个字').optional(),
    }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      await KINDS[input.type].command(ctx, input.id, input.command, input.reason ?? null);
      return rowOf(ctx, input);
    },
  },

  'campaign.topUp': {
    input: ref({ quantity: z.number({ error: '请填写补充数量' }).int('补充数量须为整数').min(1, '至少补充 1').max(100_000, '一次最多补充 100000') }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      const kind = KINDS[input.type];
      if (!kind.topUp) fail('CONFLICT', '这类活动没有库存，无需补充');
      await kind.topUp(ctx, input.id, input.quantity);
      return rowOf(ctx, input);
    },
  },

  'campaign.preview': {
    input: ref({}),
    staff: AREA_ROLES.campaigns,
    async handler(ctx, input) {
      return KINDS[input.type].preview(ctx, input.id);
    },
  },
};
