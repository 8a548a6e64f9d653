/**
 * `community`: the live code (社群活码) that always shows a WeChat group with room, each staff
 * member's contact code, and the store's ownership of every member (归属分配、离职继承).
 *
 * Pages:
 * - Customers open `/pages/community/index?entry=<entryId>` (a share path, or a mini program code
 *   whose `scene` is the entry id itself) and call `community.open`.
 * - Staff manage entries, groups, contact codes and handovers from the admin subpackage.
 */
import type { StaffRole } from './staff';

// ---- images -------------------------------------------------------------------------------------

/**
 * An uploaded QR image. `fileId` is what staff uploaded with `wx.cloud.uploadFile`; `src` is what
 * to put in `<image src>`: the same `cloud://` id in production (the mini program loads it without
 * a temporary link), a gateway link for files of the local runtime.
 */
export interface CommunityQr {
  fileId: string;
  src: string;
}

// ---- live code: entries and groups -------------------------------------------------------------

/** What the entry is printed or shared for. `ref` names the thing (a card batch id, a poster name, ...). */
export type CommunityEntryPurpose = 'card_batch' | 'poster' | 'counter' | 'other';

/**
 * A paused entry (or one before its `startsAt` / after its `endsAt`) gives out no group for now, an
 * archived one none any more: customers who scan it get the contact code.
 */
export type CommunityEntryStatus = 'active' | 'paused' | 'archived';

/**
 * - `open`: valid and has room, will be given out (in `priority` order);
 * - `full`: its seats are taken (`taken >= capacity`);
 * - `expired`: its QR code is past `expiresAt` (upload a new one with `community.group.update`);
 * - `retired`: staff took it out of the rotation.
 */
export type CommunityGroupState = 'open' | 'full' | 'expired' | 'retired';

export interface CommunityEntryInput {
  /** For staff, e.g. 「龙井包裹卡 3 月」; also the page title customers see. */
  name: string;
  purpose: CommunityEntryPurpose;
  /** What it is attached to: a card batch id for `card_batch`, free text otherwise. */
  ref?: string | null;
  /** One or two sentences shown above the QR code, e.g. 「群里每周三有茶友专享价」. */
  welcome?: string;
  /**
   * Whose contact code customers see when no group is usable and they have no staff member of
   * their own yet (their own staff member comes first).
   */
  fallbackStaffId?: string | null;
  /** ISO instant from which groups are given out; null or left out: at once. */
  startsAt?: string | null;
  /** ISO instant after which no group is given out; null or left out: no end. */
  endsAt?: string | null;
}

export interface CommunityEntryStats {
  /** Groups not retired. */
  groups: number;
  /** Groups that will still be given out now. */
  openGroups: number;
  /** Seats left over the open groups. */
  seatsLeft: number;
  /** Customers the entry sent to a group, over all its groups. */
  assigned: number;
  /** Of those, how many tapped 「我已入群」. */
  joined: number;
  /** Opens answered with a contact code because no group was usable. */
  fallbacks: number;
  /** When the last open group's QR code expires; null when none is open. */
  openUntil: string | null;
  /** The group the next customer gets; null when none. */
  current: { id: string; name: string } | null;
}

export interface CommunityEntryView {
  id: string;
  name: string;
  purpose: CommunityEntryPurpose;
  ref: string | null;
  welcome: string;
  status: CommunityEntryStatus;
  fallbackStaffId: string | null;
  startsAt: string | null;
  endsAt: string | null;
  /** Share path: `/pages/community/index?entry=<id>` (onShareAppMessage, posters via 获取小程序码). */
  path: string;
  /** `scene` for a `wxacode.getUnlimited` code of page `pages/community/index`: the id itself. */
  scene: string;
  stats: CommunityEntryStats;
  createdAt: string;
}

export interface CommunityGroupInput {
  entryId: string;
  /** 「茶友 3 群」: staff read it; customers see it above the QR code. */
  name: string;
  /** File id from `wx.cloud.uploadFile` of the group's QR image (群聊 → 群二维码 → 保存图片). */
  qrFileId: string;
  /** ISO time the QR code stops working; default 7 days from now, at most 7 days from now. */
  expiresAt?: string;
  /** Seats the live code may give out; default 200 (WeChat stops scan-to-join at 200 members). */
  capacity?: number;
  /** Lower goes first; default after the entry's last group. */
  priority?: number;
}

export interface CommunityGroupView {
  id: string;
  entryId: string;
  name: string;
  qr: CommunityQr;
  expiresAt: string;
  capacity: number;
  /**
   * Seats taken: one per customer sent here, or the member count staff last entered
   * (`community.group.count`), plus the customers sent since.
   */
  taken: number;
  /** Customers the live code sent here (never corrected; a customer moved on from here still counts). */
  assigned: number;
  /**
   * Customers holding a seat here now, counted from their assignments (never above `capacity`: the
   * live code does not overfill a group).
   */
  holders: number;
  /** Customers who tapped 「我已入群」. */
  joined: number;
  priority: number;
  state: CommunityGroupState;
  /** Staff's last count of the real group, if any. */
  counted: { count: number; at: string; by: string } | null;
  createdAt: string;
}

