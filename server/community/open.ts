/**
 * Opening an entry: the customer gets a group that is valid and has room, or (when none is) a
 * staff member's contact code instead of a dead code.
 *
 * - A seat is taken with one conditional write on the group (`taken < capacity`, still valid);
 *   on a miss the next group in rotation order is tried. No group is ever filled past capacity,
 *   however many customers open at once.
 * - The customer's assignment lives under `<entryId>_<openid>`: a reopen reads it and takes no
 *   second seat; two opens at once both take a seat, one of them loses the insert and gives its
 *   seat back. A customer whose group expired (or was retired) before they joined gets a new one.
 * - The common first open costs two reads by id, one query, one seat and one insert.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CommunityEntryCard, CommunityOpenResult } from '../../typings';
import { updateOneAndReturn } from '../coupons/atomic';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import { fail } from '../runtime/errors';
import { isOver, notStarted } from '../runtime/schedule';
import { contactCardOf } from './contacts';
import { openGroupsOf } from './entries';
import { type AssignmentDoc, assignmentIdOf, type EntryDoc, type GroupDoc, iso, qrOf, stillHolds } from './model';

const NOTHING_TO_SHOW = '群已满或已更新，店员正在准备新群，请稍后再来';

/** Paused, archived, not started or over: the contact code instead of a group. */
export const givesGroups = (entry: EntryDoc, now: Date): boolean => entry.status === 'active' && !notStarted(entry, now) && !isOver(entry, now);

const cardOf = (entry: EntryDoc): CommunityEntryCard => ({ id: entry._id, name: entry.name, welcome: entry.welcome });

async function groupAnswer(entry: EntryDoc, group: GroupDoc, repeat: boolean, joined: boolean): Promise<CommunityOpenResult> {
  return {
    kind: 'group',
    entry: cardOf(entry),
    group: { id: group._id, name: group.name, qr: await qrOf(group.qrFileId), expiresAt: iso(group.expiresAt) },
    repeat,
    joined,
  };
}

/** Takes one seat in the first open group that still has one; null when none does. */
async function takeSeat(candidates: GroupDoc[], now: Date): Promise<GroupDoc | null> {
  const db = getDb();
  const _ = db.command;
  for (const g of candidates) {
    const res = await db
      .collection(COLLECTIONS.communityGroups)
      .where({ _id: g._id, status: 'active', capacity: g.capacity, taken: _.lt(g.capacity), expiresAt: _.gt(now) })
      .update({ data: { taken: _.inc(1), assigned: _.inc(1) } });
    if (res.stats.updated === 1) return g;
  }
  return null;
}

async function giveBack(group: GroupDoc): Promise<void> {
  const _ = getDb().command;
  await getDb()
    .collection(COLLECTIONS.communityGroups)
    .doc(group._id)
    .update({ data: { taken: _.inc(-1), assigned: _.inc(-1) } });
}

/** The member's own staff member's code, else the entry's fallback staff member's, else nothing. */
async function fallback(entry: EntryDoc, openid: string): Promise<CommunityOpenResult> {
  const member = await getById<{ staffId?: string | null }>(COLLECTIONS.members, openid);
  const contact = (await contactCardOf(member?.staffId)) ?? (await contactCardOf(entry.fallbackStaffId));
  await getDb()
    .collection(COLLECTIONS.communityEntries)
    .doc(entry._id)
    .update({ data: { fallbacks: getDb().command.inc(1) } });
  if (contact) return { kind: 'contact', entry: cardOf(entry), contact };
  return { kind: 'none', entry: cardOf(entry), message: NOTHING_TO_SHOW };
}

/**
 * What opening the entry would answer a customer who has no group yet, without taking a seat or
 * counting a fallback: for staff to preview.
 */
export async function previewOpen(entry: EntryDoc, now: Date): Promise<CommunityOpenResult> {
  const [group] = givesGroups(entry, now) ? await openGroupsOf([entry._id], now) : [];
  if (group) return groupAnswer(entry, group, false, false);
  const contact = await contactCardOf(entry.fallbackStaffId);
  if (contact) return { kind: 'contact', entry: cardOf(entry), contact };
  return { kind: 'none', entry: cardOf(entry), message: NOTHING_TO_SHOW };
}

export async function openEntry(openid: string, entryId: string, now: Date): Promise<CommunityOpenResult> {
  const key = assignmentIdOf(entryId, openid);
  const [entry, held] = await Promise.all([getById<EntryDoc>(COLLECTIONS.communityEntries, entryId), getById<AssignmentDoc>(COLLECTIONS.communityAssignments, key)]);
  if (!entry) fail('NOT_FOUND', '这个入群码不存在，请向店员确认');

  if (held) {
    const group = await getById<GroupDoc>(COLLECTIONS.communityGroups, held.groupId);
    // Once in, always shown their group (its code may have expired; they do not need it any more).
    if (group && (held.joinedAt || stillHolds(group, now))) return groupAnswer(entry, group, true, !!held.joinedAt);
  }
  if (!givesGroups(entry, now)) return fallback(entry, openid);

  const seat = await takeSeat(await openGroupsOf([entryId], now), now);
  if (!seat) return fallback(entry, openid);

  const assignments = getDb().collection(COLLECTIONS.communityAssignments);
  if (!held) {
    try {
      await assignments.add({ data: { _id: key, entryId, openid, groupId: seat._id, at: now, joinedAt: null } });
      return groupAnswer(entry, seat, false, false);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  } else {
    const moved = await assignments.where({ _id: key, groupId: held.groupId }).update({ data: { groupId: seat._id, at: now } });
    if (moved.stats.updated === 1) return groupAnswer(entry, seat, false, false);
  }
  // Another open of the same customer got there first: its group is theirs, this seat goes back.
  await giveBack(seat);
  const winner = await getById<AssignmentDoc>(COLLECTIONS.communityAssignments, key);
  const group = winner && (await getById<GroupDoc>(COLLECTIONS.communityGroups, winner.groupId));
  if (!group) fail('CONFLICT', '请稍后再试');
  return groupAnswer(entry, group, true, !!winner.joinedAt);
}

/** 「我已入群」: counted once per customer and entry. */
export async function confirmJoined(openid: string, entryId: string, now: Date): Promise<{ joined: true }> {
  const key = assignmentIdOf(entryId, openid);
  const held = await updateOneAndReturn<AssignmentDoc>(COLLECTIONS.communityAssignments, { _id: key, joinedAt: null }, { joinedAt: now });
  if (held) {
    await getDb()
      .collection(COLLECTIONS.communityGroups)
      .doc(held.groupId)
      .update({ data: { joined: getDb().command.inc(1) } });
    return { joined: true };
  }
  if (!(await getById<AssignmentDoc>(COLLECTIONS.communityAssignments, key))) fail('NOT_FOUND', '请先打开入群码，再确认入群');
  return { joined: true };
}
