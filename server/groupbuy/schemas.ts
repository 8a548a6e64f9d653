/**
 * Input schemas of the group-buy actions. Every message says in Chinese what to fix; cross-field
 * rules point at the field to change.
 */
import { z } from 'zod';
import type { GroupBuyCampaignInput } from '../../typings';
import { MAX_FEN, MAX_PER_MEMBER, templateId } from '../coupons/schemas';
import { avatar } from '../members/schemas';
import { isCalendarDate } from '../runtime/shanghai';
import { TOKEN_PATTERN } from './token';

export const MIN_GROUP_SIZE = 2;
export const MAX_GROUP_SIZE = 50;
export const MAX_TIME_LIMIT_HOURS = 168;
export const MAX_GROUPS = 100_000;

const fen = (what: string) =>
  z
    .number({ error: `请填写${what}` })
    .int(`${what}须为整数（单位：分）`)
    .min(1, `${what}须大于 0`)
    .max(MAX_FEN, `${what}不能超过 ${MAX_FEN / 100} 元`);

const calendarDate = (what: string) =>
  z.string({ error: `请填写${what}` }).refine(isCalendarDate, `${what}须为有效日期，格式 YYYY-MM-DD`);

const benefit = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('group_price'), groupPriceFen: fen('拼团价') }),
    z.strictObject({ type: z.literal('coupon'), templateId }),
  ],
  { error: '请选择成团奖励：拼团价或优惠券' },
);

const product = z.strictObject({
  name: z.string({ error: '请填写商品或权益名称' }).trim().min(1, '请填写商品或权益名称').max(30, '商品名称最多 30 个字'),
  image: avatar.nullable(),
  originalPriceFen: fen('原价').nullable(),
});

type Ctx = z.core.$RefinementCtx<GroupBuyCampaignInput>;

function crossChecks(c: GroupBuyCampaignInput, ctx: Ctx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (isCalendarDate(c.startDate) && isCalendarDate(c.endDate) && c.endDate < c.startDate) issue(['endDate'], '结束日期不能早于开始日期');
  if (c.opensPerMember > c.joinsPerMember) issue(['opensPerMember'], '每人开团次数不能超过每人参团次数（开团也算参团）');
  if (c.benefit.type === 'group_price' && c.product.originalPriceFen !== null && c.benefit.groupPriceFen >= c.product.originalPriceFen) {
    issue(['benefit', 'groupPriceFen'], '拼团价须低于原价');
  }
  if (c.benefit.type === 'coupon' && c.leaderBonusTemplateId === c.benefit.templateId) {
    issue(['leaderBonusTemplateId'], '团长奖励券不能与成团券相同，请另选一张券');
  }
}

const title = z.string({ error: '请填写活动名称' }).trim().min(1, '请填写活动名称').max(30, '活动名称最多 30 个字');
const rules = z.string({ error: '请填写活动规则' }).trim().min(1, '请填写活动规则').max(500, '活动规则最多 500 个字');
const timeLimitHours = z
  .number({ error: '请填写成团时限' })
  .int('成团时限须为整数小时')
  .min(1, '成团时限至少 1 小时')
  .max(MAX_TIME_LIMIT_HOURS, `成团时限最多 ${MAX_TIME_LIMIT_HOURS} 小时（7 天）`);

export const campaignInput = z
  .strictObject({
    title,
    rules,
    product,
    groupSize: z
      .number({ error: '请填写成团人数' })
      .int('成团人数须为整数')
      .min(MIN_GROUP_SIZE, `成团人数至少 ${MIN_GROUP_SIZE} 人`)
      .max(MAX_GROUP_SIZE, `成团人数最多 ${MAX_GROUP_SIZE} 人`),
    timeLimitHours,
    benefit,
    leaderBonusTemplateId: templateId.nullable(),
    consolationTemplateId: templateId.nullable(),
    maxGroups: z
      .number({ error: '请填写最多开团数，或选择不限' })
      .int('开团数须为整数')
      .min(1, '最多开团数至少 1 个')
      .max(MAX_GROUPS, `最多开团数不能超过 ${MAX_GROUPS} 个`)
      .nullable(),
    joinsPerMember: z
      .number({ error: '请填写每人可参团次数' })
      .int('参团次数须为整数')
      .min(1, '每人至少可参团 1 次')
      .max(MAX_PER_MEMBER, `每人最多可参团 ${MAX_PER_MEMBER} 次`),
    opensPerMember: z
      .number({ error: '请填写每人可开团次数' })
      .int('开团次数须为整数')
      .min(1, '每人至少可开团 1 次')
      .max(MAX_PER_MEMBER, `每人最多可开团 ${MAX_PER_MEMBER} 次`),
    startDate: calendarDate('开始日期'),
    endDate: calendarDate('结束日期'),
  })
  .superRefine(crossChecks);

export const campaignId = z.string({ error: '缺少活动编号' }).regex(/^gbc_[0-9a-f]{16}$/, '活动编号无效');

export const campaignUpdate = z
  .strictObject({
    campaignId,
    title: title.optional(),
    rules: rules.optional(),
    product: product.optional(),
    timeLimitHours: timeLimitHours.optional(),
    startDate: calendarDate('开始日期').optional(),
    endDate: calendarDate('结束日期').optional(),
  })
  .refine((u) => Object.keys(u).length > 1, '没有要修改的内容');

export const topUpQuantity = z
  .number({ error: '请填写增加的开团数' })
  .int('开团数须为整数')
  .min(1, '至少增加 1 个')
  .max(MAX_GROUPS, `一次最多增加 ${MAX_GROUPS} 个`);
export const groupId = z.string({ error: '缺少团编号' }).regex(/^gb_[0-9a-f]{16}$/, '团编号无效');
export const token = z.string({ error: '缺少拼团链接参数' }).regex(TOKEN_PATTERN, '拼团链接无效，请让好友重新分享');
export const status = z.enum(['active', 'paused', 'ended'], { error: '请选择进行中、暂停或结束' });
export const groupState = z.enum(['open', 'complete', 'failed'], { error: '请选择拼团中、已成团或未成团' });
export const subscribed = z.boolean({ error: '订阅结果须为是或否' }).optional();
/** 「我的拼团」 cursor: a join's sortKey. */
export const mineCursor = z.string({ error: '分页参数无效' }).regex(/^\d{15}:gb_[0-9a-f]{16}$/, '分页参数无效');
/** Staff group list cursor: `<openedAt ms, 15 digits>:<groupId>`. */
export const groupCursor = mineCursor;
