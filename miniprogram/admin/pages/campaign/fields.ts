/**
 * The form of each campaign kind: its fields, which of them may change after launch (the rest are
 * shown but locked), which only show for a choice made above them, and where the cloud's field
 * problems land. Values are kept as the strings the inputs hold (switches: 'true' / 'false').
 */
import type { CampaignType } from '../../../../typings';

export type FieldKind = 'text' | 'textarea' | 'int' | 'yuan' | 'date' | 'time' | 'template' | 'choice' | 'switch';

export interface Option {
  value: string;
  label: string;
}

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  /** May change after launch. */
  editable: boolean;
  optional?: boolean;
  hint?: string;
  /** Choice fields: the chips to pick from. */
  options?: Option[];
  /** The value of a new campaign's field before anything is typed. */
  initial?: string;
  /** Shown only while the field `key` holds one of `is`. */
  showIf?: { key: string; is: string[] };
}

export type Values = Record<string, string>;

const f = (key: string, label: string, kind: FieldKind, editable: boolean, extra: Partial<FieldDef> = {}): FieldDef => ({ key, label, kind, editable, ...extra });
const when = (key: string, ...is: string[]) => ({ showIf: { key, is } });
const opts = (pairs: [string, string][]): Option[] => pairs.map(([value, label]) => ({ value, label }));

/** Start and end as date + time pickers (Shanghai); the start only moves while it is ahead. */
const SCHEDULE: FieldDef[] = [
  f('startDate', '开始日期', 'date', true, { optional: true, hint: '不填则立即开始；开始后不能再改' }),
  f('startTime', '开始时间', 'time', true, { optional: true }),
  f('endDate', '结束日期', 'date', true, { optional: true, hint: '不填则长期有效' }),
  f('endTime', '结束时间', 'time', true, { optional: true }),
];

const COUPON: FieldDef[] = [
  f('title', '券名称', 'text', true),
  f('rules', '使用规则', 'textarea', true),
  f('couponKind', '券类型', 'choice', false, { options: opts([['amount_off', '满减券'], ['percent_off', '折扣券'], ['gift', '赠品券'], ['cash', '无门槛券']]), initial: 'amount_off' }),
  f('amountOff', '减免金额（元）', 'yuan', false, when('couponKind', 'amount_off')),
  f('threshold', '使用门槛（元）', 'yuan', false, when('couponKind', 'amount_off')),
  f('cashOff', '券面金额（元）', 'yuan', false, when('couponKind', 'cash')),
  f('payPercent', '折扣（85 表示 8.5 折）', 'int', false, when('couponKind', 'percent_off')),
  f('maxDiscount', '最高优惠（元）', 'yuan', false, when('couponKind', 'percent_off')),
  f('giftName', '赠品', 'text', false, { ...when('couponKind', 'gift'), hint: '如：下单赠送 50g 试饮装' }),
  f('minSpend', '最低消费（元，可不填）', 'yuan', false, { ...when('couponKind', 'percent_off', 'gift'), optional: true }),
  f('totalStock', '库存（张，不填为不限量）', 'int', false, { optional: true }),
  f('perMemberLimit', '每人限领（张，只能调高）', 'int', true),
  f('validity', '有效期', 'choice', false, { options: opts([['relative', '领取后 N 天'], ['fixed', '固定日期']]), initial: 'relative' }),
  f('validDays', '领取后有效天数', 'int', false, when('validity', 'relative')),
  f('validFrom', '可用开始日期', 'date', false, when('validity', 'fixed')),
  f('validTo', '可用截止日期', 'date', false, when('validity', 'fixed')),
  f('audience', '谁能领', 'choice', false, { options: opts([['everyone', '所有顾客'], ['members', '仅会员'], ['new_members', '新会员']]), initial: 'everyone' }),
  f('withinDays', '入会几天内算新会员', 'int', false, when('audience', 'new_members')),
  f('stackable', '可与其他优惠同享', 'switch', false, { initial: 'false' }),
  f('publicClaim', '顾客可在领券页领取', 'switch', true, { initial: 'true', hint: '关闭后只由包裹卡、复购规则、拼团或邀请发放' }),
  ...SCHEDULE,
];

const REPURCHASE: FieldDef[] = [
  f('name', '规则名称', 'text', true),
  f('trigger', '什么时候发券', 'choice', false, {
    options: opts([['after_order', '下单后 N 天'], ['win_back', '久未下单召回'], ['birthday_month', '生日当月'], ['birthday_day', '生日前 N 天']]),
    initial: 'after_order',
  }),
  f('orderDays', '订单付款后第几天发券', 'int', false, when('trigger', 'after_order')),
  f('keywords', '只看这些商品（逗号分隔，可不填）', 'text', false, { ...when('trigger', 'after_order'), optional: true }),
  f('quietDays', '最后一次下单后第几天发券（至少 7）', 'int', false, when('trigger', 'win_back')),
  f('daysBefore', '生日前几天发券（0 为当天）', 'int', false, when('trigger', 'birthday_day')),
  f('templateId', '发放的优惠券', 'template', false),
  f('reminder', '提醒文案（20 字内，可不填）', 'text', true, { optional: true }),
  ...SCHEDULE,
];

