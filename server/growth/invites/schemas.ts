/** Input schemas of the invite actions; every message says in Chinese what to fix. */
import { z } from 'zod';
import { templateId } from '../../coupons/schemas';
import { isCalendarDate } from '../../runtime/shanghai';
import { CAMPAIGN_ID_PATTERN, TOKEN_LENGTH } from './token';

const text = (what: string, max: number) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, `请填写${what}`)
    .max(max, `${what}最多 ${max} 个字`)
    .refine((s) => !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(s), `${what}含有无法显示的字符`);

const cap = (what: string) => z.number({ error: `请填写${what}` }).int(`${what}须为整数`).min(1, `${what}至少为 1`).max(10_000, `${what}最多 10000`);

const date = (what: string) => z.string({ error: `请选择${what}` }).refine(isCalendarDate, `${what}须为有效日期，格式 YYYY-MM-DD`);

/** The fields staff may change after launch (all but the reward coupons). */
const editable = {
  title: text('活动标题', 20),
  rules: text('活动规则', 300),
  posterLine: text('海报文案', 16),
  signupDailyCap: cap('每人每天注册奖励上限'),
  orderDailyCap: cap('每人每天首单奖励上限'),
  totalRewardCap: cap('活动奖励总数上限').max(1_000_000, '活动奖励总数上限最多 1000000').nullable(),
  startDate: date('开始日期'),
  endDate: date('结束日期'),
};

export const campaignInput = z
  .strictObject({ ...editable, signupRewardTemplateId: templateId.nullable(), orderRewardTemplateId: templateId.nullable() })
  .refine((c) => c.endDate >= c.startDate, { path: ['endDate'], message: '结束日期不能早于开始日期' });

export const campaignId = z.string({ error: '缺少活动编号' }).regex(CAMPAIGN_ID_PATTERN, '活动编号无效');

export const campaignUpdate = z
  .strictObject({ campaignId, ...z.strictObject(editable).partial().shape })
  .refine((u) => Object.keys(u).length > 1, '没有要修改的内容');

/** Forged tokens of the right shape are told apart by their signature, not here. */
export const inviteToken = z.string({ error: '邀请链接无效' }).regex(new RegExp(`^[0-9A-Za-z]{${TOKEN_LENGTH}}$`), '邀请链接无效');

export const inviteesCursor = z.string({ error: '分页参数无效' }).regex(/^\d{1,6}$/, '分页参数无效');
