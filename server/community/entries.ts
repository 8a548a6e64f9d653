/** Entries (one permanent live code per purpose): making, changing, listing them with their numbers. */
import { COLLECTIONS } from '../../database/collections';
import type { CommunityEntryInput, CommunityEntryStats, CommunityEntryStatus, CommunityEntryView, CommunityGroupView } from '../../typings';
import { audit } from '../runtime/audit';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { fail } from '../runtime/errors';
import { isoOrNull, startChangeIssue, toDate, windowIssues } from '../runtime/schedule';
import { findActiveStaff } from '../runtime/staff-guard';
import { holdersOf } from './holders';
import { type EntryDoc, entryIdFor, entryPath, type GroupDoc, groupState, iso, rotationOrder, type StaffCall, toGroupView } from './model';

export type EntryUpdate = Partial<CommunityEntryInput> & { entryId: string; status?: CommunityEntryStatus };

export async function loadEntry(entryId: string): Promise<EntryDoc> {
  const entry = await getById<EntryDoc>(COLLECTIONS.communityEntries, entryId);
  if (!entry) fail('NOT_FOUND', '找不到这个社群入口');
  return entry;
}

async function checkFallbackStaff(staffId: string | null | undefined): Promise<void> {
  if (!staffId) return;
  if (!(await findActiveStaff(staffId))) fail('INVALID_INPUT', undefined, [{ path: 'payload.fallbackStaffId', message: '找不到这位员工，或已停用' }]);
}

export async function createEntry(call: StaffCall, input: CommunityEntryInput): Promise<CommunityEntryView> {
  const id = entryIdFor(call.openid, call.requestId);
  const known = await getById<EntryDoc>(COLLECTIONS.communityEntries, id);
  if (known) return (await entryViews([known], call.now))[0];
  await checkFallbackStaff(input.fallbackStaffId);
  const window = { startsAt: toDate(input.startsAt), endsAt: toDate(input.endsAt) };
  const issues = windowIssues(window, call.now);
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  const entry: EntryDoc = {
    _id: id,
    name: input.name,
    purpose: input.purpose,
    ref: input.ref || null,
    welcome: input.welcome ?? '',
    status: 'active',
    fallbackStaffId: input.fallbackStaffId ?? null,
    ...window,
    fallbacks: 0,
    createdAt: call.now,
    createdBy: call.openid,
    requestId: call.requestId,
    updatedAt: call.now,
  };
  const { doc, created } = await insertOrGet(COLLECTIONS.communityEntries, entry);
  if (created) {
    const { _id, ...after } = entry;
    await audit({ actor: call.openid, action: 'community.entry.create', target: `${COLLECTIONS.communityEntries}/${_id}`, before: null, after }, call.now);
  }
  return (await entryViews([doc], call.now))[0];
}

export async function updateEntry(call: StaffCall, input: EntryUpdate): Promise<CommunityEntryView> {
  const entry = await loadEntry(input.entryId);
  if (input.fallbackStaffId !== undefined) await checkFallbackStaff(input.fallbackStaffId);
  const patch: Partial<EntryDoc> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.purpose !== undefined) patch.purpose = input.purpose;
  if (input.ref !== undefined) patch.ref = input.ref || null;
  if (input.welcome !== undefined) patch.welcome = input.welcome;
  if (input.fallbackStaffId !== undefined) patch.fallbackStaffId = input.fallbackStaffId;
  if (input.status !== undefined) patch.status = input.status;
  if (input.startsAt !== undefined || input.endsAt !== undefined) Object.assign(patch, scheduleOf(entry, input, call.now));
  const changed = (Object.keys(patch) as (keyof EntryDoc)[]).filter((k) => !sameValue(patch[k], entry[k]));
  if (changed.length === 0) return (await entryViews([entry], call.now))[0];
  await getDb()
    .collection(COLLECTIONS.communityEntries)
    .doc(entry._id)
    .update({ data: { ...patch, updatedAt: call.now } });
  await audit(
    {
      actor: call.openid,
      action: 'community.entry.update',
      target: `${COLLECTIONS.communityEntries}/${entry._id}`,
      before: Object.fromEntries(changed.map((k) => [k, entry[k]])),
      after: Object.fromEntries(changed.map((k) => [k, patch[k]])),
    },
    call.now,
  );
  return (await entryViews([{ ...entry, ...patch, updatedAt: call.now }], call.now))[0];
}

const sameValue = (a: unknown, b: unknown): boolean => (a instanceof Date || b instanceof Date ? isoOrNull(a as Date) === isoOrNull(b as Date) : a === b);

