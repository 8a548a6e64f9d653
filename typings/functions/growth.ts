/**
 * `growth`: repurchase incentives (复购激励: rules the store sets, a daily run that issues their
 * coupons and reminders) and invites (邀请有礼: a link and a poster per member, first-inviter
 * credit, rewards within caps, 「我的邀请」 with a leaderboard).
 */

// ---- repurchase: rules ----------------------------------------------------------------------

/** When a rule reaches a member. Days are Asia/Shanghai calendar days. */
export type RepurchaseTrigger =
  /**
   * `days` days after a bound order was paid (「茶叶喝完了」): an order paid on 3月1日 23:30 is due on
   * 3月1日 + days. With keywords, only orders whose product name contains one of them (any case).
   * Members who bound a later order since are left alone. One coupon per member per paid day.
   */
  | { kind: 'after_order'; days: number; productKeywords: string[] }
  /** The birth month: from the first run of the month on, once a year. */
  | { kind: 'birthday_month' }
  /**
   * `daysBefore` days before the birthday (0 = on the day), once a year. A 2月29日 birthday is
   * celebrated on 2月28日 in years without a leap day.
   */
  | { kind: 'birthday_day'; daysBefore: number }
  /** Win-back: exactly `days` days after a member's last bound order, once per quiet spell. */
  | { kind: 'win_back'; days: number }
  /** A new product's trial for the members of a segment (e.g. `buyer`), once per member. */
  | { kind: 'new_product_trial'; segment: string; product: string };

export type RepurchaseTriggerKind = RepurchaseTrigger['kind'];

export interface RepurchaseRuleInput {
  /** For staff, e.g. 「龙井 30 天回购」. */
  name: string;
  trigger: RepurchaseTrigger;
  /** The coupon template issued (through the one issuing path, source `repurchase`). */
  templateId: string;
  /**
   * The reminder's 温馨提示 line (≤ 20 characters), e.g. 「茶快喝完了吧？送您一张回购券」; sent only to
   * members who accepted the repurchase reminder. null: no reminder.
   */
  reminder: string | null;
  /** ISO instant before which the daily run skips the rule even when it is on; null or left out: none. */
  startsAt?: string | null;
  /** ISO instant after which the rule reaches nobody (it reads as ended); null or left out: none. */
  endsAt?: string | null;
}

/** New rules start paused: preview first, then switch on. Ended is final. */
export type RepurchaseRuleStatus = 'active' | 'paused' | 'ended';

export interface RepurchaseRuleView extends RepurchaseRuleInput {
  id: string;
  startsAt: string | null;
  endsAt: string | null;
  status: RepurchaseRuleStatus;
  /** The coupon's title, for the list. */
  templateTitle: string;
  /** Since when the rule is on (ISO); null while paused. Days before it are never caught up. */
  activeSince: string | null;
  /** A sentence for staff: 「订单付款后第 30 天（商品含：龙井）」. */
  summary: string;
  createdAt: string;
  updatedAt: string;
}

/** What can change on a rule; the trigger's kind and the coupon stay (make a new rule instead). */
export interface RepurchaseRuleUpdate {
  ruleId: string;
  name?: string;
  trigger?: RepurchaseTrigger;
  reminder?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
}

// ---- repurchase: preview and runs -----------------------------------------------------------

export interface RepurchasePreview {
  /** Members the next daily run would reach (before per-member limits and stock). */
  reach: number;
  /** Date-driven rules: the next 7 days (today first), members due each day. Empty otherwise. */
  upcoming: { day: string; members: number }[];
  /** Billable reads the preview made: count queries, plus pages of orders for after_order. */
  reads: number;
  /** True when the preview stopped paging early: `reach` and `upcoming` are lower bounds. */
  capped: boolean;
  /** One sentence for staff, e.g. 「今天约 120 位会员会收到券」. */
  note: string;
}

