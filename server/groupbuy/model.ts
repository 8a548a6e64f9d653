/**
 * What group-buys look like in the database.
 *
 * - A campaign lives in the shared `campaigns` collection (kind `group_buy`), so the home page lists
 *   it beside the store's other campaigns; its terms sit next to the fields every campaign has.
 * - A group is one document holding its members. Taking a seat is ONE conditional write on it (see
 *   seats.ts), and the write that takes the last seat also sets state `complete`.
 * - A join document per (group, member) is written before the seat is taken: its unique capKey is
 *   the per-member cap across groups, and it indexes 「我的拼团」.
 * - A group carries a snapshot of the campaign terms it needs, so joining reads one document.
 */
import type { ErrorCode, GroupBuyBenefit, GroupBuyCampaignInput, GroupBuyCampaignStatus, GroupReward, GroupState } from '../../typings';

export const CAMPAIGN_KIND = 'group_buy';
export const DETAIL_PAGE = 'pages/groupbuy/detail/index';

export interface CampaignTexts {
  benefit: string;
  leaderBonus: string | null;
  consolation: string | null;
}

export interface GroupCampaignDoc extends GroupBuyCampaignInput {
  _id: string;
  kind: typeof CAMPAIGN_KIND;
  /** What the home page shows under the title: the benefit line. */
  subtitle: string;
  status: GroupBuyCampaignStatus;
  startsAt: Date;
  endsAt: Date;
  texts: CampaignTexts;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  /** Request ids of the top-ups already applied, so a retried top-up adds nothing twice. */
  appliedTopUps?: string[];
}

/** The campaign terms a group keeps, fixed when it is opened. */
export interface GroupTerms {
  title: string;
  productName: string;
  productImage: string | null;
  benefit: GroupBuyBenefit;
  leaderBonusTemplateId: string | null;
  consolationTemplateId: string | null;
  joinsPerMember: number;
  opensPerMember: number;
  texts: CampaignTexts;
}

export interface GroupMember {
  openid: string;
  nickname: string;
  avatar: string | null;
  seat: number;
  joinedAt: Date;
  /** Accepted the result message on the tap that opened or joined. */
  subscribed: boolean;
}

export interface Award {
  openid: string;
  kind: GroupReward['kind'];
  couponId: string;
  /** The coupon's benefit line, 「满99减20」. */
  text: string;
}

export interface Refusal {
  openid: string;
  kind: GroupReward['kind'];
  code: ErrorCode;
  message: string;
}

export interface GroupDoc {
  _id: string;
  campaignId: string;
  leader: string;
  size: number;
  state: GroupState;
  /** Members so far; the seat-taking write compares it. */
  count: number;
  members: GroupMember[];
  openedAt: Date;
  /** `<openedAt ms, 15 digits>:<_id>`: staff list order and cursor. */
  sortKey: string;
  expiresAt: Date;
  closedAt: Date | null;
  terms: GroupTerms;
  /** False until a closed group's coupons are issued and its members told (the timer repairs it). */
  benefitsIssued: boolean;
  awards: Award[];
  refusals: Refusal[];
  settledAt?: Date;
  updatedAt: Date;
}

export interface JoinDoc {
  /** `<groupId>:<openid>` */
  _id: string;
  campaignId: string;
  groupId: string;
  openid: string;
  role: 'leader' | 'member';
  /** `<campaignId>:<openid>#<k>`, k = 1..joinsPerMember: unique. */
  capKey: string;
  /** `<campaignId>:<openid>#open<m>`, m = 1..opensPerMember, for a leader; `j:<_id>` for a member. Unique. */
  openKey: string;
  /** `<at ms, 15 digits>:<groupId>`: 「我的拼团」 order and cursor. */
  sortKey: string;
  at: Date;
}

export const joinIdOf = (groupId: string, openid: string): string => `${groupId}:${openid}`;
export const capKeyOf = (campaignId: string, openid: string, k: number): string => `${campaignId}:${openid}#${k}`;
export const openKeyOf = (campaignId: string, openid: string, m: number): string => `${campaignId}:${openid}#open${m}`;
export const sortKeyOf = (at: Date, groupId: string): string => `${String(at.getTime()).padStart(15, '0')}:${groupId}`;

export const iso = (d: Date | string): string => new Date(d).toISOString();
export const ms = (d: Date | string): number => new Date(d).getTime();

/** The state a person sees: an open group past its deadline has failed, whether or not it was closed yet. */
export function effectiveState(group: Pick<GroupDoc, 'state' | 'expiresAt'>, now: Date): GroupState {
  return group.state === 'open' && ms(group.expiresAt) <= now.getTime() ? 'failed' : group.state;
}

export const isMemberOf = (group: Pick<GroupDoc, 'members'>, openid: string): boolean => group.members.some((m) => m.openid === openid);

export function headlineOf(state: GroupState, seatsLeft: number): string {
  if (state === 'complete') return '拼团成功';
  if (state === 'failed') return '拼团未成功，已结束';
  return `还差 ${seatsLeft} 人成团`;
}
