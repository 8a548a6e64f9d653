/** Shared steps of the community stories: a store with staff, entries with groups, members in bulk. */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import type { CommunityTimerReport } from '../../server/community/timer';
import type { ApiResult, CommunityEntryInput, CommunityEntryView, CommunityGroupInput, CommunityGroupView } from '../../typings';
import { ok, rid, type TestRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';

export interface Store {
  owner: string;
  admin: string;
  clerks: string[];
}

/** An owner, an admin and `clerks` clerks, all active. */
export async function openStore(t: TestRuntime, clerks = 2): Promise<Store> {
  const owner = await makeOwner(t);
  const admin = await makeStaff(t, owner, 'admin-1', 'admin');
  const ids: string[] = [];
  for (let i = 1; i <= clerks; i++) ids.push(await makeStaff(t, owner, `clerk-${i}`, 'clerk'));
  return { owner, admin, clerks: ids };
}

export async function createEntry(t: TestRuntime, admin: string, overrides: Partial<CommunityEntryInput> = {}): Promise<CommunityEntryView> {
  return ok(await t.call(admin, 'community', 'community.entry.create', { name: '龙井包裹卡 3 月', purpose: 'card_batch', ...overrides }, rid('entry')));
}

export async function addGroup(
  t: TestRuntime,
  admin: string,
  entryId: string,
  name: string,
  overrides: Partial<Omit<CommunityGroupInput, 'entryId' | 'name'>> = {},
): Promise<CommunityGroupView> {
  return ok(
    await t.call(
      admin,
      'community',
      'community.group.add',
      { entryId, name, qrFileId: `cloud://env-1/community/${encodeURIComponent(name)}.png`, ...overrides },
      rid('group'),
    ),
  );
}

/** Fires the community function's timer, as CloudBase does on its cron, and reads its report. */
export async function fireTimer(t: TestRuntime): Promise<CommunityTimerReport> {
  return ok((await t.rt.fireTimer('community')) as ApiResult<CommunityTimerReport>);
}

export async function setContact(t: TestRuntime, staffId: string, kind: 'wechat' | 'wecom' = 'wecom'): Promise<void> {
  ok(await t.call(staffId, 'community', 'community.contact.set', { qrFileId: `cloud://env-1/contacts/${staffId}.png`, kind, note: '添加时请备注：会员' }, rid('contact')));
}

/** A member as sign-up writes one, with every field, so a test can see that nothing else changes. */
export function memberDoc(openid: string, i: number, fields: { staffId?: string | null; inviter?: string | null; batchId?: string | null; joinedAt?: Date } = {}) {
  const joinedAt = fields.joinedAt ?? new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return {
    _id: openid,
    unionid: null,
    status: 'active',
    joinedAt,
    nickname: `会员${i}`,
    avatar: null,
    birthday: i % 7 === 0 ? '1990-05-0' + ((i % 9) + 1) : null,
    phone: { enc: `enc-${i}`, countryCode: '86' },
    phoneHash: `hash-${i}`,
    phoneMasked: '138****' + String(1000 + (i % 9000)),
    phoneIsDevelopment: true,
    privacy: { version: '2026-01', acceptedAt: joinedAt },
    attribution: {
      source: fields.batchId ? 'card' : 'direct',
      channel: fields.batchId ? 'taobao' : null,
      batchId: fields.batchId ?? null,
      serial: fields.batchId ? i : null,
      inviter: fields.inviter ?? null,
      at: joinedAt,
    },
    staffId: fields.staffId === undefined ? null : fields.staffId,
    joinRequestId: `join-${i}`,
    points: i % 50,
    stats: { orders: i % 4, spentFen: (i % 4) * 12800, lastOrderAt: i % 4 ? joinedAt : null },
    segments: i % 4 ? ['buyer'] : [],
    tags: i % 3 === 0 ? ['重度用户'] : [],
    bindGuard: null,
    updatedAt: joinedAt,
  };
}

/** Puts `count` members in place with batch writes (sign-up itself is the membership area's). */
export async function seedMembers(count: number, prefix: string, fields: Parameters<typeof memberDoc>[2] = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const docs = Array.from({ length: Math.min(500, count - start) }, (_, k) => memberDoc(`${prefix}-${start + k}`, start + k, fields));
    await getDb().collection(COLLECTIONS.members).add({ data: docs });
    ids.push(...docs.map((d) => d._id));
  }
  return ids;
}

/** Members of a staff member, counted in the database. */
export async function membersWith(staffId: string | null): Promise<number> {
  return (await getDb().collection(COLLECTIONS.members).where({ staffId }).count()).total;
}

/** Assignments per group, counted from the assignment documents. */
export async function assignmentsPerGroup(entryId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let skip = 0; ; skip += 1000) {
    const res = await getDb().collection(COLLECTIONS.communityAssignments).where({ entryId }).orderBy('_id', 'asc').skip(skip).limit(1000).get();
    for (const a of res.data as { groupId: string }[]) out.set(a.groupId, (out.get(a.groupId) ?? 0) + 1);
    if (res.data.length < 1000) return out;
  }
}

export async function outbox(): Promise<{ toOpenid: string; dedupeKey: string; data: Record<string, { value: string }>; page: string }[]> {
  const res = await getDb().collection(COLLECTIONS.outbox).limit(1000).get();
  return res.data as never;
}

export async function auditOf(action: string): Promise<{ actor: string; target: string; before: unknown; after: unknown; reason?: string }[]> {
  const res = await getDb().collection(COLLECTIONS.auditLog).where({ action }).limit(1000).get();
  return res.data as never;
}
