/**
 * What entries, groups, assignments and contact codes look like in the database, and how they read
 * in the contract.
 */
import { createHash } from 'node:crypto';
import type {
  CommunityEntryPurpose,
  CommunityEntryStatus,
  CommunityGroupState,
  CommunityGroupView,
  CommunityQr,
  StaffContactKind,
} from '../../typings';
import { platform } from '../runtime/platform';

/** The customer page every entry opens (share path and code page). */
export const ENTRY_PAGE = 'pages/community/index';
/** Where an alert takes an admin (subscribe message `page`): the entry's management page. */
export const ENTRY_ADMIN_PAGE = 'admin/pages/community/entry/index';

/** A staff action's caller, as the domain modules need it. */
export interface StaffCall {
  openid: string;
  requestId: string;
  now: Date;
}

export const DEFAULT_CAPACITY = 200;
/** WeCom customer groups hold 500; WeChat groups stop scan-to-join at 200. */
export const MAX_CAPACITY = 500;
/** WeChat group QR codes work for 7 days. */
export const QR_VALID_MS = 7 * 86_400_000;

export const ENTRY_ID_PATTERN = /^[0-9a-z]{8}$/;
export const GROUP_ID_PATTERN = /^grp_[0-9a-f]{16}$/;

export interface EntryDoc {
  _id: string;
  name: string;
  purpose: CommunityEntryPurpose;
  ref: string | null;
  welcome: string;
  status: CommunityEntryStatus;
  fallbackStaffId: string | null;
  /** The schedule: no group is given out before `startsAt` or after `endsAt`. Absent on older entries. */
  startsAt?: Date | null;
  endsAt?: Date | null;
  /** Opens answered with a contact code because no group was usable. */
  fallbacks: number;
  createdAt: Date;
  createdBy: string;
  requestId: string;
  updatedAt: Date;
}

export interface GroupDoc {
  _id: string;
  entryId: string;
  name: string;
  qrFileId: string;
  expiresAt: Date;
  capacity: number;
  /** Seats taken: the only field a seat is taken on (conditional $inc), corrected by staff counts. */
  taken: number;
  assigned: number;
  joined: number;
  priority: number;
  status: 'active' | 'retired';
  counted: { count: number; at: Date; by: string } | null;
  createdAt: Date;
  createdBy: string;
  requestId: string;
  updatedAt: Date;
}

export interface AssignmentDoc {
  _id: string;
  entryId: string;
  openid: string;
  groupId: string;
  at: Date;
  joinedAt: Date | null;
}

export interface StaffContactDoc {
  _id: string;
  qrFileId: string;
  kind: StaffContactKind;
  note: string;
  updatedAt: Date;
  updatedBy: string;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Derived from creator and request id: a retried create finds the entry it already made. */
export function entryIdFor(creator: string, requestId: string): string {
  const digest = createHash('sha256').update(`community-entry\n${creator}\n${requestId}`).digest();
  return Array.from(digest.subarray(0, 8), (byte) => BASE36[byte % 36]).join('');
}

export function groupIdFor(entryId: string, creator: string, requestId: string): string {
  return `grp_${createHash('sha256').update(`community-group\n${entryId}\n${creator}\n${requestId}`).digest('hex').slice(0, 16)}`;
}

export const assignmentIdOf = (entryId: string, openid: string): string => `${entryId}_${openid}`;

export const entryPath = (entryId: string): string => `/${ENTRY_PAGE}?entry=${entryId}`;

export const iso = (d: Date | string): string => new Date(d).toISOString();
const ms = (d: Date | string): number => new Date(d).getTime();

export function groupState(g: GroupDoc, now: Date): CommunityGroupState {
  if (g.status === 'retired') return 'retired';
  if (ms(g.expiresAt) <= now.getTime()) return 'expired';
  if (g.taken >= g.capacity) return 'full';
  return 'open';
}

/** A customer who holds a seat keeps it while the group is in rotation and its code works. */
export const stillHolds = (g: GroupDoc, now: Date): boolean => g.status === 'active' && ms(g.expiresAt) > now.getTime();

/** Open groups in the order they are given out. */
export function rotationOrder(a: GroupDoc, b: GroupDoc): number {
  return a.priority - b.priority || ms(a.createdAt) - ms(b.createdAt) || (a._id < b._id ? -1 : 1);
}

/**
 * What goes in `<image src>`: a `cloud://` id as is (the mini program loads it itself, no temporary
 * link to fetch per open), anything else through the platform (the local gateway serves it).
 */
export async function qrOf(fileId: string): Promise<CommunityQr> {
  if (fileId.startsWith('cloud://')) return { fileId, src: fileId };
  return { fileId, src: await platform().fileUrl(fileId) };
}

/** `holders`: the customers whose assignment points here (see `holdersOf`). */
export async function toGroupView(g: GroupDoc, now: Date, holders: number): Promise<CommunityGroupView> {
  return {
    id: g._id,
    entryId: g.entryId,
    name: g.name,
    qr: await qrOf(g.qrFileId),
    expiresAt: iso(g.expiresAt),
    capacity: g.capacity,
    taken: g.taken,
    assigned: g.assigned,
    holders,
    joined: g.joined,
    priority: g.priority,
    state: groupState(g, now),
    counted: g.counted && { count: g.counted.count, at: iso(g.counted.at), by: g.counted.by },
    createdAt: iso(g.createdAt),
  };
}
