/**
 * A friend's invite on the landing page: `?invite=<token>` from a shared chat card, or the poster's
 * code whose scene is the token itself (30 characters starting `iv`; card scenes are 32).
 */
import type { InviteLanding } from '../../../typings';
import { queryParam } from '../../utils/format';

const INVITE_SCENE = /^iv[0-9A-Za-z]{28}$/;

/** The invite token this landing was opened with; '' when it is a card (or nothing). */
export function inviteFromQuery(query: Record<string, string | undefined> | undefined, scene: string): string {
  const shared = queryParam(query, 'invite');
  if (shared) return shared;
  return INVITE_SCENE.test(scene) ? scene : '';
}

/** What the landing shows for an invite; `action` is the one button. */
export interface InviteLandingView {
  headline: string;
  note: string;
  inviter: string;
  avatar: string;
  campaignTitle: string;
  action: 'join' | 'card' | 'invite';
  actionText: string;
}

export function toInviteLandingView(landing: InviteLanding, isMember: boolean): InviteLandingView {
  const inviter = landing.inviter?.nickname ?? '';
  const campaignTitle = landing.campaign?.title ?? '';
  if (landing.status === 'self') {
    return { headline: '这是你自己的邀请', note: '把它分享给好友，好友加入会员后会记在你的名下。', inviter, avatar: landing.inviter?.avatar ?? '', campaignTitle, action: 'invite', actionText: '去邀请好友' };
  }
  if (isMember || landing.status === 'member') {
    return { headline: '你已是本店会员', note: '你的积分和优惠都在会员卡里。', inviter, avatar: landing.inviter?.avatar ?? '', campaignTitle, action: 'card', actionText: '查看会员卡' };
  }
  if (landing.status === 'invalid') {
    return { headline: '没能识别这个邀请', note: '链接可能已损坏。你仍然可以加入会员，第一时间收到店铺的新品和福利。', inviter: '', avatar: '', campaignTitle: '', action: 'join', actionText: '加入会员' };
  }
  return {
    headline: inviter ? `${inviter} 邀请你加入会员` : '好友邀请你加入会员',
    note: '加入会员可以累积积分、升级等级，享受会员专属优惠。',
    inviter,
    avatar: landing.inviter?.avatar ?? '',
    campaignTitle,
    action: 'join',
    actionText: '加入会员',
  };
}
