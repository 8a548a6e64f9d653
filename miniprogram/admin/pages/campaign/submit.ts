/**
 * Sends a campaign form to the kind's own function: a create, or an update of the fields that
 * changed. The page only checks that numbers are numbers and coupons are picked; the cloud checks
 * every field and answers what to fix, field by field.
 */
import type { ApiResult, Audience, CampaignType, CouponTemplateInput, RepurchaseTrigger, Validity } from '../../../../typings';
import { call, call as send } from '../../../services/api';
import { FIELDS, isShown, type Values } from './fields';
import { instantOf } from './values';

type Sent = ApiResult<{ id: string }>;

const int = (s: string | undefined): number | undefined => (s === undefined || s.trim() === '' ? undefined : Number(s.trim()));
const fen = (s: string | undefined): number | undefined => (s === undefined || s.trim() === '' ? undefined : Math.round(Number(s.trim()) * 100));
const intOrNull = (s: string | undefined): number | null => int(s) ?? null;
const startsAt = (v: Values) => instantOf(v.startDate, v.startTime);
const endsAt = (v: Values) => instantOf(v.endDate, v.endTime ? v.endTime : '23:59');
const keywords = (s: string | undefined): string[] => (s ?? '').split(/[,，、\s]+/).filter(Boolean);

const NUMBER_FORMS: Partial<Record<string, { pattern: RegExp; message: string }>> = {
  int: { pattern: /^\d+$/, message: '请填写整数' },
  yuan: { pattern: /^\d+(\.\d{1,2})?$/, message: '请填写金额，如 20 或 19.9' },
};

/**
 * What the page can tell before sending (key → message): a shown number field whose text is not a
 * number, a coupon picker left on its placeholder. The cloud checks the rest.
 */
export function problemsBeforeSending(type: CampaignType, v: Values): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const def of FIELDS[type]) {
    if (!isShown(def, v)) continue;
    const form = NUMBER_FORMS[def.kind];
    const text = (v[def.key] ?? '').trim();
    if (form && text && !form.pattern.test(text)) problems[def.key] = form.message;
    if (def.kind === 'template' && !def.optional && !text) problems[def.key] = `请选择${def.label}`;
  }
  return problems;
}

function couponBenefit(v: Values): Pick<CouponTemplateInput, 'kind' | 'amountOffFen' | 'thresholdFen' | 'payPercent' | 'maxDiscountFen' | 'giftName'> {
  switch (v.couponKind) {
    case 'percent_off':
      return { kind: 'percent_off', payPercent: int(v.payPercent), maxDiscountFen: fen(v.maxDiscount), thresholdFen: fen(v.minSpend) };
    case 'gift':
      return { kind: 'gift', giftName: v.giftName ?? '', thresholdFen: fen(v.minSpend) };
    case 'cash':
      return { kind: 'cash', amountOffFen: fen(v.cashOff) };
    default:
      return { kind: 'amount_off', amountOffFen: fen(v.amountOff), thresholdFen: fen(v.threshold) };
  }
}

function validity(v: Values): Validity {
  return v.validity === 'fixed' ? { type: 'fixed', startDate: v.validFrom ?? '', endDate: v.validTo ?? '' } : { type: 'relative', days: int(v.validDays) as number };
}

function audience(v: Values): Audience {
  if (v.audience === 'new_members') return { type: 'new_members', withinDays: int(v.withinDays) as number };
  return { type: v.audience === 'members' ? 'members' : 'everyone' };
}

function trigger(v: Values): RepurchaseTrigger {
  switch (v.trigger) {
    case 'win_back':
      return { kind: 'win_back', days: int(v.quietDays) as number };
    case 'birthday_month':
      return { kind: 'birthday_month' };
    case 'birthday_day':
      return { kind: 'birthday_day', daysBefore: int(v.daysBefore) as number };
    default:
      return { kind: 'after_order', days: int(v.orderDays) as number, productKeywords: keywords(v.keywords) };
  }
}

