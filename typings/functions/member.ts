/**
 * `member`: the customer's membership (join in one tap, the member card, order binding, profile,
 * export and deletion). `admin`: staff work on members and orders (search, levels, CSV import of
 * platform orders) and the day counters of the funnel.
 */
import type { CardSummary } from './card';
import type { CouponView } from './coupon';
import type { InviteJoinStatus } from './growth';

/** Where orders come from; card batches use the same channels plus offline. */
export type OrderPlatform = 'taobao' | 'jd' | 'pdd' | 'douyin' | 'other';

// ---- members ------------------------------------------------------------------------------------

/** The member privacy notice (会员隐私保护指引) the customer accepts before joining. */
export interface PrivacyNotice {
  /** Sent back in `member.join` as `privacyVersion`. */
  version: string;
  title: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  effectiveDate: string;
  sections: { heading: string; body: string }[];
}

/** First touch: where the member came from. Written once at sign-up, never overwritten. */
export interface Attribution {
  /** `invite`: joined through a member's invite link or poster (`inviter` set, `channel` 'invite'). */
  source: 'card' | 'direct' | 'invite';
  channel: string | null;
  batchId: string | null;
  /** The card's serial within its batch. */
  serial: number | null;
  /**
   * The member whose invite brought them (first touch: never overwritten); null otherwise. Staff
   * views give the inviter's openid; the member's own views only 'invited'.
   */
  inviter: string | null;
  at: string;
}

export interface LevelView {
  rank: number;
  name: string;
  minSpentFen: number;
  minOrders: number;
}

/** The next level and what is missing to reach it; null at the top level. */
export interface NextLevel {
  name: string;
  needSpentFen: number;
  needOrders: number;
}

/** What a `member.join` or `member.claimCard` did with the card the customer came from. */
export type CardClaimStatus =
  /** The card's benefit is now this member's (`coupon` set). */
  | 'claimed'
  /** This member had already claimed this card (`coupon` set when it has one). */
  | 'already_mine'
  /** Someone else claimed this card first. */
  | 'used_by_other'
  /** The card carries no benefit (a pure thank-you card). */
  | 'no_benefit'
  /** The member already holds as many of this benefit as one person may (another card of the batch). */
  | 'limit_reached'
  /** The batch expired or was withdrawn. */
  | 'expired'
  /** The batch is paused or not open yet: nothing was claimed, the card still works later. */
  | 'not_open'
  /** Not a card of this store (forged or damaged code). */
  | 'invalid';

export interface CardClaimView {
  status: CardClaimStatus;
  /** One sentence for the customer, e.g. 「这张卡的福利已被领取」. */
  message: string;
  card: CardSummary | null;
  coupon: CouponView | null;
}

/** The member card home (会员卡首页). */
export interface MemberCard {
  openid: string;
  nickname: string;
  /** Cloud file id or https URL of the avatar; null shows the default one. */
  avatar: string | null;
  phoneMasked: string;
  /** The phone came from the local stand-in, not from WeChat: show 「开发测试号码」. */
  phoneIsDevelopment: boolean;
  /** YYYY-MM-DD or null; once set it cannot be changed by the member. */
  birthday: string | null;
  joinedAt: string;
  level: LevelView;
  nextLevel: NextLevel | null;
  points: number;
  orders: number;
  spentFen: number;
  /** Has at least one bound order (购买用户). */
  isBuyer: boolean;
  availableCoupons: number;
  attribution: Attribution;
  /**
   * The card they came from (first touch by a card), with the coupon it gave them: `card` and
   * `coupon` are null when its benefit went to someone else or the batch had ended.
   */
  cardBenefit: { channel: string | null; batchId: string | null; card: CardSummary | null; coupon: CouponView | null } | null;
  /** Filled by the community entry (社群/活码) feature; null until it exists. */
  community: null;
}

export interface MemberHome {
  /** Null: not a member yet; the page offers to join. */
  member: MemberCard | null;
  privacy: { version: string; acceptedVersion: string | null; needsReaccept: boolean };
}

export interface JoinRequest {
  /** `e.detail.code` from `<button open-type="getPhoneNumber">`; valid 5 minutes, once. */
  phoneCode: string;
  /** The customer ticked 「我已阅读并同意《会员隐私保护指引》」. */
  privacyAccepted: boolean;
  /** `PrivacyNotice.version` of the notice they were shown. */
  privacyVersion: string;
  /** From `<input type="nickname">`. */
  nickname?: string;
  /** Cloud file id (after `wx.cloud.uploadFile` of the chosen avatar) or an https URL. */
  avatar?: string;
  /** YYYY-MM-DD. */
  birthday?: string;
  /** The scene of the package card they scanned (already `decodeURIComponent`-ed). */
  scene?: string;
  /**
   * The invite token they came with: the share path's `invite` query, or the poster code's scene
   * (30 characters starting `iv`). With a card scene as well, the card is the first touch.
   */
  invite?: string;
}

