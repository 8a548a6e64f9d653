/** Input schemas of the repurchase actions; every message says in Chinese what to fix. */
import { z } from 'zod';
import { templateId } from '../../coupons/schemas';
import { instantOrNull } from '../../runtime/schedule';

const wholeDays = (what: string, min: number, max: number) =>
  z
    .number({ error: `请填写${what}` })
    .int(`${what}须为整数`)
    .min(min, `${what}至少 ${min} 天`)
    .max(max, `${what}最多 ${max} 天`);

const text = (what: string, max: number) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, `请填写${what}`)
    .max(max, `${what}最多 ${max} 个字`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${what}含有无法显示的字符`);

export const trigger = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('after_order'),
      days: wholeDays('下单后天数', 1, 365),
      productKeywords: z.array(text('商品关键词', 30), { error: '商品关键词须为列表' }).max(10, '商品关键词最多 10 个'),
    }),
    z.strictObject({ kind: z.literal('birthday_month') }),
    z.strictObject({
      kind: z.literal('birthday_day'),
      daysBefore: z.number({ error: '请填写提前天数' }).int('提前天数须为整数').min(0, '提前天数不能为负数').max(30, '最多提前 30 天'),
    }),
    z.strictObject({ kind: z.literal('win_back'), days: wholeDays('未下单天数', 7, 730) }),
    z.strictObject({
      kind: z.literal('new_product_trial'),
      segment: z.string({ error: '请选择会员分层' }).regex(/^[A-Za-z0-9_-]{1,32}$/, '会员分层无效'),
      product: text('新品名称', 30),
    }),
  ],
  { error: '请选择规则类型：下单后 N 天、生日月、生日当天、沉睡召回或新品试用' },
);

export const ruleName = text('规则名称', 30);
export const reminder = text('提醒文案', 20).nullable();
export const ruleId = z.string({ error: '缺少规则编号' }).regex(/^rp_[0-9a-f]{16}$/, '规则编号无效');

export const startsAt = instantOrNull('开始时间');
export const endsAt = instantOrNull('结束时间');

export const ruleInput = z
  .strictObject({ name: ruleName, trigger, templateId, reminder, startsAt: startsAt.optional(), endsAt: endsAt.optional() })
  .refine((r) => !r.startsAt || !r.endsAt || r.endsAt > r.startsAt, { path: ['endsAt'], message: '结束时间须晚于开始时间' });
