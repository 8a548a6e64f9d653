/** How a member reads in the admin tab: the list row and the labels shared by search and the member page. */
import type { CardChannel, LevelRules, MemberRow } from '../../typings';
import { CHANNEL_NAMES } from '../cards/model';
import { levelOf } from '../members/levels';
import { displayName, iso, type MemberAttribution, type MemberDoc } from '../members/model';
import { segmentLabels } from './segments/rules';

/** The member document as the admin timer leaves it (search.ts, new-members.ts). */
export interface AdminMemberDoc extends MemberDoc {
  phoneLast4?: string;
}

const channelName = (channel: string | null): string => (channel ? (CHANNEL_NAMES[channel as CardChannel] ?? channel) : '');

/** 「包裹卡 · 淘宝」「邀请」「直接进入」 */
export function sourceLabel(a: Pick<MemberAttribution, 'source' | 'channel'>): string {
  if (a.source === 'card') return a.channel ? `包裹卡 · ${channelName(a.channel)}` : '包裹卡';
  if (a.source === 'invite') return '老会员邀请';
  return '直接进入';
}

export function memberRow(m: MemberDoc, rules: LevelRules): MemberRow {
  return {
    openid: m._id,
    nickname: displayName(m),
    avatar: m.avatar,
    phoneMasked: m.phoneMasked,
    joinedAt: iso(m.joinedAt),
    level: levelOf(rules, m.stats).name,
    orders: m.stats.orders,
    spentFen: m.stats.spentFen,
    segments: segmentLabels(m.segments ?? []),
    tags: m.tags ?? [],
    source: sourceLabel(m.attribution),
  };
}