export function createCampaign(type: CampaignType, v: Values, requestId: string): Promise<Sent> {
  const opts = { requestId };
  switch (type) {
    case 'coupon':
      return call(
        'coupon',
        'coupon.template.create',
        {
          title: v.title,
          rules: v.rules,
          ...couponBenefit(v),
          validity: validity(v),
          totalStock: intOrNull(v.totalStock),
          perMemberLimit: int(v.perMemberLimit) as number,
          audience: audience(v),
          stackable: v.stackable === 'true',
          publicClaim: v.publicClaim !== 'false',
          startsAt: startsAt(v),
          endsAt: endsAt(v),
        },
        opts,
      );
    case 'repurchase':
      return call('growth', 'repurchase.rule.create', { name: v.name, trigger: trigger(v), templateId: v.templateId, reminder: v.reminder || null, startsAt: startsAt(v), endsAt: endsAt(v) }, opts);
    case 'groupbuy':
      return call(
        'groupbuy',
        'groupbuy.campaign.create',
        {
          title: v.title,
          rules: v.rules,
          product: { name: v.productName, image: null, originalPriceFen: fen(v.originalPrice) ?? null },
          groupSize: int(v.groupSize) as number,
          timeLimitHours: int(v.timeLimitHours) as number,
          benefit: v.benefit === 'coupon' ? { type: 'coupon', templateId: v.benefitTemplateId ?? '' } : { type: 'group_price', groupPriceFen: fen(v.groupPrice) as number },
          leaderBonusTemplateId: null,
          consolationTemplateId: null,
          maxGroups: intOrNull(v.maxGroups),
          joinsPerMember: 1,
          opensPerMember: 1,
          startDate: v.startDate,
          endDate: v.endDate,
        },
        opts,
      );
    case 'invite':
      return call(
        'growth',
        'invite.campaign.create',
        {
          title: v.title,
          rules: v.rules,
          posterLine: v.posterLine,
          signupRewardTemplateId: v.templateId || null,
          orderRewardTemplateId: v.orderTemplateId || null,
          signupDailyCap: int(v.signupDailyCap) as number,
          orderDailyCap: int(v.orderDailyCap) as number,
          totalRewardCap: intOrNull(v.totalRewardCap),
          startDate: v.startDate,
          endDate: v.endDate,
        },
        opts,
      );
    case 'community':
      return call('community', 'community.entry.create', { name: v.name, purpose: 'other', welcome: v.welcome, startsAt: startsAt(v), endsAt: endsAt(v) }, opts);
    case 'card':
      throw new Error('card batches are made on the 包裹卡批次 page');
  }
}

/** Only what changed, in the kind's own update action. */
export function updateCampaign(type: CampaignType, id: string, v: Values, was: Values, requestId: string): Promise<Sent> {
  const opts = { requestId };
  const call = ((fn: never, action: never, payload: object, o: never) => send(fn, action, JSON.parse(JSON.stringify(payload)) as never, o)) as typeof send;
  const changed = (...keys: string[]) => keys.some((k) => v[k] !== was[k]);
  const pick = <T>(keys: string[], value: () => T): T | undefined => (changed(...keys) ? value() : undefined);
  // Unchanged fields are left out (not sent as undefined), so the cloud sees only what changed.
  const schedule = { startsAt: pick(['startDate', 'startTime'], () => startsAt(v)), endsAt: pick(['endDate', 'endTime'], () => endsAt(v)) };
  const words = { title: pick(['title'], () => v.title), rules: pick(['rules'], () => v.rules) };
  const dates = { startDate: pick(['startDate'], () => v.startDate), endDate: pick(['endDate'], () => v.endDate) };
  switch (type) {
    case 'coupon':
      return call(
        'coupon',
        'coupon.template.update',
        { templateId: id, ...words, perMemberLimit: pick(['perMemberLimit'], () => int(v.perMemberLimit)), publicClaim: pick(['publicClaim'], () => v.publicClaim !== 'false'), ...schedule },
        opts,
      );
    case 'card':
      return call('card', 'card.batch.update', { batchId: id, validUntil: pick(['validUntil'], () => v.validUntil), startsAt: schedule.startsAt }, opts);
    case 'repurchase':
      return call('growth', 'repurchase.rule.update', { ruleId: id, name: pick(['name'], () => v.name), reminder: pick(['reminder'], () => v.reminder || null), ...schedule }, opts);
    case 'groupbuy':
      return call('groupbuy', 'groupbuy.campaign.update', { campaignId: id, ...words, timeLimitHours: pick(['timeLimitHours'], () => int(v.timeLimitHours)), ...dates }, opts);
    case 'invite':
      return call(
        'growth',
        'invite.campaign.update',
        {
          campaignId: id,
          ...words,
          posterLine: pick(['posterLine'], () => v.posterLine),
          signupDailyCap: pick(['signupDailyCap'], () => int(v.signupDailyCap)),
          orderDailyCap: pick(['orderDailyCap'], () => int(v.orderDailyCap)),
          totalRewardCap: pick(['totalRewardCap'], () => intOrNull(v.totalRewardCap)),
          ...dates,
        },
        opts,
      );
    case 'community':
      return call('community', 'community.entry.update', { entryId: id, name: pick(['name'], () => v.name), welcome: pick(['welcome'], () => v.welcome), ...schedule }, opts);
  }
}
