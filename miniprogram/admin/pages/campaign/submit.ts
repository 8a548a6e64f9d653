/**
 * Sends a campaign form to the kind's own function: a create, or an update of the fields that
 * changed. The cloud checks every field and answers what to fix; the page only shows it.
 */
import type { ApiResult, CampaignType } from '../../../../typings';
import { call, call as send } from '../../../services/api';
import { instantOf, type Values } from './fields';

type Sent = ApiResult<{ id: string }>;

const int = (s: string | undefined): number | undefined => (s === undefined || s.trim() === '' ? undefined : Number(s.trim()));
const fen = (s: string | undefined): number | undefined => (s === undefined || s.trim() === '' ? undefined : Math.round(Number(s.trim()) * 100));
const intOrNull = (s: string | undefined): number | null => int(s) ?? null;
const startsAt = (v: Values) => instantOf(v.startDate, v.startTime);
const endsAt = (v: Values) => instantOf(v.endDate, v.endTime ? v.endTime : '23:59');

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
          kind: 'amount_off',
          amountOffFen: fen(v.amountOff),
          thresholdFen: fen(v.threshold),
          validity: { type: 'relative', days: int(v.validDays) as number },
          totalStock: intOrNull(v.totalStock),
          perMemberLimit: int(v.perMemberLimit) as number,
          audience: { type: 'everyone' },
          stackable: false,
          startsAt: startsAt(v),
          endsAt: endsAt(v),
        },
        opts,
      );
    case 'repurchase':
      return call(
        'growth',
        'repurchase.rule.create',
        { name: v.name, trigger: { kind: 'after_order', days: int(v.days) as number, productKeywords: [] }, templateId: v.templateId, reminder: v.reminder || null, startsAt: startsAt(v), endsAt: endsAt(v) },
        opts,
      );
    case 'groupbuy':
      return call(
        'groupbuy',
        'groupbuy.campaign.create',
        {
          title: v.title,
          rules: v.rules,
          product: { name: v.productName, image: null, originalPriceFen: null },
          groupSize: int(v.groupSize) as number,
          timeLimitHours: int(v.timeLimitHours) as number,
          benefit: { type: 'group_price', groupPriceFen: fen(v.groupPrice) as number },
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
          orderRewardTemplateId: null,
          signupDailyCap: int(v.signupDailyCap) as number,
          orderDailyCap: int(v.orderDailyCap) as number,
          totalRewardCap: null,
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
  switch (type) {
    case 'coupon':
      return call('coupon', 'coupon.template.update', { templateId: id, title: pick(['title'], () => v.title), rules: pick(['rules'], () => v.rules), perMemberLimit: pick(['perMemberLimit'], () => int(v.perMemberLimit)), ...schedule }, opts);
    case 'card':
      return call('card', 'card.batch.update', { batchId: id, validUntil: pick(['validUntil'], () => v.validUntil), startsAt: schedule.startsAt }, opts);
    case 'repurchase':
      return call('growth', 'repurchase.rule.update', { ruleId: id, name: pick(['name'], () => v.name), reminder: pick(['reminder'], () => v.reminder || null), ...schedule }, opts);
    case 'groupbuy':
      return call(
        'groupbuy',
        'groupbuy.campaign.update',
        { campaignId: id, title: pick(['title'], () => v.title), rules: pick(['rules'], () => v.rules), timeLimitHours: pick(['timeLimitHours'], () => int(v.timeLimitHours)), startDate: pick(['startDate'], () => v.startDate), endDate: pick(['endDate'], () => v.endDate) },
        opts,
      );
    case 'invite':
      return call(
        'growth',
        'invite.campaign.update',
        {
          campaignId: id,
          title: pick(['title'], () => v.title),
          rules: pick(['rules'], () => v.rules),
          posterLine: pick(['posterLine'], () => v.posterLine),
          signupDailyCap: pick(['signupDailyCap'], () => int(v.signupDailyCap)),
          orderDailyCap: pick(['orderDailyCap'], () => int(v.orderDailyCap)),
          startDate: pick(['startDate'], () => v.startDate),
          endDate: pick(['endDate'], () => v.endDate),
        },
        opts,
      );
    case 'community':
      return call('community', 'community.entry.update', { entryId: id, name: pick(['name'], () => v.name), welcome: pick(['welcome'], () => v.welcome), ...schedule }, opts);
  }
}