export interface JoinResult {
  /** False: they were a member already and nothing about the member changed. */
  created: boolean;
  member: { openid: string; nickname: string; avatar: string | null; phoneMasked: string; phoneIsDevelopment: boolean; joinedAt: string };
  /** Present when a scene was sent. */
  card: CardClaimView | null;
  /** Present only when an invite token was sent. */
  invite?: { status: InviteJoinStatus };
}

export interface ProfileUpdate {
  nickname?: string;
  /** null removes the avatar. */
  avatar?: string | null;
  birthday?: string;
}

export interface BoundOrderView {
  platform: OrderPlatform;
  orderNo: string;
  amountFen: number;
  paidAt: string;
  product: string;
  boundAt: string;
  /** Points this order earned. */
  points: number;
}

export interface BindResult {
  order: BoundOrderView;
  /** False: this member had bound the order before; nothing was credited twice. */
  newlyBound: boolean;
  pointsAdded: number;
  points: number;
  level: LevelView;
}

export interface PointsEntryView {
  id: string;
  delta: number;
  balanceAfter: number;
  /** 「绑定订单 淘宝 1234…」 */
  reason: string;
  at: string;
}

/** Everything the store holds about the member, for 「导出我的数据」. */
export interface MemberExport {
  exportedAt: string;
  notice: string;
  profile: {
    openid: string;
    unionid: string | null;
    nickname: string;
    avatar: string | null;
    /** The full number: this is the member's own data. */
    phone: string;
    countryCode: string;
    phoneIsDevelopment: boolean;
    birthday: string | null;
    joinedAt: string;
    privacy: { version: string; acceptedAt: string };
    attribution: Attribution;
    points: number;
    orders: number;
    spentFen: number;
    level: string;
    segments: string[];
    tags: string[];
  };
  orders: BoundOrderView[];
  pointsLedger: PointsEntryView[];
  coupons: CouponView[];
  /** Newest first, at most `eventsLimit`. */
  events: { type: string; at: string; channel: string | null; batchId: string | null; amountFen: number | null; ref: string | null }[];
  eventsLimit: number;
}

export interface MemberApi {
  /** Any caller: their member card, or null with the privacy notice version to join under. */
  'member.home': { req: Record<string, never>; res: MemberHome };
  'member.privacy': { req: Record<string, never>; res: PrivacyNotice };
  /** A member accepts a newer notice (`MemberHome.privacy.needsReaccept`). */
  'member.acceptPrivacy': { req: { version: string }; res: { version: string; acceptedAt: string } };
  /** One tap: phone from the button's code, after the privacy notice is accepted. Idempotent. */
  'member.join': { req: JoinRequest; res: JoinResult };
  /** A member arriving from another card claims its benefit (first touch stays as it was). */
  'member.claimCard': { req: { scene: string }; res: CardClaimView };
  'member.profile.update': { req: ProfileUpdate; res: MemberCard };
  /** Order number from the parcel or the platform app, confirmed by the last 4 digits of its phone. */
  'member.bindOrder': { req: { orderNo: string; phoneLast4: string }; res: BindResult };
  'member.orders': { req: Record<string, never>; res: { orders: BoundOrderView[] } };
  'member.points': { req: { cursor?: string }; res: { entries: PointsEntryView[]; nextCursor: string | null; balance: number } };
  'member.export': { req: Record<string, never>; res: MemberExport };
  /** Deletes the account: personal data removed, a tombstone with anonymised counts kept. */
  'member.delete': { req: { confirm: true }; res: { deleted: true } };
}

// ---- staff: members ---------------------------------------------------------------------------

export interface MemberStaffView {
  openid: string;
  nickname: string;
  avatar: string | null;
  /** Staff never see the full number. */
  phoneMasked: string;
  phoneIsDevelopment: boolean;
  joinedAt: string;
  level: string;
  points: number;
  orders: number;
  spentFen: number;
  attribution: Attribution;
  segments: string[];
  tags: string[];
}

