/**
 * `admin`, the staff tab's own actions (beside the member and order work in `MemberAdminApi`): what
 * each role may open, finding a member and their page, manual tags, automatic segments with the
 * merchant's rules and their CSV export, the dashboard read from the day counters, and the audit log.
 */
import type { StaffRole } from './staff';
import type { Attribution, BoundOrderView, MemberAdminApi, PointsEntryView } from './member';
import type { ClaimableView, CouponState, CouponTemplateView } from './coupon';
import type { CardBatchView, CardScanView } from './card';
import type { GroupBuyCampaignPage, GroupBuyCampaignView } from './groupbuy';
import type { InviteCampaignView, InviteLanding, RepurchaseRuleView } from './growth';
import type { CommunityEntryView, CommunityOpenResult } from './community';
import type { DataRightsApi, ExportJobView, ProspectApi } from './admin-data';

// ---- the tab and who sees what ------------------------------------------------------------------

/** The areas of the admin tab. The cloud checks every action again; this only decides what is shown. */
export type AdminArea =
  | 'verify'
  | 'members'
  | 'dashboard'
  | 'campaigns'
  | 'cards'
  | 'imports'
  | 'segments'
  | 'prospects'
  | 'team'
  | 'audit'
  /** 社群活码: entries, groups and each staff member's own contact code. */
  | 'community'
  /** 离职继承: a departing staff member's members go to colleagues. */
  | 'handover';

/** What a role may do inside an area it sees. */
export interface AdminAbilities {
  /** Add and remove a member's manual tags (admin and up). */
  editTags: boolean;
  /** Change the segment rules (admin and up). */
  editSegmentRules: boolean;
  /** Export a segment's members as CSV (owner only: a list of customers leaves the system). */
  exportSegments: boolean;
  /** Read the audit log (admin and up). */
  readAudit: boolean;
  /** Create, edit, schedule, pause, resume, end and top up campaigns (admin and up); clerks only look. */
  manageCampaigns: boolean;
  /** Export the 潜力买家 ranking as CSV (owner only, like segments). */
  exportProspects: boolean;
  /** Export everything held about one member, full phone included (owner only). */
  exportMemberData: boolean;
  /** Erase a member on their request (owner only). */
  eraseMember: boolean;
}

export interface AdminHome {
  me: { openid: string; name: string; role: StaffRole };
  /** In the order the tab shows them. */
  areas: AdminArea[];
  abilities: AdminAbilities;
  /** Today's numbers (Shanghai day), from the day counters. */
  today: { day: string; scans: number; signups: number; orders: number; orderFen: number };
}

// ---- members ------------------------------------------------------------------------------------

/**
 * `phone`: the last 4 digits, or all 11; `orderNo`: a platform order number (any platform);
 * `nickname`: the start of the nickname (exact characters, at least 1).
 */
export type MemberSearchBy = 'phone' | 'orderNo' | 'nickname';

export type SegmentKey = 'heavy' | 'buyer' | 'potential' | 'follower';

export interface SegmentLabel {
  key: SegmentKey;
  /** 「重度用户」「购买用户」「潜在用户」「关注用户」 */
  label: string;
}

export interface MemberRow {
  openid: string;
  nickname: string;
  avatar: string | null;
  /** Staff never see the full number. */
  phoneMasked: string;
  joinedAt: string;
  level: string;
  orders: number;
  spentFen: number;
  segments: SegmentLabel[];
  tags: string[];
  /** 「包裹卡 · 淘宝」「邀请」「直接进入」 */
  source: string;
}

export interface MemberSearchResult {
  members: MemberRow[];
  /** A sentence when there is something to say beyond the list (e.g. 「订单已导入，但还没有会员绑定」). */
  note: string | null;
}

export interface TimelineEntry {
  at: string;
  type: string;
  /** 「扫码 包裹卡」「加入会员」「绑定订单」… */
  title: string;
  detail: string | null;
  amountFen: number | null;
}

export interface MemberCouponRow {
  id: string;
  title: string;
  benefit: string;
  state: CouponState;
  claimedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
}