export const FIELDS: Record<CampaignType, FieldDef[]> = {
  coupon: COUPON,
  card: [f('validUntil', '领取截止日期', 'date', true), SCHEDULE[0], SCHEDULE[1]],
  repurchase: REPURCHASE,
  groupbuy: [
    f('title', '活动名称', 'text', true),
    f('rules', '活动规则', 'textarea', true),
    f('productName', '商品名称', 'text', false),
    f('originalPrice', '原价（元，可不填）', 'yuan', false, { optional: true }),
    f('benefit', '成团后顾客得到', 'choice', false, { options: opts([['group_price', '拼团价'], ['coupon', '一张优惠券']]), initial: 'group_price' }),
    f('groupPrice', '拼团价（元）', 'yuan', false, when('benefit', 'group_price')),
    f('benefitTemplateId', '成团发放的优惠券', 'template', false, when('benefit', 'coupon')),
    f('groupSize', '成团人数', 'int', false),
    f('timeLimitHours', '成团时限（小时，对之后开的团生效）', 'int', true),
    f('maxGroups', '最多开团数（不填为不限）', 'int', false, { optional: true }),
    f('startDate', '开始日期', 'date', true, { hint: '开始后不能再改' }),
    f('endDate', '结束日期', 'date', true),
  ],
  invite: [
    f('title', '活动标题', 'text', true),
    f('rules', '活动规则', 'textarea', true),
    f('posterLine', '海报文案（16 字内）', 'text', true),
    f('templateId', '好友注册后邀请人得', 'template', false, { optional: true }),
    f('orderTemplateId', '好友首单后邀请人得', 'template', false, { optional: true }),
    f('signupDailyCap', '每人每天注册奖励上限', 'int', true),
    f('orderDailyCap', '每人每天首单奖励上限', 'int', true),
    f('totalRewardCap', '奖励总数上限（不填为不限）', 'int', true, { optional: true }),
    f('startDate', '开始日期', 'date', true, { hint: '开始后不能再改' }),
    f('endDate', '结束日期', 'date', true),
  ],
  community: [f('name', '入口名称', 'text', true), f('welcome', '欢迎语', 'textarea', true, { optional: true }), ...SCHEDULE],
};

/** A new campaign's form before anything is typed: the choices and switches at their defaults. */
export function initialValues(type: CampaignType): Values {
  return Object.fromEntries(FIELDS[type].filter((d) => d.initial !== undefined).map((d) => [d.key, d.initial as string]));
}

export function isShown(def: FieldDef, values: Values): boolean {
  return !def.showIf || def.showIf.is.includes(values[def.showIf.key] ?? '');
}

/**
 * Where the cloud's field problems land when the payload's name differs from the form's: payload
 * path (after `payload.`) → the form fields it may be, the shown one wins. Same names need no entry.
 */
const PATHS: Partial<Record<CampaignType, Record<string, string[]>>> = {
  coupon: {
    kind: ['couponKind'],
    amountOffFen: ['amountOff', 'cashOff'],
    thresholdFen: ['threshold', 'minSpend'],
    maxDiscountFen: ['maxDiscount'],
    'validity.days': ['validDays'],
    'validity.startDate': ['validFrom'],
    'validity.endDate': ['validTo'],
    'audience.withinDays': ['withinDays'],
    startsAt: ['startDate'],
    endsAt: ['endDate'],
  },
  repurchase: { 'trigger.days': ['orderDays', 'quietDays'], 'trigger.daysBefore': ['daysBefore'], 'trigger.productKeywords': ['keywords'], startsAt: ['startDate'], endsAt: ['endDate'] },
  groupbuy: { 'product.name': ['productName'], 'product.originalPriceFen': ['originalPrice'], 'benefit.groupPriceFen': ['groupPrice'], 'benefit.templateId': ['benefitTemplateId'] },
  invite: { signupRewardTemplateId: ['templateId'], orderRewardTemplateId: ['orderTemplateId'] },
  community: { startsAt: ['startDate'], endsAt: ['endDate'] },
  card: { startsAt: ['startDate'] },
};

/** The shown form field a problem at `path` (e.g. `payload.validity.days`) belongs to; null when none. */
export function fieldOfPath(type: CampaignType, path: string, values: Values): string | null {
  const inPayload = path.replace(/^payload\./, '');
  const named = PATHS[type] ?? {};
  const prefix = Object.keys(named).find((p) => inPayload === p || inPayload.startsWith(`${p}.`));
  const candidates = prefix ? named[prefix] : [inPayload.split('.')[0]];
  const shown = FIELDS[type].filter((d) => isShown(d, values)).map((d) => d.key);
  return candidates.find((k) => shown.includes(k)) ?? null;
}

/** What may change after launch, in a sentence for the edit form. */
export const EDIT_NOTES: Record<CampaignType, string> = {
  coupon: '上线后可改：名称、规则、每人限领（只能调高）、是否在领券页领取和时间。券类型、金额、有效期、领取对象和库存已随券发出，不能修改；库存请用「补充库存」。',
  card: '卡片已印制：感谢信、商品和福利都不能改，只能调整领取截止日期和尚未到来的开始时间。',
  repurchase: '上线后可改：名称、提醒文案和时间。触发条件和发放的券不能改，如需不同请新建规则。',
  groupbuy: '上线后可改：名称、规则、成团时限（对之后开的团生效）和日期。商品、成团奖励、人数和限制不能改；开团数请用「补充库存」。',
  invite: '上线后可改：标题、规则、海报文案、奖励上限和日期。奖励券已承诺给会员，不能修改。',
  community: '可随时修改名称、欢迎语和时间；群二维码在「社群入口」里管理。',
};
