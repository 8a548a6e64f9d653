/**
 * Input schemas of the coupon actions. Every field says in Chinese what is wrong with it; the
 * cross-field rules of a template (a percent coupon needs its rate, a cash coupon has no threshold)
 * point at the field to fix.
 */
import { z } from 'zod';
import type { CouponTemplateInput } from '../../typings';
import { instantOrNull } from '../runtime/schedule';
import { CODE_PATTERN, normalizeCode } from './codes';
import { isCalendarDate } from './validity';

/** 1,000,000 元: far above any real coupon or order, low enough that arithmetic stays exact. */
export const MAX_FEN = 100_000_000;
/** Stock per template (and per top-up): each unit is one pre-created slot document. */
export const MAX_STOCK = 100_000;
export const MAX_PER_MEMBER = 20;
export const MAX_RELATIVE_DAYS = 365;

const fen = (what: string) =>
  z
    .number({ error: `请填写${what}` })
    .int(`${what}须为整数（单位：分）`)
    .min(0, `${what}不能为负数`)
    .max(MAX_FEN, `${what}不能超过 ${MAX_FEN / 100} 元`);

const positiveFen = (what: string) => fen(what).min(1, `${what}须大于 0`);

const calendarDate = (what: string) =>
  z.string({ error: `请填写${what}` }).refine(isCalendarDate, `${what}须为有效日期，格式 YYYY-MM-DD`);

const validity = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('fixed'), startDate: calendarDate('开始日期'), endDate: calendarDate('结束日期') }),
    z.strictObject({
      type: z.literal('relative'),
      days: z
        .number({ error: '请填写有效天数' })
        .int('有效天数须为整数')
        .min(1, '有效天数至少 1 天')
        .max(MAX_RELATIVE_DAYS, `有效天数最多 ${MAX_RELATIVE_DAYS} 天`),
    }),
  ],
  { error: '请选择有效期类型：固定日期或领取后 N 天' },
);

const audience = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('everyone') }),
    z.strictObject({ type: z.literal('members') }),
    z.strictObject({
      type: z.literal('new_members'),
      withinDays: z.number({ error: '请填写新会员的入会天数' }).int('入会天数须为整数').min(1, '入会天数至少 1 天').max(365, '入会天数最多 365 天'),
    }),
    z.strictObject({
      type: z.literal('segment'),
      segment: z.string({ error: '请选择会员分层' }).trim().min(1, '请选择会员分层').max(32, '分层名称最多 32 个字'),
    }),
  ],
  { error: '请选择领取对象' },
);

type Ctx = z.core.$RefinementCtx<CouponTemplateInput>;

function issue(ctx: Ctx, path: keyof CouponTemplateInput | string[], message: string): void {
  ctx.addIssue({ code: 'custom', path: Array.isArray(path) ? path : [path], message });
}

/** Which amount fields each kind uses; the others must be left out so nothing is silently ignored. */
const FIELDS_BY_KIND: Record<CouponTemplateInput['kind'], (keyof CouponTemplateInput)[]> = {
  amount_off: ['amountOffFen', 'thresholdFen'],
  percent_off: ['payPercent', 'maxDiscountFen', 'thresholdFen'],
  gift: ['giftName', 'thresholdFen'],
  cash: ['amountOffFen'],
};
const KIND_NAMES: Record<CouponTemplateInput['kind'], string> = {
  amount_off: '满减券',
  percent_off: '折扣券',
  gift: '赠品券',
  cash: '无门槛券',
};
const KIND_FIELDS: (keyof CouponTemplateInput)[] = ['amountOffFen', 'thresholdFen', 'payPercent', 'maxDiscountFen', 'giftName'];

function checkKind(t: CouponTemplateInput, ctx: Ctx): void {
  const allowed = FIELDS_BY_KIND[t.kind];
  for (const field of KIND_FIELDS) {
    if (t[field] !== undefined && !allowed.includes(field)) issue(ctx, field, `${KIND_NAMES[t.kind]}不使用这一项，请删除`);
  }
  switch (t.kind) {
    case 'amount_off':
      if (t.amountOffFen === undefined || t.amountOffFen < 1) issue(ctx, 'amountOffFen', '请填写减免金额');
      if (t.thresholdFen === undefined || t.thresholdFen < 1) issue(ctx, 'thresholdFen', '满减券需要使用门槛；没有门槛请选择无门槛券');
      else if (t.amountOffFen !== undefined && t.amountOffFen > t.thresholdFen) issue(ctx, 'amountOffFen', '减免金额不能超过使用门槛');
      break;
    case 'percent_off':
      if (t.payPercent === undefined) issue(ctx, 'payPercent', '请填写折扣（1–99，85 表示 8.5 折）');
      if (t.maxDiscountFen === undefined || t.maxDiscountFen < 1) issue(ctx, 'maxDiscountFen', '请填写最高优惠金额');
      break;
    case 'gift':
      if (t.giftName === undefined) issue(ctx, 'giftName', '请填写赠品名称');
      break;
    case 'cash':
      if (t.amountOffFen === undefined || t.amountOffFen < 1) issue(ctx, 'amountOffFen', '请填写券面金额');
      break;
  }
  if (t.validity.type === 'fixed' && t.validity.endDate < t.validity.startDate) {
    issue(ctx, ['validity', 'endDate'], '结束日期不能早于开始日期');
  }
  if (t.totalStock !== null && t.perMemberLimit > t.totalStock) issue(ctx, 'perMemberLimit', '每人限领不能超过总库存');
  if (t.startsAt && t.endsAt && t.endsAt <= t.startsAt) issue(ctx, 'endsAt', '停止发放时间须晚于开始发放时间');
}