export interface MemberPage {
  member: MemberRow & { points: number; lastOrderAt: string | null; phoneIsDevelopment: boolean; attribution: Attribution };
  /** Where they came from, for people: 「包裹卡 · 淘宝」 and 「明前龙井 250g No.000012」. */
  source: { label: string; detail: string | null };
  /** The staff member who serves them, or null. */
  staff: { openid: string; name: string } | null;
  /** Tags used in the store (for the tag editor's suggestions). */
  knownTags: string[];
  orders: BoundOrderView[];
  coupons: MemberCouponRow[];
  points: { balance: number; recent: PointsEntryView[] };
  timeline: TimelineEntry[];
  /** Pass as `before` to `member.timeline` for older entries; null when there are none. */
  nextBefore: string | null;
}

// ---- segments -----------------------------------------------------------------------------------

/** A window in days; null = any time (不限). */
export type WithinDays = number | null;

/**
 * The merchant's rules. Every member is in exactly one of 购买用户 / 潜在用户 / 关注用户;
 * 重度用户 are the buyers who also meet the heavy thresholds (so they carry both).
 */
export interface SegmentRules {
  /** 重度用户: at least `minOrders` orders and `minSpentFen` spent, the last order within `withinDays`. */
  heavy: { minOrders: number; minSpentFen: number; withinDays: WithinDays };
  /** 购买用户: the same three, usually looser (default: one order, any time). */
  buyer: { minOrders: number; minSpentFen: number; withinDays: WithinDays };
  /** 潜在用户: not a buyer, but joined or did something (scan, claim, group-buy, …) within `withinDays`. */
  potential: { withinDays: number };
  /** 私域有效率: a member is active with an order paid or a coupon redeemed within this many days. */
  activeDays: number;
}

export interface SegmentCount extends SegmentLabel {
  count: number;
  /** One sentence of what the rule says now, e.g. 「近 180 天内下单，累计 ≥3 单且消费 ≥500 元」. */
  rule: string;
}

export interface SegmentsView {
  rules: SegmentRules;
  rulesUpdatedAt: string | null;
  rulesUpdatedBy: string | null;
  /** From the last complete recompute; null counts before the first one. */
  computedAt: string | null;
  members: number;
  counts: SegmentCount[];
  /** Manual tags in use, most used first (at most 50), from the last recompute. */
  tags: { name: string; count: number }[];
  /** A recompute under way (daily, or after the rules changed). */
  recompute: { running: boolean; processed: number; startedAt: string | null; rulesPending: boolean };
}

/** A segment's CSV export: the shared export job (with when its file is deleted) and its segment. */
export interface SegmentExportView extends ExportJobView {
  segment: SegmentKey;
  segmentLabel: string;
}

// ---- dashboard ----------------------------------------------------------------------------------

export type DashboardRange = 'today' | '7d' | '30d';

/** A ratio with what it is made of; `rate` is null when the denominator is 0. */
export interface Ratio {
  num: number;
  den: number;
  rate: number | null;
}

/** Package-card conversion set against the 5%–15% cards usually reach. */
export type Benchmark = 'below' | 'within' | 'above' | null;

export interface ConversionRow {
  key: string;
  /** Batch: 「明前龙井 250g · 淘宝」; channel: 「淘宝」. */
  label: string;
  /** Cards printed (batches the dashboard knows of); null when unknown. */
  cards: number | null;
  scans: number;
  signups: number;
  claims: number;
  /** Sign-ups per scan. */
  joinRate: Ratio;
  /** Sign-ups per card printed: the package-card conversion. */
  conversion: Ratio;
  benchmark: Benchmark;
}

export interface StaffFigures {
  staffId: string;
  name: string;
  signups: number;
  claims: number;
  orders: number;
  orderFen: number;
  redeemed: number;
}

export interface DayPoint {
  day: string;
  scans: number;
  signups: number;
  orders: number;
  orderFen: number;
}