/** Why a member a rule reached got no coupon in a run. */
export type RepurchaseSkipReason =
  /** Already had this rule's coupon for this period (an earlier run). */
  | 'already'
  /** Bound a later order since the one that was due (after_order). */
  | 'ordered_again'
  /** No longer a member (deleted, or being deleted). */
  | 'not_member'
  | 'sold_out'
  | 'limit_reached'
  /** Outside the coupon's audience. */
  | 'not_eligible'
  /** The coupon is paused, ended or past its window. */
  | 'template_unavailable'
  /** Refused for another reason (contention); the next period tries again. */
  | 'failed';

export interface RepurchaseCounts {
  /** Member × rule × period combinations looked at. */
  evaluated: number;
  issued: number;
  /** Reminders queued (subscribe messages). */
  reminded: number;
  skipped: Partial<Record<RepurchaseSkipReason, number>>;
}

export interface RepurchaseRunView extends RepurchaseCounts {
  /** The Shanghai day it ran for, YYYY-MM-DD. */
  day: string;
  status: 'running' | 'done';
  startedAt: string;
  finishedAt: string | null;
  /** Timer invocations that worked on it. */
  invocations: number;
  /** Orders or members still to look at when the last invocation stopped; 0 when done. */
  remaining: number;
  rules: ({ ruleId: string; name: string } & RepurchaseCounts)[];
}

// ---- invites --------------------------------------------------------------------------------

export interface InviteCampaignInput {
  /** 「邀好友 得好礼」 (≤ 20). */
  title: string;
  /** Usage rules shown on the invite page (≤ 300). */
  rules: string;
  /** The short line printed on the poster (≤ 16), e.g. 「好茶一起喝」. */
  posterLine: string;
  /** The inviter's coupon when an invitee signs up; null: none. */
  signupRewardTemplateId: string | null;
  /** The inviter's coupon on the invitee's first bound order; null: none. */
  orderRewardTemplateId: string | null;
  /** Sign-up rewards one inviter may earn per Shanghai day (e.g. 5). */
  signupDailyCap: number;
  /** First-order rewards one inviter may earn per Shanghai day. */
  orderDailyCap: number;
  /** All rewards of the campaign together (sign-up + first order); null: no cap. */
  totalRewardCap: number | null;
  /** Shanghai dates, inclusive. */
  startDate: string;
  endDate: string;
}

/**
 * What can change after launch: words, caps and dates (the start only before it). The reward
 * coupons stay: members were promised them.
 */
export interface InviteCampaignUpdate {
  campaignId: string;
  title?: string;
  rules?: string;
  posterLine?: string;
  signupDailyCap?: number;
  orderDailyCap?: number;
  totalRewardCap?: number | null;
  startDate?: string;
  endDate?: string;
}

export type InviteCampaignStatus = 'active' | 'paused' | 'ended';

export interface InviteCampaignView extends InviteCampaignInput {
  id: string;
  status: InviteCampaignStatus;
  /** Rewards issued so far (sign-up + first order). */
  rewardsIssued: number;
  invitees: number;
  createdAt: string;
}

/** What customers see of the current campaign. */
export interface InviteCampaignSummary {
  id: string;
  title: string;
  rules: string;
  posterLine: string;
  signupReward: string | null;
  orderReward: string | null;
  endDate: string;
}

export interface InviteLink {
  /**
   * Signed, 30 base62 characters starting `iv` (card scenes are 32): the same token works in the
   * share path and as the poster code's scene.
   */
  token: string;
  /** For `onShareAppMessage`: `/pages/entry/index?invite=<token>`. */
  sharePath: string;
  shareTitle: string;
  /** Null when no campaign runs: invites still credit the inviter, but earn nothing. */
  campaign: InviteCampaignSummary | null;
}

export interface InvitePoster {
  /** Stored PNG (cloud file id); `url` is a temporary link to it (about an hour). */
  fileId: string;
  url: string;
  width: number;
  height: number;
  /** The code on it came from the local stand-in (a plain QR code), not from WeChat. */
  standIn: boolean;
}

/** What the landing page of an invite shows. */
export type InviteOpenStatus =
  /** A friend's valid invite; joining credits them. */
  | 'ok'
  /** The caller's own link. */
  | 'self'
  /** The caller is a member already: nobody is credited. */
  | 'member'
  /** Not a link of this store (forged or damaged). */
  | 'invalid';

