/**
 * Groups behind an entry: staff add one per WeChat group (its QR image, expiry and capacity), put a
 * fresh QR image on it when the old one expires, take it out of the rotation, and correct its count.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CommunityGroupInput, CommunityGroupUpdate, CommunityGroupView } from '../../typings';
import { audit } from '../runtime/audit';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { fail } from '../runtime/errors';
import { loadEntry } from './entries';
import { DEFAULT_CAPACITY, type GroupDoc, groupIdFor, QR_VALID_MS, type StaffCall } from './model';
import { groupView } from './holders';

/** Small allowance for the phone's clock against ours when staff pick the longest validity. */
const CLOCK_SLACK_MS = 5 * 60_000;

export async function loadGroup(groupId: string): Promise<GroupDoc> {
  const group = await getById<GroupDoc>(COLLECTIONS.communityGroups, groupId);
  if (!group) fail('NOT_FOUND', '找不到这个群');
  return group;
}

/** The QR code's end: given (within the next 7 days) or 7 days from now. */
function expiryOf(given: string | undefined, now: Date): Date {
  if (given === undefined) return new Date(now.getTime() + QR_VALID_MS);
  const at = new Date(given);
  if (at.getTime() <= now.getTime()) fail('INVALID_INPUT', undefined, [{ path: 'payload.expiresAt', message: '这个二维码已经过期，请在群里重新生成后上传' }]);
  if (at.getTime() > now.getTime() + QR_VALID_MS + CLOCK_SLACK_MS) {
    fail('INVALID_INPUT', undefined, [{ path: 'payload.expiresAt', message: '微信群二维码最多 7 天有效，过期时间不能超过 7 天后' }]);
  }
  return at;
}

async function nextPriority(entryId: string): Promise<number> {
  const res = await getDb().collection(COLLECTIONS.communityGroups).where({ entryId }).orderBy('priority', 'desc').limit(1).get();
  const [last] = res.data as GroupDoc[];
  return last ? Math.min(9999, last.priority + 1) : 0;
}

export async function addGroup(call: StaffCall, input: CommunityGroupInput): Promise<CommunityGroupView> {
  const id = groupIdFor(input.entryId, call.openid, call.requestId);
  const known = await getById<GroupDoc>(COLLECTIONS.communityGroups, id);
  if (known) return groupView(known, call.now);
  const entry = await loadEntry(input.entryId);
  if (entry.status === 'archived') fail('CONFLICT', '这个入口已停用，请先恢复再添加群');
  const group: GroupDoc = {
    _id: id,
    entryId: entry._id,
    name: input.name,
    qrFileId: input.qrFileId,
    expiresAt: expiryOf(input.expiresAt, call.now),
    capacity: input.capacity ?? DEFAULT_CAPACITY,
    taken: 0,
    assigned: 0,
    joined: 0,
    priority: input.priority ?? (await nextPriority(entry._id)),
    status: 'active',
    counted: null,
    createdAt: call.now,
    createdBy: call.openid,
    requestId: call.requestId,
    updatedAt: call.now,
  };
  const { doc, created } = await insertOrGet(COLLECTIONS.communityGroups, group);
  if (created) {
    const { _id, ...after } = group;
    await audit({ actor: call.openid, action: 'community.group.add', target: `${COLLECTIONS.communityGroups}/${_id}`, before: null, after }, call.now);
  }
  return groupView(doc, call.now);
}

export async function updateGroup(call: StaffCall, input: CommunityGroupUpdate): Promise<CommunityGroupView> {
  const group = await loadGroup(input.groupId);
  const patch: Partial<GroupDoc> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.capacity !== undefined) patch.capacity = input.capacity;
  if (input.priority !== undefined) patch.priority = input.priority;
  if (input.status !== undefined) patch.status = input.status;
  if (input.qrFileId !== undefined) patch.qrFileId = input.qrFileId;
  // A new QR image is a new 7 days; a new expiry alone corrects the one staff typed.
  if (input.qrFileId !== undefined || input.expiresAt !== undefined) patch.expiresAt = expiryOf(input.expiresAt, call.now);
  const changed = (Object.keys(patch) as (keyof GroupDoc)[]).filter((k) => String(patch[k]) !== String(group[k]));
  if (changed.length === 0) return groupView(group, call.now);

  // Only the fields staff changed are written: seats taken meanwhile ($inc on `taken`) stay counted.
  await getDb()
    .collection(COLLECTIONS.communityGroups)
    .doc(group._id)
    .update({ data: { ...patch, updatedAt: call.now } });
  const before = Object.fromEntries(changed.map((k) => [k, group[k]]));
  const after = Object.fromEntries(changed.map((k) => [k, patch[k]]));
  await audit({ actor: call.openid, action: 'community.group.update', target: `${COLLECTIONS.communityGroups}/${group._id}`, before, after }, call.now);
  return groupView({ ...group, ...patch, updatedAt: call.now }, call.now);
}

/**
 * Staff counted the real group (WeChat shows its member count): that count becomes the seats taken,
 * so members who came in by other ways (a friend's invite) leave less room for the live code.
 * Confirming the same count just records that someone looked.
 */
export async function countGroup(call: StaffCall, groupId: string, memberCount: number, note: string | undefined): Promise<CommunityGroupView> {
  const group = await loadGroup(groupId);
  const counted = { count: memberCount, at: call.now, by: call.openid };
  await getDb()
    .collection(COLLECTIONS.communityGroups)
    .doc(group._id)
    // `_.set`: replaces the sub-document whole (an update would merge into the stored null and fail).
    .update({ data: { taken: memberCount, counted: getDb().command.set(counted), updatedAt: call.now } });
  await audit(
    {
      actor: call.openid,
      action: memberCount === group.taken ? 'community.group.confirmCount' : 'community.group.correctCount',
      target: `${COLLECTIONS.communityGroups}/${group._id}`,
      before: { taken: group.taken, counted: group.counted },
      after: { taken: memberCount, counted },
      ...(note ? { reason: note } : {}),
    },
    call.now,
  );
  return groupView({ ...group, taken: memberCount, counted, updatedAt: call.now }, call.now);
}