export interface CommunityGroupUpdate {
  groupId: string;
  name?: string;
  /** A new QR image of the same WeChat group (the old one expired): give its new `expiresAt` too. */
  qrFileId?: string;
  expiresAt?: string;
  capacity?: number;
  priority?: number;
  /** `retired` takes the group out of the rotation; `active` puts it back. */
  status?: 'active' | 'retired';
}

// ---- customers ---------------------------------------------------------------------------------

export interface CommunityEntryCard {
  id: string;
  name: string;
  welcome: string;
}

export type StaffContactKind = 'wechat' | 'wecom';

/** A staff member's contact code as customers see it. */
export interface StaffContactCard {
  staffName: string;
  /** 个人微信 or 企业微信「联系我」. */
  kind: StaffContactKind;
  qr: CommunityQr;
  /** e.g. 「添加时请备注：会员」. */
  note: string;
}

export type CommunityOpenResult =
  /**
   * A group with room: show `group.qr` (long-press to join: `<image show-menu-by-longpress>` or
   * `wx.previewImage({ urls: [src], showmenu: true })`), then offer 「我已入群」.
   * `repeat`: this customer had already been given this group (a reopen takes no second seat).
   * `joined`: they already tapped 「我已入群」.
   */
  | { kind: 'group'; entry: CommunityEntryCard; group: { id: string; name: string; qr: CommunityQr; expiresAt: string }; repeat: boolean; joined: boolean }
  /** No group usable: a staff member's contact code (theirs if they have one, else the entry's). */
  | { kind: 'contact'; entry: CommunityEntryCard; contact: StaffContactCard }
  /** Nothing to show at all: `message` says so in Chinese (staff have been alerted by the timer). */
  | { kind: 'none'; entry: CommunityEntryCard; message: string };

// ---- staff contact codes -----------------------------------------------------------------------

export interface StaffContactInput {
  /** File id from `wx.cloud.uploadFile` of the personal WeChat QR or the WeCom 「联系我」 code. */
  qrFileId: string;
  kind: StaffContactKind;
  note?: string;
  /** Admins may set another staff member's code; everyone may set their own (leave it out). */
  staffId?: string;
}

export interface StaffContactView extends StaffContactCard {
  staffId: string;
  updatedAt: string;
}

/** Why `community.myContact` has no contact: not a member, or their staff member has no code, ... */
export type NoStaffContactReason = 'not_member' | 'unassigned' | 'staff_unavailable' | 'no_contact';

// ---- ownership ---------------------------------------------------------------------------------

/**
 * Who a new member is assigned to when they did not come from a card batch with an owner (that
 * owner is set at sign-up and always wins):
 * - `inviter_then_round_robin`: the staff member of whoever invited them (or the inviter, when the
 *   inviter is staff); everyone else in turn among the pool;
 * - `round_robin`: everyone in turn among the pool.
 */
export type OwnershipRule = 'inviter_then_round_robin' | 'round_robin';

export interface OwnershipSettings {
  rule: OwnershipRule;
  /** Staff openids taking turns; empty = every active staff member. One id = all to that person. */
  pool: string[];
}

/** Why a member is with their staff member: how the last assignment happened. */
export type OwnershipCause = 'card_batch' | 'inviter' | 'round_robin' | 'manual' | 'handover';

export interface OwnedMemberView {
  openid: string;
  nickname: string;
  avatar: string | null;
  phoneMasked: string | null;
  joinedAt: string;
  tags: string[];
  segments: string[];
  channel: string | null;
  orders: number;
  spentFen: number;
  lastOrderAt: string | null;
}

export interface OwnedMemberPage {
  members: OwnedMemberView[];
  /** Pass back for the next page; null at the end. */
  nextCursor: string | null;
  /** All members of this staff member. */
  total: number;
}

export interface OwnershipStaffLoad {
  openid: string;
  name: string;
  role: StaffRole;
  status: 'active' | 'revoked';
  members: number;
  hasContact: boolean;
}

export interface OwnershipHistoryEntry {
  from: string | null;
  to: string;
  cause: OwnershipCause;
  at: string;
  by: string;
  handoverId: string | null;
}

export type OwnershipHandoverStatus = 'running' | 'done' | 'failed';