export interface InviteLanding {
  status: InviteOpenStatus;
  /** Masked: 「小*」. */
  inviter: { nickname: string; avatar: string | null } | null;
  campaign: InviteCampaignSummary | null;
}

/** What `member.join` did with an invite token (present only when one was sent). */
export type InviteJoinStatus =
  /** The inviter is credited (first touch). */
  | 'credited'
  /** Already a member: nobody is credited. */
  | 'already_member'
  /** The caller's own link. */
  | 'self'
  /** The card they scanned is their first touch; the invite is not used. */
  | 'card_first'
  | 'invalid';

/** Where one reward of an invitee stands. */
export type InviteRewardStatus =
  /** Not there yet (no first order), or waiting for the next timer run (a few minutes). */
  | 'pending'
  | 'issued'
  /** Over the daily or campaign cap. */
  | 'capped'
  /** Not rewardable: a loop, an account seen before, the campaign not running. */
  | 'not_eligible'
  /** The campaign gives no such reward, or the coupon could not be issued. */
  | 'none';

export interface MyInvitee {
  nickname: string;
  avatar: string | null;
  joinedAt: string;
  signup: InviteRewardStatus;
  order: InviteRewardStatus;
}

export interface LeaderboardEntry {
  rank: number;
  /** Masked. */
  nickname: string;
  invited: number;
  isMe: boolean;
}

export interface MyInvites {
  campaign: InviteCampaignSummary | null;
  stats: { invited: number; signupRewards: number; orderRewards: number };
  /** Newest first, 20 a page. */
  invitees: MyInvitee[];
  nextCursor: string | null;
  /** The current campaign's top 20, refreshed by the timer; empty without a campaign. */
  leaderboard: { entries: LeaderboardEntry[]; updatedAt: string | null; myRank: number | null };
}

export interface GrowthApi {
  // Customers
  /** Whether the repurchase reminder can be asked for (`templateId` for wx.requestSubscribeMessage) and the credits left. */
  'repurchase.subscription': { req: Record<string, never>; res: { templateId: string | null; credits: number } };
  /** Records the answer to wx.requestSubscribeMessage: each acceptance pays for one reminder. */
  'repurchase.subscribe': { req: { accepted: boolean }; res: { credits: number } };
  /** The caller's invite link (members only). */
  'invite.link': { req: Record<string, never>; res: InviteLink };
  /** The caller's poster: the mini program code and a line of text, as a PNG. */
  'invite.poster': { req: Record<string, never>; res: InvitePoster };
  /** The landing page of an invite: who invites, and whether joining would credit them. */
  'invite.open': { req: { token: string }; res: InviteLanding };
  'invite.mine': { req: { cursor?: string }; res: MyInvites };
  // Staff (admin and owner)
  'repurchase.rule.create': { req: RepurchaseRuleInput; res: RepurchaseRuleView };
  'repurchase.rule.list': { req: Record<string, never>; res: { rules: RepurchaseRuleView[] } };
  'repurchase.rule.update': { req: RepurchaseRuleUpdate; res: RepurchaseRuleView };
  'repurchase.rule.setStatus': { req: { ruleId: string; status: RepurchaseRuleStatus }; res: RepurchaseRuleView };
  /** A saved rule (`ruleId`) or a draft (`rule`), exactly one of them. */
  'repurchase.rule.preview': { req: { ruleId?: string; rule?: RepurchaseRuleInput }; res: RepurchasePreview };
  /** The last 14 daily runs, newest first. */
  'repurchase.run.list': { req: Record<string, never>; res: { runs: RepurchaseRunView[] } };
  'invite.campaign.create': { req: InviteCampaignInput; res: InviteCampaignView };
  'invite.campaign.list': { req: Record<string, never>; res: { campaigns: InviteCampaignView[] } };
  'invite.campaign.update': { req: InviteCampaignUpdate; res: InviteCampaignView };
  /** One campaign runs at a time: activating one while another is active is refused. */
  'invite.campaign.setStatus': { req: { campaignId: string; status: InviteCampaignStatus }; res: InviteCampaignView };
}