/** The new window, checked: a start moves only while it is ahead. */
function scheduleOf(entry: EntryDoc, input: EntryUpdate, now: Date): Pick<EntryDoc, 'startsAt' | 'endsAt'> {
  const startsAt = input.startsAt !== undefined ? toDate(input.startsAt) : (entry.startsAt ?? null);
  const endsAt = input.endsAt !== undefined ? toDate(input.endsAt) : (entry.endsAt ?? null);
  const moved = input.startsAt !== undefined ? startChangeIssue(entry.startsAt, startsAt, now) : null;
  const issues = [...(moved ? [moved] : []), ...windowIssues({ startsAt, endsAt }, now)];
  if (issues.length) fail('INVALID_INPUT', undefined, issues);
  return { startsAt, endsAt };
}

export async function listEntries(status: CommunityEntryStatus | undefined, now: Date): Promise<CommunityEntryView[]> {
  const res = await getDb()
    .collection(COLLECTIONS.communityEntries)
    .where(status ? { status } : {})
    .orderBy('createdAt', 'desc')
    .limit(100)
    .get();
  return entryViews(res.data as EntryDoc[], now);
}

/** The entry with its groups: those given out first (in rotation order), then the rest, newest first. */
export async function entryDetail(entryId: string, now: Date): Promise<{ entry: CommunityEntryView; groups: CommunityGroupView[] }> {
  const entry = await loadEntry(entryId);
  const res = await getDb().collection(COLLECTIONS.communityGroups).where({ entryId }).orderBy('createdAt', 'desc').limit(100).get();
  const groups = res.data as GroupDoc[];
  const open = groups.filter((g) => groupState(g, now) === 'open').sort(rotationOrder);
  const rest = groups.filter((g) => groupState(g, now) !== 'open');
  const [[view], holders] = await Promise.all([entryViews([entry], now), holdersOf(entryId)]);
  return { entry: view, groups: await Promise.all([...open, ...rest].map((g) => toGroupView(g, now, holders.get(g._id) ?? 0))) };
}

/** Open groups (valid, with room) of some entries, in rotation order. */
export async function openGroupsOf(entryIds: string[], now: Date): Promise<GroupDoc[]> {
  if (entryIds.length === 0) return [];
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.communityGroups)
    .where({ entryId: entryIds.length === 1 ? entryIds[0] : _.in(entryIds), status: 'active', expiresAt: _.gt(now) })
    .limit(1000)
    .get();
  return (res.data as GroupDoc[]).filter((g) => g.taken < g.capacity).sort(rotationOrder);
}

interface Totals {
  groups: number;
  assigned: number;
  joined: number;
}

/** Customers sent and joined over all of each entry's groups, in one aggregation. */
async function totalsOf(entryIds: string[]): Promise<Map<string, Totals>> {
  const out = new Map<string, Totals>(entryIds.map((id) => [id, { groups: 0, assigned: 0, joined: 0 }]));
  if (entryIds.length === 0) return out;
  const db = getDb();
  const _ = db.command;
  const $ = _.aggregate;
  const res = await db
    .collection(COLLECTIONS.communityGroups)
    .aggregate()
    .match({ entryId: _.in(entryIds) })
    .group({ _id: { e: '$entryId', s: '$status' }, n: $.sum(1), assigned: $.sum('$assigned'), joined: $.sum('$joined') })
    .limit(entryIds.length * 2 + 10)
    .end();
  for (const row of res.list as { _id: { e: string; s: string }; n: number; assigned: number; joined: number }[]) {
    const t = out.get(row._id.e);
    if (!t) continue;
    if (row._id.s !== 'retired') t.groups += row.n;
    t.assigned += row.assigned;
    t.joined += row.joined;
  }
  return out;
}

function statsOf(entry: EntryDoc, totals: Totals, open: GroupDoc[]): CommunityEntryStats {
  const until = open.reduce<number | null>((max, g) => Math.max(max ?? 0, new Date(g.expiresAt).getTime()), null);
  return {
    groups: totals.groups,
    openGroups: open.length,
    seatsLeft: open.reduce((n, g) => n + (g.capacity - g.taken), 0),
    assigned: totals.assigned,
    joined: totals.joined,
    fallbacks: entry.fallbacks,
    openUntil: until === null ? null : new Date(until).toISOString(),
    current: entry.status === 'active' && open[0] ? { id: open[0]._id, name: open[0].name } : null,
  };
}

export async function entryViews(entries: EntryDoc[], now: Date): Promise<CommunityEntryView[]> {
  const ids = entries.map((e) => e._id);
  const [totals, open] = await Promise.all([totalsOf(ids), openGroupsOf(ids, now)]);
  return entries.map((e) => ({
    id: e._id,
    name: e.name,
    purpose: e.purpose,
    ref: e.ref,
    welcome: e.welcome,
    status: e.status,
    fallbackStaffId: e.fallbackStaffId,
    startsAt: isoOrNull(e.startsAt),
    endsAt: isoOrNull(e.endsAt),
    path: entryPath(e._id),
    scene: e._id,
    stats: statsOf(e, totals.get(e._id)!, open.filter((g) => g.entryId === e._id)),
    createdAt: iso(e.createdAt),
  }));
}
