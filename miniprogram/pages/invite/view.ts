/** What the invite page renders, mapped from the contract's InviteLink and MyInvites. */
import type { InviteCampaignSummary, InviteRewardStatus, MyInvitee, MyInvites } from '../../../typings';
import { shanghaiDate } from '../../components/coupon-card/text';

export const INVITE_PAGE = '/pages/invite/index';

export interface InviteCampaignView {
  title: string;
  rules: string;
  rewards: string[];
  until: string;
}

export function toInviteCampaignView(c: InviteCampaignSummary | null): InviteCampaignView | null {
  if (!c) return null;
  const rewards: string[] = [];
  if (c.signupReward) rewards.push(`好友加入会员，你得 ${c.signupReward}`);
  if (c.orderReward) rewards.push(`好友首次下单，你再得 ${c.orderReward}`);
  return { title: c.title, rules: c.rules, rewards, until: `活动截止 ${c.endDate}` };
}

const REWARD_TEXT: Record<InviteRewardStatus, string> = {
  pending: '待发放',
  issued: '已发放',
  capped: '已达上限',
  not_eligible: '不符合条件',
  none: '',
};

export interface InviteeView {
  key: string;
  nickname: string;
  avatar: string;
  initial: string;
  joinedAt: string;
  rewards: string;
}

function toInviteeView(i: MyInvitee, index: number): InviteeView {
  const nickname = i.nickname || '微信用户';
  const rewards = [
    REWARD_TEXT[i.signup] && `入会奖励${REWARD_TEXT[i.signup]}`,
    REWARD_TEXT[i.order] && `下单奖励${REWARD_TEXT[i.order]}`,
  ].filter(Boolean);
  return {
    key: `${i.joinedAt}-${index}`,
    nickname,
    avatar: i.avatar ?? '',
    initial: nickname.slice(0, 1),
    joinedAt: `${shanghaiDate(i.joinedAt)} 加入`,
    rewards: rewards.join(' · '),
  };
}

export interface MyInvitesView {
  stats: string;
  invitees: InviteeView[];
  leaderboard: { rank: number; nickname: string; invited: string; isMe: boolean }[];
  myRank: string;
}

export function toMyInvitesView(mine: MyInvites, offset = 0): MyInvitesView {
  const { stats, leaderboard } = mine;
  return {
    stats: `已邀请 ${stats.invited} 人 · 获得入会奖励 ${stats.signupRewards} 次 · 下单奖励 ${stats.orderRewards} 次`,
    invitees: mine.invitees.map((i, n) => toInviteeView(i, offset + n)),
    leaderboard: leaderboard.entries.map((e) => ({ rank: e.rank, nickname: e.isMe ? `${e.nickname}（我）` : e.nickname, invited: `${e.invited} 人`, isMe: e.isMe })),
    myRank: leaderboard.myRank === null ? '' : `我的排名：第 ${leaderboard.myRank} 名`,
  };
}

export function moreInvitees(mine: MyInvites, offset: number): InviteeView[] {
  return mine.invitees.map((i, n) => toInviteeView(i, offset + n));
}
