/**
 * `groupbuy`: group-buys (拼团). Staff set up campaigns; a member opens a group (becoming its
 * leader, seat 1) and shares it; friends open the shared page and join. A group that fills within
 * its time limit completes and every member gets the benefit; one that runs out of time fails.
 *
 * Sharing: `onShareAppMessage` returns `{ path: group.sharePath }`, i.e.
 * `/pages/groupbuy/detail/index?token=<token>`; the detail page calls `groupbuy.detail` with that
 * token. Tokens are signed: a changed or made-up token reads as NOT_FOUND.
 */
import type { ErrorCode } from '../result';

/** What a completed group gives each of its members. */
export type GroupBuyBenefit =
  /** A price per member, in fen, shown now and honoured at checkout (the completed group is the entitlement). */
  | { type: 'group_price'; groupPriceFen: number }
  /** A coupon template issued to every member of a completed group. */
  | { type: 'coupon'; templateId: string };

export interface GroupBuyProduct {
  /** 「明前龙井 250g」 */
  name: string;
  /** A cloud file id or https URL; null for none. */
  image: string | null;
  /** The usual price in fen, shown struck through; null when there is none to show. */
  originalPriceFen: number | null;
}

export interface GroupBuyCampaignInput {
  /** 「明前龙井 3 人团」 */
  title: string;
  /** Rules shown to customers, in Chinese. */
  rules: string;
  product: GroupBuyProduct;
  /** People per group, the leader included: 2–50. */
  groupSize: number;
  /** A group fails when it has not filled this many hours after it was opened: 1–168. */
  timeLimitHours: number;
  benefit: GroupBuyBenefit;
  /** Extra coupon for the leader of a completed group; null for none. */
  leaderBonusTemplateId: string | null;
  /** Coupon for every member of a failed group; null for none. */
  consolationTemplateId: string | null;
  /** Most groups that may be opened in this campaign; null for no cap. */
  maxGroups: number | null;
  /** How many groups of this campaign one member may be in (opening one counts): 1–20. */
  joinsPerMember: number;
  /** How many of those one member may open as leader: 1 to joinsPerMember. */
  opensPerMember: number;
  /** Calendar dates in Asia/Shanghai, inclusive: groups can be opened from 00:00 of startDate to 23:59:59 of endDate. */
  startDate: string;
  endDate: string;
}

/**
 * What can change after launch: words, the product's picture, the time limit of groups opened from
 * now on, and the dates (the start only before it). Benefit, size and limits stay; the cap grows
 * with `groupbuy.campaign.topUp`.
 */
export interface GroupBuyCampaignUpdate {
  campaignId: string;
  title?: string;
  rules?: string;
  product?: GroupBuyProduct;
  timeLimitHours?: number;
  startDate?: string;
  endDate?: string;
}

export type GroupBuyCampaignStatus = 'active' | 'paused' | 'ended';

/** What customers see of a campaign. */
export interface GroupBuyCampaignSummary {
  id: string;
  title: string;
  rules: string;
  product: GroupBuyProduct;
  groupSize: number;
  timeLimitHours: number;
  benefit: GroupBuyBenefit;
  /** One line for people: 「3人团·拼团价¥39.9」 or 「3人团·每人满99减20」. */
  benefitText: string;
  /** 「团长额外得满50减10」, or null. */
  leaderBonusText: string | null;
  /** 「未成团也送无门槛5元」, or null. */
  consolationText: string | null;
  status: GroupBuyCampaignStatus;
  /** ISO instants of the campaign window (start of startDate, end of endDate, Shanghai). */
  startsAt: string;
  endsAt: string;
}

export interface GroupBuyCampaignView extends GroupBuyCampaignInput {
  id: string;
  status: GroupBuyCampaignStatus;
  benefitText: string;
  leaderBonusText: string | null;
  consolationText: string | null;
  startsAt: string;
  endsAt: string;
  /** Groups by state, as stored (an expired group counts as open until it is closed, within a minute). */
  groups: { open: number; complete: number; failed: number };
  createdAt: string;
}

/** Whether the caller can do something now, and why not (a Chinese sentence and a code). */
export interface Eligibility {
  can: boolean;
  reason: string | null;
  /**
   * FORBIDDEN: not a store member yet (send them to join, then back); EXPIRED: over; SOLD_OUT: full;
   * LIMIT_REACHED: the per-member cap; CONFLICT: paused, not started, or (joining) already in the group.
   */
  reasonCode: ErrorCode | null;
}

export interface GroupBuyCampaignPage {
  campaign: GroupBuyCampaignSummary;
  /** Whether the caller may open a group now; SOLD_OUT (the campaign's cap on groups) shows only on `groupbuy.open`. */
  open: Eligibility;
  /** The caller's groups of this campaign that are still open, newest first. */
  myOpenGroups: GroupSummary[];
  /** WeChat subscribe-message template of the group result, for `wx.requestSubscribeMessage`; null = don't ask. */
  resultTemplateId: string | null;
}