export interface Dashboard {
  range: DashboardRange;
  fromDay: string;
  toDay: string;
  funnel: { scans: number; signups: number; claims: number; redeemed: number; orders: number; orderFen: number };
  benchmark: { low: number; high: number };
  batches: ConversionRow[];
  channels: ConversionRow[];
  coupons: { claimed: number; redeemed: number; redeemedFen: number; redeemRate: Ratio };
  /** Stock figures from the last segment recompute (null before the first). */
  members: {
    computedAt: string | null;
    total: number;
    activeDays: number;
    /** 私域有效率: active members / all members. */
    active: Ratio;
    /** Members with 2+ orders / members with 1+. */
    repurchase: Ratio;
  };
  /** The private-domain triangle (私域三角). */
  triangle: {
    /** 私域产权力: members gained in the period (sign-ups). */
    gained: number;
    /** 单客价值度: order money in the period per member, and lifetime spend per member (fen). */
    valuePerMemberFen: number | null;
    lifetimeValuePerMemberFen: number | null;
    /** 客户推荐率: sign-ups through an invite / all sign-ups. */
    referral: Ratio;
  };
  growth: { inviteOpens: number; invitedSignups: number; invitedOrders: number; groupsOpened: number; groupsCompleted: number; groupsFailed: number; groupSuccess: Ratio };
  staff: StaffFigures[];
  series: DayPoint[];
  /** Documents this answer read (day counters, the unfolded tail's groups, the member snapshot). */
  docsRead: number;
}

// ---- audit --------------------------------------------------------------------------------------

