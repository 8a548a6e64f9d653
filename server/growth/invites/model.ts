/** Invite campaigns, codes, invites and leaderboards as stored, and how people read them. */
import type {
  InviteCampaignInput,
  InviteCampaignStatus,
  InviteCampaignSummary,
  InviteCampaignView,
  InviteRewardStatus,
} from '../../../typings';
import { iso } from '../../members/model';

export interface CampaignDoc extends InviteCampaignInput {
  _id: string;
  status: InviteCampaignStatus;
  /** The reward coupons' titles when the campaign was made (shown to customers). */
  signupRewardTitle: string | null;
  orderRewardTitle: string | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
}

export interface CodeDoc {
  /** The invite code. */
  _id: string;
  openid: string;
  createdAt: Date;
  /** The last poster drawn, and what it was drawn from (`key`). */
  poster?: { key: string; fileId: string; at: Date };
}

/** Why an invite earns nothing. */
export type Refusal = 'self' | 'loop' | 'phone_seen' | 'invitee_gone' | 'inviter_gone';

export type RewardState = 'pending' | 'reserved' | 'issued' | 'capped' | 'refused' | 'failed' | 'none';

export interface RewardDoc {
  state: RewardState;
  /** The Shanghai day it counts on for the daily cap (the sign-up's or the order's). */
  day: string;
  /** capped: daily | campaign; refused: a Refusal or campaign_inactive; failed: the issuing refusal code. */
  reason: string | null;
  couponId: string | null;
  /** The order that made it (order rewards). */
  ref: string | null;
  at: Date;
}

export interface InviteDoc {
  /** The invitee's openid. */
  _id: string;
  /** The FIRST inviter: written once, never changed. */
  inviter: string;
  /** Null: invited while no campaign ran (credited, never rewarded). */
  campaign: string | null;
  joinedAt: Date;
  refusal: Refusal | null;
  signup: RewardDoc;
  /** Null until the invitee's first bound order. */
  order: RewardDoc | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface BoardDoc {
  /** The campaign id. */
  _id: string;
  /** Top inviters by invitees who count (no refusal); openids stay on the server. */
  entries: { openid: string; nickname: string; invited: number }[];
  invitees: number;
  rewardsIssued: number;
  updatedAt: Date;
}

/** Whether the campaign gives rewards for something that happened on `day`. */
export const runsOn = (c: CampaignDoc, day: string): boolean => c.status === 'active' && day >= c.startDate && day <= c.endDate;

export function summaryOf(c: CampaignDoc): InviteCampaignSummary {
  return {
    id: c._id,
    title: c.title,
    rules: c.rules,
    posterLine: c.posterLine,
    signupReward: c.signupRewardTitle,
    orderReward: c.orderRewardTitle,
    endDate: c.endDate,
  };
}

export function toCampaignView(c: CampaignDoc, board: BoardDoc | null): InviteCampaignView {
  return {
    id: c._id,
    title: c.title,
    rules: c.rules,
    posterLine: c.posterLine,
    signupRewardTemplateId: c.signupRewardTemplateId,
    orderRewardTemplateId: c.orderRewardTemplateId,
    signupDailyCap: c.signupDailyCap,
    orderDailyCap: c.orderDailyCap,
    totalRewardCap: c.totalRewardCap,
    startDate: c.startDate,
    endDate: c.endDate,
    status: c.status,
    rewardsIssued: board?.rewardsIssued ?? 0,
    invitees: board?.invitees ?? 0,
    createdAt: iso(c.createdAt),
  };
}

/** How a reward reads in 「我的邀请」. */
export function rewardStatus(reward: RewardDoc | null | undefined): InviteRewardStatus {
  switch (reward?.state) {
    case undefined:
    case 'pending':
    case 'reserved':
      return 'pending';
    case 'issued':
      return 'issued';
    case 'capped':
      return 'capped';
    case 'refused':
      return 'not_eligible';
    default:
      return 'none';
  }
}