/** open → complete (filled in time) or failed (time ran out). */
export type GroupState = 'open' | 'complete' | 'failed';

export interface GroupMemberView {
  /** 1 = the leader. */
  seat: number;
  nickname: string;
  avatar: string | null;
  isLeader: boolean;
  isMe: boolean;
  joinedAt: string;
}

/** A coupon a group gave the viewer. */
export interface GroupReward {
  kind: 'benefit' | 'leader_bonus' | 'consolation';
  couponId: string;
  /** 「满99减20」 */
  text: string;
}

export interface GroupView {
  token: string;
  /** For onShareAppMessage: `/pages/groupbuy/detail/index?token=<token>`. */
  sharePath: string;
  campaign: GroupBuyCampaignSummary;
  state: GroupState;
  /** In seat order. */
  members: GroupMemberView[];
  groupSize: number;
  seatsLeft: number;
  /** For people: 「还差 1 人成团」, 「拼团成功」, 「拼团未成功，已结束」. */
  headline: string;
  openedAt: string;
  /** The deadline: the countdown runs to it; at that instant the group fails if not full. */
  expiresAt: string;
  /** When it completed or failed; null while open. */
  closedAt: string | null;
  /** The server's clock when answering, so the countdown does not depend on the phone's clock. */
  serverTime: string;
  viewer: {
    joined: boolean;
    isLeader: boolean;
    /** The caller is a store member (joining needs membership). */
    isMember: boolean;
    join: Eligibility;
    /** Coupons this group gave the caller (after it completed or failed); empty otherwise. */
    rewards: GroupReward[];
    /** The group price the caller may buy at, when the group completed with a group price; else null. */
    groupPriceFen: number | null;
  };
  resultTemplateId: string | null;
}

/** A line of 「我的拼团」. */
export interface GroupSummary {
  token: string;
  sharePath: string;
  campaignId: string;
  title: string;
  productName: string;
  productImage: string | null;
  benefitText: string;
  state: GroupState;
  groupSize: number;
  memberCount: number;
  seatsLeft: number;
  headline: string;
  isLeader: boolean;
  joinedAt: string;
  expiresAt: string;
  closedAt: string | null;
}

/** What staff see of a group. */
export interface AdminGroupView {
  groupId: string;
  token: string;
  state: GroupState;
  groupSize: number;
  members: { seat: number; openid: string; nickname: string; joinedAt: string }[];
  openedAt: string;
  expiresAt: string;
  closedAt: string | null;
  /** False until the benefits (or consolation coupons) of a closed group are issued and members told. */
  benefitsIssued: boolean;
  /** Coupons that could not be issued (sold out, template paused, ...), with the reason. */
  refusals: { openid: string; kind: GroupReward['kind']; code: ErrorCode; message: string }[];
}

export interface GroupBuyApi {
  // Customers
  'groupbuy.campaign.get': { req: { campaignId: string }; res: GroupBuyCampaignPage };
  /**
   * Opens a group as its leader. `subscribed`: the caller accepted the result message
   * (`wx.requestSubscribeMessage` with `resultTemplateId`) on the tap.
   */
  'groupbuy.open': { req: { campaignId: string; subscribed?: boolean }; res: { group: GroupView; alreadyOpened: boolean } };
  /** Any caller, member or not; reading an expired open group closes it. */
  'groupbuy.detail': { req: { token: string }; res: GroupView };
  /** `alreadyJoined`: the caller was in the group already (a retry or a double tap); nothing changed. */
  'groupbuy.join': { req: { token: string; subscribed?: boolean }; res: { group: GroupView; alreadyJoined: boolean } };
  /** 「我的拼团」: groups the caller leads or joined, newest first, 20 a page. */
  'groupbuy.mine': { req: { cursor?: string }; res: { groups: GroupSummary[]; nextCursor: string | null } };
  // Staff (admin and owner)
  'groupbuy.campaign.create': { req: GroupBuyCampaignInput; res: GroupBuyCampaignView };
  'groupbuy.campaign.list': { req: { status?: GroupBuyCampaignStatus }; res: { campaigns: GroupBuyCampaignView[] } };
  /** Pausing or ending stops new groups; groups already open run to their own deadline. Ended is final. */
  'groupbuy.campaign.setStatus': { req: { campaignId: string; status: GroupBuyCampaignStatus }; res: GroupBuyCampaignView };
  'groupbuy.campaign.update': { req: GroupBuyCampaignUpdate; res: GroupBuyCampaignView };
  /** Raises the cap on groups (`maxGroups`) by `quantity`; a retry with the same request id adds nothing. */
  'groupbuy.campaign.topUp': { req: { campaignId: string; quantity: number }; res: GroupBuyCampaignView };
  'groupbuy.group.list': {
    req: { campaignId: string; state?: GroupState; cursor?: string };
    res: { groups: AdminGroupView[]; nextCursor: string | null };
  };
}