export interface OwnershipHandoverView {
  id: string;
  from: { openid: string; name: string; status: 'active' | 'revoked' };
  /** One person, or several sharing the members evenly; `moved` so far to each. */
  targets: { openid: string; name: string; moved: number }[];
  status: OwnershipHandoverStatus;
  /** Members the departing staff member had when the handover started. */
  total: number;
  moved: number;
  /** Members still with the departing staff member (0 when done). */
  remaining: number;
  failure: string | null;
  reason: string;
  createdAt: string;
  createdBy: string;
  finishedAt: string | null;
}

export interface OwnershipHandoverInput {
  fromStaffId: string;
  /** One id: all to that person; several: spread evenly. Active staff only, never `fromStaffId`. */
  toStaffIds: string[];
  reason: string;
}

/**
 * A QR image sent through the function (the local backend has no cloud storage): with `entryId`, a
 * group's QR (managers only); without, a contact code. `name` is the picked file's name or path.
 */
export interface CommunityQrUpload {
  entryId?: string;
  name: string;
  /** The PNG or JPEG bytes, base64; at most 1 MB. */
  base64: string;
}

// ---- the function ------------------------------------------------------------------------------

export interface CommunityApi {
  // Customers (any caller)
  'community.open': { req: { entryId: string }; res: CommunityOpenResult };
  /** 「我已入群」: counted once per customer and entry. */
  'community.confirmJoined': { req: { entryId: string }; res: { joined: true } };
  /** The member's own staff member's contact code. */
  'community.myContact': { req: Record<string, never>; res: { contact: StaffContactCard | null; reason: NoStaffContactReason | null } };

  // Staff: entries and groups
  'community.entry.create': { req: CommunityEntryInput; res: CommunityEntryView };
  'community.entry.update': { req: Partial<CommunityEntryInput> & { entryId: string; status?: CommunityEntryStatus }; res: CommunityEntryView };
  'community.entry.list': { req: { status?: CommunityEntryStatus }; res: { entries: CommunityEntryView[] } };
  'community.entry.get': { req: { entryId: string }; res: { entry: CommunityEntryView; groups: CommunityGroupView[] } };
  'community.group.add': { req: CommunityGroupInput; res: CommunityGroupView };
  'community.group.update': { req: CommunityGroupUpdate; res: CommunityGroupView };
  /** Staff counted the real group: its member count becomes the seats taken (audited). */
  'community.group.count': { req: { groupId: string; memberCount: number; note?: string }; res: CommunityGroupView };

  // Staff: contact codes
  'community.contact.set': { req: StaffContactInput; res: StaffContactView };
  'community.contact.get': { req: { staffId?: string }; res: { contact: StaffContactView | null } };
  /** Stores a QR image where `qrFileId` can point at it; only where there is no `wx.cloud.uploadFile`. */
  'community.qr.put': { req: CommunityQrUpload; res: { fileId: string } };

  // Staff alerts (admins): a subscribe message before the last group expires and when room runs low
  /** `templateId` for `wx.requestSubscribeMessage`; null when the store has not configured one. */
  'community.alerts.status': { req: Record<string, never>; res: { templateId: string | null; credits: number } };
  /** Each acceptance pays for one alert (WeChat one-time subscriptions). */
  'community.alerts.subscribe': { req: { accepted: boolean }; res: { credits: number } };

  // Ownership
  'ownership.settings.get': { req: Record<string, never>; res: OwnershipSettings };
  'ownership.settings.set': { req: OwnershipSettings; res: OwnershipSettings };
  /** Assigns members who have no staff member yet, by the rule (the timer does the same). */
  'ownership.autoAssign': { req: Record<string, never>; res: { assigned: number; remaining: number } };
  /** Moves the named members to one staff member. */
  'ownership.assign': { req: { openids: string[]; staffId: string; reason?: string }; res: { moved: number; unchanged: number; notFound: string[] } };
  /** The caller's own members, newest first. */
  'ownership.myMembers': { req: { cursor?: string }; res: OwnedMemberPage };
  /** Any staff member's members (admins). */
  'ownership.members': { req: { staffId: string; cursor?: string }; res: OwnedMemberPage };
  /** Staff (revoked ones included when they still have members) with their member counts. */
  'ownership.summary': { req: Record<string, never>; res: { staff: OwnershipStaffLoad[]; unassigned: number; settings: OwnershipSettings } };
  'ownership.history': { req: { openid: string }; res: { entries: OwnershipHistoryEntry[] } };
  /** 离职继承: starts handing all members of one staff member over, and runs the first steps. */
  'ownership.handover.start': { req: OwnershipHandoverInput; res: OwnershipHandoverView };
  /** Runs the next steps (about 20 s of work at most); call until `status` is not `running`. */
  'ownership.handover.continue': { req: { handoverId: string }; res: OwnershipHandoverView };
  'ownership.handover.get': { req: { handoverId: string }; res: OwnershipHandoverView };
  'ownership.handover.list': { req: Record<string, never>; res: { handovers: OwnershipHandoverView[] } };
}
