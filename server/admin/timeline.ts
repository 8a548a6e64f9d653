/**
 * A member's timeline: their events, newest first, in people's words. Read through the events
 * collection's (openid, at) index, one page at a time.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardChannel, OrderPlatform, TimelineEntry } from '../../typings';
import { CHANNEL_NAMES } from '../cards/model';
import type { EventDoc } from '../events/log';
import { PLATFORM_LABELS } from '../orders/presets';
import { getDb } from '../runtime/db';
import { cutPage } from './paging';

export const TIMELINE_PAGE = 20;

const TITLES: Record<string, string> = {
  card_scan: '扫码打开包裹卡',
  card_scan_invalid: '扫描了无法识别的卡片',
  member_signup: '加入会员',
  member_delete: '注销账号',
  card_claim: '领取包裹卡福利',
  order_bind: '绑定订单',
  coupon_claim: '领取优惠券',
  coupon_redeem: '核销优惠券',
  invite_signup: '通过老会员邀请加入',
  invite_order: '受邀后首次下单',
  invite_open: '打开邀请链接',
  invite_reward: '获得邀请奖励',
  group_open: '发起拼团',
  group_join: '参加拼团',
  group_complete: '拼团成功',
  group_fail: '拼团未成团',
  community_open: '打开社群入口',
  repurchase_issue: '收到复购券',
  repurchase_remind: '收到复购提醒',
};

function detailOf(e: EventDoc): string | null {
  const channel = e.channel ? (CHANNEL_NAMES[e.channel as CardChannel] ?? (e.channel === 'invite' ? '邀请' : e.channel)) : null;
  switch (e.type) {
    case 'order_bind': {
      const [platform, ...rest] = (e.ref ?? '').split(':');
      const label = PLATFORM_LABELS[platform as OrderPlatform];
      return label ? `${label} ${rest.join(':')}` : (e.ref ?? null);
    }
    case 'card_scan':
    case 'card_claim':
      return [channel, e.ref ? `卡号 ${e.ref}` : null].filter(Boolean).join(' · ') || null;
    case 'member_signup':
      return channel ? `来自${channel}` : null;
    default:
      return null;
  }
}

export function timelineEntry(e: EventDoc): TimelineEntry {
  return {
    at: new Date(e.at).toISOString(),
    type: e.type,
    title: TITLES[e.type] ?? e.type,
    detail: detailOf(e),
    amountFen: typeof e.amountFen === 'number' ? e.amountFen : null,
  };
}

/** One page of the timeline before `before` (ISO), newest first. */
export async function timelinePage(openid: string, before: string | null): Promise<{ timeline: TimelineEntry[]; nextBefore: string | null }> {
  const _ = getDb().command;
  const where = before ? { openid, at: _.lt(new Date(before)) } : { openid };
  const res = await getDb().collection(COLLECTIONS.events).where(where).orderBy('at', 'desc').limit(TIMELINE_PAGE + 1).get();
  const { page, nextBefore } = cutPage(res.data as EventDoc[], TIMELINE_PAGE, (e) => new Date(e.at));
  return { timeline: page.map(timelineEntry), nextBefore: nextBefore ? nextBefore.toISOString() : null };
}
