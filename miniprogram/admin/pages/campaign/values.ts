/** A campaign as it stands, as the strings its form shows: 分 become 元, instants a Shanghai date + time. */
import type { CampaignDetail, CouponTemplateView, RepurchaseTrigger } from '../../../../typings';
import type { Values } from './fields';

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
const text = (n: number | null | undefined): string => (n == null ? '' : String(n));

function couponValues(c: CouponTemplateView): Values {
  const off: Values = c.kind === 'cash' ? { cashOff: yuanOf(c.amountOffFen) } : { amountOff: yuanOf(c.amountOffFen) };
  const threshold: Values = c.kind === 'amount_off' ? { threshold: yuanOf(c.thresholdFen) } : { minSpend: c.thresholdFen ? yuanOf(c.thresholdFen) : '' };
  const validity: Values = c.validity.type === 'relative' ? { validDays: String(c.validity.days) } : { validFrom: c.validity.startDate, validTo: c.validity.endDate };
  return {
    title: c.title,
    rules: c.rules,
    couponKind: c.kind,
    ...off,
    ...threshold,
    payPercent: text(c.payPercent),
    maxDiscount: yuanOf(c.maxDiscountFen),
    giftName: c.giftName ?? '',
    totalStock: text(c.totalStock),
    perMemberLimit: String(c.perMemberLimit),
    validity: c.validity.type,
    ...validity,
    audience: c.audience.type,
    withinDays: c.audience.type === 'new_members' ? String(c.audience.withinDays) : '',
    stackable: String(c.stackable),
    publicClaim: String(c.publicClaim !== false),
    ...scheduleValues(c.startsAt, c.endsAt),
  };
}

function triggerValues(t: RepurchaseTrigger): Values {
  switch (t.kind) {
    case 'after_order':
      return { trigger: t.kind, orderDays: String(t.days), keywords: t.productKeywords.join('，') };
    case 'win_back':
      return { trigger: t.kind, quietDays: String(t.days) };
    case 'birthday_day':
      return { trigger: t.kind, daysBefore: String(t.daysBefore) };
    default:
      return { trigger: t.kind };
  }
}

/** The form's values for a campaign as it stands. */
export function valuesOf(detail: CampaignDetail): Values {
  switch (detail.type) {
    case 'coupon':
      return couponValues(detail.coupon);
    case 'card': {
      const s = splitInstant(detail.card.startsAt);
      return { validUntil: detail.card.validUntil, startDate: s.date, startTime: s.time };
    }
    case 'repurchase': {
      const r = detail.rule;
      return { name: r.name, ...triggerValues(r.trigger), templateId: r.templateId, reminder: r.reminder ?? '', ...scheduleValues(r.startsAt, r.endsAt) };
    }
    case 'groupbuy': {
      const g = detail.groupbuy;
      return {
        title: g.title,
        rules: g.rules,
        productName: g.product.name,
        originalPrice: yuanOf(g.product.originalPriceFen),
        benefit: g.benefit.type,
        groupPrice: g.benefit.type === 'group_price' ? yuanOf(g.benefit.groupPriceFen) : '',
        benefitTemplateId: g.benefit.type === 'coupon' ? g.benefit.templateId : '',
        groupSize: String(g.groupSize),
        timeLimitHours: String(g.timeLimitHours),
        maxGroups: text(g.maxGroups),
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
        orderTemplateId: i.orderRewardTemplateId ?? '',
        signupDailyCap: String(i.signupDailyCap),
        orderDailyCap: String(i.orderDailyCap),
        totalRewardCap: text(i.totalRewardCap),
        startDate: i.startDate,
        endDate: i.endDate,
      };
    }
    case 'community':
      return { name: detail.entry.name, welcome: detail.entry.welcome, ...scheduleValues(detail.entry.startsAt, detail.entry.endsAt) };
  }
}
