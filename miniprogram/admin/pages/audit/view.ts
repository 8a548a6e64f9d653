/** The audit log as staff read it: who, when, what, and the state before and after. */
import type { AuditView } from '../../../../typings';
import { shanghaiMinute } from '../../shared/format';

/** Actions people recognise; unknown ones show as recorded. */
const ACTIONS: Record<string, string> = {
  'coupon.template.create': '新建优惠券',
  'coupon.template.update': '修改优惠券',
  'coupon.template.setStatus': '优惠券状态',
  'coupon.template.topUp': '补充优惠券库存',
  'card.batch.create': '新建包裹卡批次',
  'card.batch.update': '修改包裹卡批次',
  'card.batch.setStatus': '包裹卡批次状态',
  'card.batch.revoke': '作废包裹卡批次',
  'groupbuy.campaign.create': '新建拼团',
  'groupbuy.campaign.update': '修改拼团',
  'groupbuy.campaign.setStatus': '拼团状态',
  'groupbuy.campaign.topUp': '补充开团数',
  'invite.campaign.create': '新建邀请活动',
  'invite.campaign.update': '修改邀请活动',
  'invite.campaign.setStatus': '邀请活动状态',
  'repurchase.rule.create': '新建复购规则',
  'repurchase.rule.update': '修改复购规则',
  'repurchase.rule.setStatus': '复购规则状态',
  'community.entry.create': '新建社群入口',
  'community.entry.update': '修改社群入口',
  'member.tags.set': '会员标签',
  'segment.rules.set': '分层规则',
};

export interface EntryView {
  id: string;
  when: string;
  who: string;
  what: string;
  target: string;
  before: string;
  after: string;
  reason: string;
}

/** A compact line of a stored state; long states are cut (the full record stays in the log). */
function stateText(state: unknown): string {
  if (state === null || state === undefined) return '—';
  const text = JSON.stringify(state);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function toEntryView(e: AuditView): EntryView {
  return {
    id: e.id,
    when: shanghaiMinute(e.at),
    who: e.actorName ?? e.actor,
    what: ACTIONS[e.action] ?? e.action,
    target: e.target,
    before: stateText(e.before),
    after: stateText(e.after),
    reason: e.reason ?? '',
  };
}
