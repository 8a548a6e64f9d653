/** What staff see of ownership: their own members page by page, the load per staff member, a member's history. */
import { COLLECTIONS } from '../../../database/collections';
import type { OwnedMemberPage, OwnedMemberView, OwnershipHistoryEntry, OwnershipStaffLoad } from '../../../typings';
import { getById, getDb } from '../../runtime/db';
import { STAFF_COLLECTION, type StaffDoc } from '../../runtime/staff-guard';
import { DEFAULT_NICKNAME } from '../../members/model';
import type { HistoryDoc } from './model';
import { pendingQuery } from './assign';
import { loadOwnershipSettings } from './settings';

export const MEMBER_PAGE = 20;

/** The fields of a member a staff list shows (no phone ciphertext, no hashes). */
interface ListedMember {
  _id: string;
  nickname?: string;
  avatar?: string | null;
  phoneMasked?: string | null;
  joinedAt: Date;
  tags?: string[];
  segments?: string[];
  attribution?: { channel?: string | null; batchId?: string | null; source?: string } | null;
  stats?: { orders?: number; spentFen?: number; lastOrderAt?: Date | null };
  staffId?: string | null;
}

const LISTED_FIELDS = {
  _id: true,
  nickname: true,
  avatar: true,
  phoneMasked: true,
  joinedAt: true,
  tags: true,
  segments: true,
  attribution: true,
  stats: true,
};

function toOwnedView(m: ListedMember): OwnedMemberView {
  return {
    openid: m._id,
    nickname: m.nickname || DEFAULT_NICKNAME,
    avatar: m.avatar ?? null,
    phoneMasked: m.phoneMasked ?? null,
    joinedAt: new Date(m.joinedAt).toISOString(),
    tags: m.tags ?? [],
    segments: m.segments ?? [],
    channel: m.attribution?.channel ?? null,
    orders: m.stats?.orders ?? 0,
    spentFen: m.stats?.spentFen ?? 0,
    lastOrderAt: m.stats?.lastOrderAt ? new Date(m.stats.lastOrderAt).toISOString() : null,
  };
}

/** Newest first; the cursor is the last member's join time and openid (ties broken by openid). */
export async function membersOf(staffId: string, cursor: string | undefined): Promise<OwnedMemberPage> {
  const db = getDb();
  const _ = db.command;
  let filter: unknown = { staffId };
  if (cursor) {
    const [msText, openid] = cursor.split('~');
    const joinedAt = new Date(Number(msText));
    filter = _.and([{ staffId }, _.or([{ joinedAt: _.lt(joinedAt) }, { joinedAt, _id: _.gt(openid) }])]);
  }
  const [page, count] = await Promise.all([
    db.collection(COLLECTIONS.members).where(filter).orderBy('joinedAt', 'desc').orderBy('_id', 'asc').field(LISTED_FIELDS).limit(MEMBER_PAGE).get(),
    db.collection(COLLECTIONS.members).where({ staffId }).count(),
  ]);
  const members = page.data as ListedMember[];
  const last = members[members.length - 1];
  return {
    members: members.map(toOwnedView),
    nextCursor: members.length === MEMBER_PAGE && last ? `${new Date(last.joinedAt).getTime()}~${last._id}` : null,
    total: count.total,
  };
}

/** Every staff member with their member count; revoked ones only while they still have members. */
export async function staffLoads(): Promise<{ staff: OwnershipStaffLoad[]; unassigned: number }> {
  const db = getDb();
  const _ = db.command;
  const res = await db.collection(STAFF_COLLECTION).orderBy('joinedAt', 'asc').limit(1000).get();
  const staff = res.data as StaffDoc[];
  const ids = staff.map((s) => s._id);
  const [counts, contacts, unassigned] = await Promise.all([
    Promise.all(ids.map(async (staffId) => (await db.collection(COLLECTIONS.members).where({ staffId }).count()).total)),
    ids.length > 0
      ? db.collection(COLLECTIONS.staffContacts).where({ _id: _.in(ids) }).field({ _id: true }).limit(ids.length).get()
      : Promise.resolve({ data: [] as unknown[] }),
    db.collection(COLLECTIONS.members).where(pendingQuery()).count(),
  ]);
  const withContact = new Set((contacts.data as { _id: string }[]).map((c) => c._id));
  const loads = staff
    .map((s, i) => ({ openid: s._id, name: s.name, role: s.role, status: s.status, members: counts[i], hasContact: withContact.has(s._id) }))
    .filter((s) => s.status === 'active' || s.members > 0);
  return { staff: loads, unassigned: unassigned.total };
}

export async function ownershipSummary() {
  const [loads, settings] = await Promise.all([staffLoads(), loadOwnershipSettings()]);
  return { ...loads, settings };
}

/**
 * A member's history, newest first. A member whose first staff member came with their card (set at
 * sign-up, before any history) gets that first assignment shown too.
 */
export async function historyOf(openid: string): Promise<OwnershipHistoryEntry[]> {
  const [member, res] = await Promise.all([
    getById<ListedMember>(COLLECTIONS.members, openid),
    getDb().collection(COLLECTIONS.ownershipHistory).where({ memberId: openid }).orderBy('at', 'desc').limit(100).get(),
  ]);
  const entries: OwnershipHistoryEntry[] = (res.data as HistoryDoc[]).map((h) => ({
    from: h.from,
    to: h.to,
    cause: h.cause,
    at: new Date(h.at).toISOString(),
    by: h.by,
    handoverId: h.handoverId,
  }));
  const earliest = entries[entries.length - 1];
  const firstStaff = earliest ? earliest.from : (member?.staffId ?? null);
  if (member && firstStaff && member.attribution?.batchId) {
    entries.push({ from: null, to: firstStaff, cause: 'card_batch', at: new Date(member.joinedAt).toISOString(), by: 'system', handoverId: null });
  }
  return entries;
}
