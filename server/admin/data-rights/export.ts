/**
 * Everything held about one member, for the owner to hand over when a member asks (the member can
 * also export it themselves): the member's own export (profile with the full phone, orders, points,
 * coupons, events) plus every stored record about them, collection by collection, from the one list
 * in members/holdings.ts. Written as one JSON file behind a temporary link; the file is deleted
 * after a day by the admin timer, and at once when the member is erased.
 *
 * Internal keys are left out of the records (ciphertexts, keyed hashes): the export shows what is
 * known, not how it is locked. An order's buyer phone is decrypted for this file only.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { MemberDataExportView } from '../../../typings';
import { open } from '../../members/crypto';
import { MEMBER_HOLDINGS } from '../../members/holdings';
import { iso, type MemberDoc } from '../../members/model';
import { exportMember } from '../../members/profile';
import { audit } from '../../runtime/audit';
import { getById, getDb, insertOrGet } from '../../runtime/db';
import { fail } from '../../runtime/errors';
import { platform } from '../../runtime/platform';

const PAGE = 1000;
/** Per query; a member with more (an event log of years) gets the newest part and a note. */
const CAP = 10_000;
const KEEP_MS = 24 * 3600_000;
const LOCK_KEYS = new Set(['phoneEnc', 'phoneHash', 'last4Check', 'fingerprint', 'enc']);

export interface MemberDataExportDoc {
  _id: string;
  openid: string;
  fileId: string;
  fileName: string;
  counts: Record<string, number>;
  createdBy: string;
  createdAt: Date;
}

async function recordsWhere(collection: string, where: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  while (out.length < CAP) {
    const res = await getDb().collection(collection).where(where).orderBy('_id', 'asc').skip(out.length).limit(PAGE).get();
    out.push(...(res.data as Record<string, unknown>[]));
    if (res.data.length < PAGE) break;
  }
  return out;
}

function unlocked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unlocked);
  if (value instanceof Date) return value.toISOString();
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !LOCK_KEYS.has(k)).map(([k, v]) => [k, unlocked(v)]));
}

function readable(collection: string, doc: Record<string, unknown>): unknown {
  const out = unlocked(doc) as Record<string, unknown>;
  if (collection === COLLECTIONS.orders && typeof doc.phoneEnc === 'string') out.buyerPhone = open(doc.phoneEnc, String(doc._id));
  return out;
}

async function recordsOf(member: MemberDoc): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const holding of MEMBER_HOLDINGS) {
    const byId = new Map<string, Record<string, unknown>>();
    for (const where of holding.where(member)) for (const d of await recordsWhere(holding.collection, where)) byId.set(String(d._id), d);
    out[holding.collection] = [...byId.values()].map((d) => readable(holding.collection, d));
  }
  return out;
}

async function view(doc: MemberDataExportDoc): Promise<MemberDataExportView> {
  return { fileUrl: await platform().fileUrl(doc.fileId), fileName: doc.fileName, counts: doc.counts, exportedAt: iso(doc.createdAt) };
}

export async function exportMemberData(openid: string, actor: string, requestId: string, now: Date): Promise<MemberDataExportView> {
  const id = `md_${createHash('sha256').update(`${actor}\n${requestId}`).digest('hex').slice(0, 20)}`;
  const earlier = await getById<MemberDataExportDoc>(COLLECTIONS.memberDataExports, id);
  if (earlier) return view(earlier);
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  if (!member || member.status !== 'active') fail('NOT_FOUND', '找不到这个会员');
  const [summary, records] = await Promise.all([exportMember(openid, now), recordsOf(member)]);
  const counts = Object.fromEntries(Object.entries(records).map(([k, v]) => [k, v.length]));
  const content = {
    exportedAt: iso(now),
    notice: '本文件含会员的完整手机号等个人信息，仅用于答复会员本人的查询，请勿转发或留存。',
    member: summary,
    records,
  };
  const fileName = `会员数据-${id.slice(3, 11)}.json`;
  const { fileId } = await platform().storeFile(`exports/members/${id}/member-data.json`, Buffer.from(JSON.stringify(content, null, 2), 'utf8'));
  const { doc, created } = await insertOrGet<MemberDataExportDoc>(COLLECTIONS.memberDataExports, { _id: id, openid, fileId, fileName, counts, createdBy: actor, createdAt: now });
  if (created) await audit({ actor, action: 'member.dataExport', target: `${COLLECTIONS.members}/${openid}`, before: null, after: { exportId: id, counts } }, now);
  return view(doc);
}

/** The admin timer's part: files of data exports older than a day are deleted. */
export async function sweepMemberDataExports(now: Date): Promise<number> {
  const db = getDb();
  const _ = db.command;
  const res = await db.collection(COLLECTIONS.memberDataExports).where({ createdAt: _.lt(new Date(now.getTime() - KEEP_MS)) }).limit(100).get();
  const old = res.data as MemberDataExportDoc[];
  if (!old.length) return 0;
  await platform().deleteFiles(old.map((d) => d.fileId));
  await db.collection(COLLECTIONS.memberDataExports).where({ _id: _.in(old.map((d) => d._id)) }).remove();
  return old.length;
}
