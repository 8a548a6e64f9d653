/**
 * The form of each campaign kind: its fields, which of them may change after launch (the rest are
 * shown but locked), and how the typed-in values become the kind's create and update payloads.
 * Values are kept as the strings the inputs hold; 元 become fen and Shanghai date + time an instant.
 */
import type { CampaignDetail, CampaignType } from '../../../../typings';

export type FieldKind = 'text' | 'textarea' | 'int' | 'yuan' | 'date' | 'time' | 'template';

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  /** May change after launch. */
  editable: boolean;
  optional?: boolean;
  hint?: string;
}

export type Values = Record<string, string>;

const f = (key: string, label: string, kind: FieldKind, editable: boolean, extra: Partial<FieldDef> = {}): FieldDef => ({ key, label, kind, editable, ...extra });

/** Start and end as date + time pickers (Shanghai); the start only moves while it is ahead. */
const SCHEDULE: FieldDef[] = [
  f('startDate', '开始日期', 'date', true, { optional: true, hint: '不填则立即开始；开始后不能再改' }),
  f('startTime', '开始时间', 'time', true, { optional: true }),
  f('endDate', '结束日期', 'date', true, { optional: true, hint: '不填则长期有效' }),
  f('endTime', '结束时间', 'time', true, { optional: true }),
];

export const FIELDS: Record<CampaignType, FieldDef[]> = {
  coupon: [
    f('title', '券名称', 'text', true),
    f('rules', '使用规则', 'textarea', true),
    f('amountOff', '减免金额（元）', 'yuan', false),
    f('threshold', '使用门槛（元）', 'yuan', false),
    f('totalStock', '库存（张，不填为不限量）', 'int', false, { optional: true }),
    f('perMemberLimit', '每人限领（张，只能调高）', 'int', true),
    f('validDays', '领取后有效天数', 'int', false),
    ...SCHEDULE,
  ],
  card: [f('validUntil', '领取截止日期', 'date', true), SCHEDULE[0], SCHEDULE[1]],
  repurchase: [
    f('name', '规则名称', 'text', true),
    f('days', '订单付款后第几天发券', 'int', false),
    f('templateId', '发放的优惠券', 'template', false),
    f('reminder', '提醒文案（20 字内，可不填）', 'text', true, { optional: true }),
    ...SCHEDULE,
  ],
  groupbuy: [
    f('title', '活动名称', 'text', true),
    f('rules', '活动规则', 'textarea', true),
    f('productName', '商品名称', 'text', false),
    f('groupPrice', '拼团价（元）', 'yuan', false),
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
    f('templateId', '邀请人注册奖励券', 'template', false, { optional: true }),
    f('signupDailyCap', '每人每天注册奖励上限', 'int', true),
    f('orderDailyCap', '每人每天首单奖励上限', 'int', true),
    f('startDate', '开始日期', 'date', true, { hint: '开始后不能再改' }),
    f('endDate', '结束日期', 'date', true),
  ],
  community: [f('name', '入口名称', 'text', true), f('welcome', '欢迎语', 'textarea', true, { optional: true }), ...SCHEDULE],
};

/** What may change after launch, in a sentence for the edit form. */
export const EDIT_NOTES: Record<CampaignType, string> = {
  coupon: '上线后可改：名称、规则、每人限领（只能调高）和时间。金额、有效期和库存已随券发出，不能修改；库存请用「补充库存」。',
  card: '卡片已印制：感谢信、商品和福利都不能改，只能调整领取截止日期和尚未到来的开始时间。',
  repurchase: '上线后可改：名称、提醒文案和时间。触发条件和发放的券不能改，如需不同请新建规则。',
  groupbuy: '上线后可改：名称、规则、成团时限（对之后开的团生效）和日期。成团奖励、人数和限制不能改；开团数请用「补充库存」。',
  invite: '上线后可改：标题、规则、海报文案、奖励上限和日期。奖励券已承诺给会员，不能修改。',
  community: '可随时修改名称、欢迎语和时间；群二维码在「社群入口」里管理。',
};

const SHANGHAI_MS = 8 * 3_600_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** A Shanghai date and time from the pickers as an instant; null when no date was picked. */
export function instantOf(date: string, time: string): string | null {
  return date ? `${date}T${time || '00:00'}:00+08:00` : null;
}

function splitInstant(iso: string | null | undefined): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const d = new Date(new Date(iso).getTime() + SHANGHAI_MS);
  return { date: d.toISOString().slice(0, 10), time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` };
}

function scheduleValues(startsAt: string | null | undefined, endsAt: string | null | undefined): Values {
  const s = splitInstant(startsAt);
  const e = splitInstant(endsAt);
  return { startDate: s.date, startTime: s.time, endDate: e.date, endTime: e.time };
}

const yuanOf = (fen: number | null | undefined): string => (fen == null ? '' : String(fen / 100));

/** The form's values for a campaign as it stands. */
export function valuesOf(detail: CampaignDetail): Values {
  switch (detail.type) {
    case 'coupon': {
      const c = detail.coupon;
      return {
        title: c.title,
        rules: c.rules,
        amountOff: yuanOf(c.amountOffFen),
        threshold: yuanOf(c.thresholdFen),
        totalStock: c.totalStock === null ? '' : String(c.totalStock),
        perMemberLimit: String(c.perMemberLimit),
        validDays: c.validity.type === 'relative' ? String(c.validity.days) : '',
        ...scheduleValues(c.startsAt, c.endsAt),
      };
    }
    case 'card': {
      const s = splitInstant(detail.card.startsAt);
      return { validUntil: detail.card.validUntil, startDate: s.date, startTime: s.time };
    }
    case 'repurchase': {
      const r = detail.rule;
      return { name: r.name, days: r.trigger.kind === 'after_order' ? String(r.trigger.days) : '', templateId: r.templateId, reminder: r.reminder ?? '', ...scheduleValues(r.startsAt, r.endsAt) };
    }
    case 'groupbuy': {
      const g = detail.groupbuy;
      return {
        title: g.title,
        rules: g.rules,
        productName: g.product.name,
        groupPrice: g.benefit.type === 'group_price' ? yuanOf(g.benefit.groupPriceFen) : '',
        groupSize: String(g.groupSize),
        timeLimitHours: String(g.timeLimitHours),
        maxGroups: g.maxGroups === null ? '' : String(g.maxGroups),
        startDate: g.startDate,
        endDate: g.endDate,
      };
    }
    case 'invite': {
      const i = detail.invite;
      return {
        title: i.title,
        rules: i.rules,
        posterLine: i.posterLine,
        templateId: i.signupRewardTemplateId ?? '',
        signupDailyCap: String(i.signupDailyCap),
        orderDailyCap: String(i.orderDailyCap),
        startDate: i.startDate,
        endDate: i.endDate,
      };
    }
    case 'community':
      return { name: detail.entry.name, welcome: detail.entry.welcome, ...scheduleValues(detail.entry.startsAt, detail.entry.endsAt) };
  }
}