export interface AuditView {
  id: string;
  at: string;
  actor: string;
  /** The staff member's name when known. */
  actorName: string | null;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

// ---- campaigns ----------------------------------------------------------------------------------

/** 包裹卡 / 优惠券 / 复购规则 / 拼团 / 邀请有礼 / 社群入口: every kind of campaign the tab runs. */
export type CampaignType = 'coupon' | 'card' | 'repurchase' | 'groupbuy' | 'invite' | 'community';

/**
 * One status for every kind: `scheduled` before its start (customers cannot use it yet), `active`,
 * `paused` (customers are told it is paused), `ended` (ended by staff or past its end; final).
 */
export type CampaignStatus = 'scheduled' | 'active' | 'paused' | 'ended';

export type CampaignCommand = 'pause' | 'resume' | 'end';

/** What the caller may do to a campaign now (its state and their role together). */
export interface CampaignAbilities {
  edit: boolean;
  pause: boolean;
  resume: boolean;
  end: boolean;
  /** Only kinds with stock (coupon templates with limited stock, group-buys with a cap on groups). */
  topUp: boolean;
}

export interface CampaignRow {
  type: CampaignType;
  /** 「优惠券」「包裹卡」「复购规则」「拼团」「邀请有礼」「社群入口」 */
  typeLabel: string;
  id: string;
  title: string;
  /** One line under the title: the benefit, the trigger, the channel… */
  subtitle: string;
  status: CampaignStatus;
  /** 「未开始」「进行中」「已暂停」「已结束」 */
  statusLabel: string;
  /** ISO instants of the window; null = from creation / open-ended. */
  startsAt: string | null;
  endsAt: string | null;
  /** 「2025-03-01 00:00 起 · 2025-03-31 止」, or 「长期有效」. */
  scheduleText: string;
  /** Key figures: 「已领 12」「剩余 88」「已开团 3」… */
  figures: { label: string; value: string }[];
  can: CampaignAbilities;
  createdAt: string;
}

/** The campaign as its own kind describes it, for the edit form. */
export type CampaignDetail =
  | { type: 'coupon'; coupon: CouponTemplateView }
  | { type: 'card'; card: CardBatchView }
  | { type: 'repurchase'; rule: RepurchaseRuleView }
  | { type: 'groupbuy'; groupbuy: GroupBuyCampaignView }
  | { type: 'invite'; invite: InviteCampaignView }
  | { type: 'community'; entry: CommunityEntryView };

/** Exactly what a customer's page would show now, computed without writing anything. */
export type CampaignPreviewBody =
  /** The claim page (as the staff member themselves would see it as a customer). */
  | { type: 'coupon'; claimable: ClaimableView }
  /** The landing page of the batch's first card, as a customer who scans it first. */
  | { type: 'card'; scan: CardScanView }
  /** A member with no groups yet opening the campaign page. */
  | { type: 'groupbuy'; page: GroupBuyCampaignPage }
  /** A friend opening a member's invite link. */
  | { type: 'invite'; landing: InviteLanding }
  /** A customer opening the entry for the first time (no seat is taken). */
  | { type: 'community'; open: CommunityOpenResult }
  /** The coupon a member the rule reaches gets, and the reminder line. */
  | { type: 'repurchase'; coupon: { title: string; benefit: string; rules: string }; reminder: string | null; when: string };

export type CampaignPreview = CampaignPreviewBody & {
  /** One sentence on what this preview stands for, e.g. 「按一位已入会、尚未参团的顾客预览」. */
  note: string;
};

export interface CampaignRef {
  type: CampaignType;
  id: string;
}

export interface CampaignAdminApi {
  /** Every campaign, newest first, 20 a page; `cursor` is the last row's `createdAt`. */
  'campaign.list': {
    req: { type?: CampaignType; status?: CampaignStatus; cursor?: string };
    res: { campaigns: CampaignRow[]; nextCursor: string | null };
  };
  'campaign.get': { req: CampaignRef; res: { row: CampaignRow; detail: CampaignDetail } };
  /** Pause, resume or end (audited by the kind's own module). `reason` is kept with an end. */
  'campaign.setStatus': { req: CampaignRef & { command: CampaignCommand; reason?: string }; res: CampaignRow };
  /** Adds stock to a coupon template or group-buy slots; a retry with the same request id adds nothing. */
  'campaign.topUp': { req: CampaignRef & { quantity: number }; res: CampaignRow };
  'campaign.preview': { req: CampaignRef; res: CampaignPreview };
}

export interface AdminTabApi {
  /** Any staff member: who I am here, what I may open, today's numbers. */
  'admin.home': { req: Record<string, never>; res: AdminHome };
  'member.find': { req: { by: MemberSearchBy; q: string }; res: MemberSearchResult };
  'member.page': { req: { openid: string }; res: MemberPage };
  /** Older timeline entries, newest first. */
  'member.timeline': { req: { openid: string; before: string }; res: { timeline: TimelineEntry[]; nextBefore: string | null } };
  /** Replaces the member's manual tags (at most 10, 1–12 characters each). */
  'member.tags.set': { req: { openid: string; tags: string[] }; res: { tags: string[] } };
  'segment.overview': { req: Record<string, never>; res: SegmentsView };
  /** Saves the rules (audited); the timer recomputes every member with them. */
  'segment.rules.set': { req: SegmentRules; res: SegmentsView };
  /** Starts a CSV export of one segment and runs its first step. */
  'segment.export.start': { req: { segment: SegmentKey }; res: SegmentExportView };
  /** Runs the next step; call until `status` is not `running` (the timer also continues it). */
  'segment.export.continue': { req: { exportId: string }; res: SegmentExportView };
  'segment.export.get': { req: { exportId: string }; res: SegmentExportView };
  'dashboard.get': { req: { range: DashboardRange }; res: Dashboard };
  /** Newest first, 20 at a time; `before` is the last entry's `at`. */
  'audit.list': { req: { before?: string; target?: string }; res: { entries: AuditView[]; nextBefore: string | null } };
  /**
   * Stores an order CSV sent as base64 (at most 2 MB) and answers its file id, for the local
   * backend, which has no cloud storage for `wx.cloud.uploadFile`.
   */
  'import.file.put': { req: { name: string; base64: string }; res: { fileId: string } };
}

/** Everything the `admin` function answers. */
export type AdminApi = MemberAdminApi & AdminTabApi & ProspectApi & DataRightsApi & CampaignAdminApi;