export const title = z.string({ error: '请填写券名称' }).trim().min(1, '请填写券名称').max(30, '券名称最多 30 个字');
export const rules = z.string({ error: '请填写使用规则' }).trim().min(1, '请填写使用规则').max(500, '使用规则最多 500 个字');
export const perMemberLimit = z
  .number({ error: '请填写每人限领张数' })
  .int('每人限领须为整数')
  .min(1, '每人至少可领 1 张')
  .max(MAX_PER_MEMBER, `每人最多限领 ${MAX_PER_MEMBER} 张`);
export const publicClaim = z.boolean({ error: '请选择是否允许顾客在领券页领取' });
export const startsAt = instantOrNull('开始发放时间');
export const endsAt = instantOrNull('停止发放时间');

export const templateInput = z
  .strictObject({
    title,
    rules,
    kind: z.enum(['amount_off', 'percent_off', 'gift', 'cash'], { error: '请选择券类型：满减、折扣、赠品或无门槛' }),
    amountOffFen: positiveFen('减免金额').optional(),
    thresholdFen: fen('使用门槛').optional(),
    payPercent: z.number({ error: '请填写折扣' }).int('折扣须为整数（85 表示 8.5 折）').min(1, '折扣须在 1–99 之间').max(99, '折扣须在 1–99 之间').optional(),
    maxDiscountFen: positiveFen('最高优惠金额').optional(),
    giftName: z.string({ error: '请填写赠品名称' }).trim().min(1, '请填写赠品名称').max(30, '赠品名称最多 30 个字').optional(),
    validity,
    totalStock: z
      .number({ error: '请填写库存，或选择不限量' })
      .int('库存须为整数')
      .min(1, '库存至少 1 张')
      .max(MAX_STOCK, `库存最多 ${MAX_STOCK} 张`)
      .nullable(),
    perMemberLimit,
    audience,
    stackable: z.boolean({ error: '请选择是否可与其他优惠同享' }),
    publicClaim: publicClaim.optional(),
    startsAt: startsAt.optional(),
    endsAt: endsAt.optional(),
  })
  .superRefine(checkKind);

export const topUpQuantity = z.number({ error: '请填写补充数量' }).int('补充数量须为整数').min(1, '至少补充 1 张').max(MAX_STOCK, `一次最多补充 ${MAX_STOCK} 张`);

export const templateId = z.string({ error: '缺少券编号' }).regex(/^tpl_[0-9a-f]{16}$/, '券编号无效');
export const couponId = z.string({ error: '缺少券编号' }).regex(/^tpl_[0-9a-f]{16}_[a-z0-9_]{1,40}$/, '券编号无效');
export const openid = z.string({ error: '缺少用户编号' }).regex(/^[A-Za-z0-9_-]{1,64}$/, '用户编号无效');

/** Typed or scanned codes: spaces and dashes are dropped and letters upper-cased before checking. */
export const redemptionCode = z
  .string({ error: '请输入券码' })
  .max(40, '券码无效，请核对后重新输入')
  .transform(normalizeCode)
  .pipe(z.string().regex(CODE_PATTERN, '券码无效，请核对后重新输入'));

export const orderAmountFen = fen('订单金额');

/** Optional: a counter sale may have no receipt number; empty means none. */
export const orderRef = z.string({ error: '订单号应为文字' }).trim().max(64, '订单号最多 64 个字符');

export const reason = z.string({ error: '请填写原因' }).trim().min(1, '请填写原因').max(200, '原因最多 200 个字');

/** The wallet's cursor is the last coupon's sort key (see model.ts). */
export const walletCursor = z.string().regex(/^\d{15}:tpl_[0-9a-f]{16}#\d{1,3}$/, '分页参数无效，请刷新后重试');