export interface LevelRules {
  /** Lowest first; the first has 0 and 0. A member reaches a level with BOTH thresholds met. */
  levels: { name: string; minSpentFen: number; minOrders: number }[];
  /** Points per whole yuan paid on a bound order. */
  pointsPerYuan: number;
}

// ---- staff: order import ----------------------------------------------------------------------

/** The fields an import maps from CSV columns. */
export type OrderField = 'orderNo' | 'phone' | 'amount' | 'paidAt' | 'product' | 'quantity' | 'status';

export interface ImportPreset {
  platform: OrderPlatform;
  label: string;
  /** For each field, the header names accepted, in order of preference. */
  columns: Partial<Record<OrderField, string[]>>;
  note: string;
}

/** A custom mapping: field → the CSV header that holds it. */
export type ColumnMapping = Partial<Record<OrderField, string>>;

export interface ImportSource {
  /** Cloud file id of the uploaded CSV (`wx.cloud.uploadFile`). */
  fileId: string;
  platform: OrderPlatform;
  /** Overrides the platform preset field by field; required for `other`. */
  mapping?: ColumnMapping;
  /** `yuan` (default, 128.50) or `fen` (12850). */
  amountUnit?: 'yuan' | 'fen';
}

export interface RowError {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** Chinese, e.g. 「买家手机号格式不正确」. */
  reason: string;
  field?: OrderField;
}

export interface PreviewOrder {
  row: number;
  orderNo: string;
  phoneMasked: string;
  amountFen: number;
  paidAt: string;
  product: string;
  quantity: number | null;
}

export interface ImportPreview {
  headers: string[];
  /** Which header each field was read from. */
  columns: Partial<Record<OrderField, string>>;
  /** Data rows checked (at most `checkedLimit`). */
  checkedRows: number;
  checkedLimit: number;
  /** More rows follow the checked ones. */
  more: boolean;
  sample: PreviewOrder[];
  errors: RowError[];
  /** Among the checked rows: orders new to the store, already imported, and already bound. */
  wouldCreate: number;
  wouldUpdate: number;
  alreadyBound: number;
}

export interface ImportJobView {
  id: string;
  platform: OrderPlatform;
  status: 'running' | 'done' | 'failed';
  /** Data rows read so far. */
  rowsRead: number;
  /** Share of the file read, 0–100. */
  percent: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Orders already bound to a member are never changed by an import. */
  skippedBound: number;
  /** Further rows of an order already read (an order spread over several lines). */
  mergedRows: number;
  errorCount: number;
  /** The first errors, with row numbers. */
  errors: RowError[];
  failure: string | null;
  createdAt: string;
  updatedAt: string;
  /** Once finished: when the uploaded file is (or was) deleted, 30 days after the import ended. */
  fileExpiresAt: string | null;
  /** The uploaded file is deleted; the job's counts and errors stay. */
  fileDeleted: boolean;
}

// ---- staff: counters ------------------------------------------------------------------------

export interface Tally {
  n: number;
  /** Money of the events counted (orders, redemptions), fen. */
  fen: number;
}

/** One Shanghai day of the funnel, folded from the event log plus its not-yet-folded tail. */
export interface DayCounters {
  day: string;
  total: number;
  byType: Record<string, Tally>;
  byBatch: Record<string, Record<string, Tally>>;
  byChannel: Record<string, Record<string, Tally>>;
  byStaff: Record<string, Record<string, Tally>>;
}

export interface MemberAdminApi {
  'member.search': { req: { phone?: string; nickname?: string }; res: { members: MemberStaffView[] } };
  'member.detail': { req: { openid: string }; res: { member: MemberStaffView; orders: BoundOrderView[] } };
  'member.levels.get': { req: Record<string, never>; res: LevelRules };
  'member.levels.set': { req: LevelRules; res: LevelRules };
  'order.import.presets': { req: Record<string, never>; res: { presets: ImportPreset[] } };
  /** Dry run: nothing is written. */
  'order.import.preview': { req: ImportSource; res: ImportPreview };
  /** Starts a job and imports its first page. */
  'order.import.start': { req: ImportSource; res: ImportJobView };
  /** Imports the next page; call until `status` is not `running` (a timer also continues jobs). */
  'order.import.step': { req: { jobId: string }; res: ImportJobView };
  'order.import.get': { req: { jobId: string }; res: ImportJobView };
  'order.import.list': { req: Record<string, never>; res: { jobs: ImportJobView[] } };
  /** Shanghai days, inclusive, at most 92. */
  'stats.days': { req: { fromDay: string; toDay: string }; res: { days: DayCounters[] } };
}
