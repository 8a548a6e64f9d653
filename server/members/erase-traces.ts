/**
 * Account deletion (delete.ts) calls this after the areas' own clean-up, for records that mention the
 * member but belong to other parts of the store. Each step can run again.
 *
 * - Orders: the sales stay (amount, time, product, order number), the buyer's phone goes (ciphertext,
 *   keyed hash, masked number) on orders bound to the member and on orders imported with their
 *   phone; so they also drop out of 潜力买家, whose rollup of that phone is removed at once.
 * - Group-buys: the member's seat keeps its place under the anonymous id, without name or avatar;
 *   their join records are re-keyed (their ids carry the openid), the copy written first.
 * - Audit entries about the member are re-targeted to the tombstone, their before/after cleared.
 * - Messages queued to them and staff-made data exports of them (the files too) are removed.
 * - A timer pass whose cursor rests on them (their openid, their phone's hash) steps back to the key
 *   before: nothing lies between, so the pass loses no work.
 *
 * The invite records, leaderboards and invite events that name them are growth's (growth/privacy.ts):
 * they keep the member under a keyed pseudonym, so a re-registration earns no second reward and an
 * invite loop through a deleted and re-joined account is still recognised.
 */
import { COLLECTIONS } from '../../database/collections';
import type { GroupDoc, JoinDoc } from '../groupbuy/model';
import { PROSPECT_PASS_ID } from '../admin/prospects/rollup';
import { PASS_ID as SEGMENT_PASS_ID } from '../admin/state';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { platform } from '../runtime/platform';
import type { MemberDoc } from './model';

const PAGE = 100;
export const ERASED_NAME = '已注销用户';

/** Documents matching `where`, a page at a time, until none is left (each page is changed away). */
async function drain<T>(collection: string, where: object, settle: (docs: T[]) => Promise<void>): Promise<void> {
  for (;;) {
    const res = await getDb().collection(collection).where(where).limit(PAGE).get();
    if (res.data.length === 0) return;
    await settle(res.data as T[]);
  }
}

async function forgetBuyerPhone(phoneHash: string, anonId: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  const stripped = { phoneEnc: null, phoneHash: null, phoneMasked: '已删除' };
  await db.collection(COLLECTIONS.orders).where({ phoneHash }).update({ data: stripped });
  await db.collection(COLLECTIONS.orders).where({ boundTo: anonId, phoneMasked: _.neq('已删除') }).update({ data: stripped });
  await db.collection(COLLECTIONS.prospects).where({ _id: phoneHash }).remove();
}

const swap = (value: string, openid: string, anonId: string): string => value.split(openid).join(anonId);

async function anonymiseGroupBuys(openid: string, anonId: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  await drain<GroupDoc>(COLLECTIONS.groupBuys, { 'members.openid': openid }, async (groups) => {
    for (const g of groups) {
      const members = g.members.map((m) => (m.openid === openid ? { ...m, openid: anonId, nickname: ERASED_NAME, avatar: null } : m));
      const awards = g.awards.map((a) => (a.openid === openid ? { ...a, openid: anonId } : a));
      const refusals = g.refusals.map((r) => (r.openid === openid ? { ...r, openid: anonId } : r));
      await db
        .collection(COLLECTIONS.groupBuys)
        .doc(g._id)
        .update({ data: { members: _.set(members), awards: _.set(awards), refusals: _.set(refusals), ...(g.leader === openid ? { leader: anonId } : {}) } });
    }
  });
  await drain<JoinDoc>(COLLECTIONS.groupBuyJoins, { openid }, async (joins) => {
    for (const j of joins) {
      await insertOrGet<JoinDoc>(COLLECTIONS.groupBuyJoins, { ...j, _id: swap(j._id, openid, anonId), openid: anonId, capKey: swap(j.capKey, openid, anonId), openKey: swap(j.openKey, openid, anonId) });
    }
    await db.collection(COLLECTIONS.groupBuyJoins).where({ _id: _.in(joins.map((j) => j._id)) }).remove();
  });
}

async function forgetStaffRecords(openid: string, anonId: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  await db
    .collection(COLLECTIONS.auditLog)
    .where({ target: `${COLLECTIONS.members}/${openid}` })
    .update({ data: { target: `${COLLECTIONS.memberTombstones}/${anonId}`, before: null, after: null } });
  // Staff assignments list the members they moved.
  await drain<{ _id: string; before: unknown }>(COLLECTIONS.auditLog, { 'before.members.openid': openid }, async (entries) => {
    for (const e of entries) {
      await db.collection(COLLECTIONS.auditLog).doc(e._id).update({ data: { before: _.set(JSON.parse(swap(JSON.stringify(e.before), openid, anonId))) } });
    }
  });
  await db.collection(COLLECTIONS.outbox).where({ toOpenid: openid }).remove();
  await drain<{ _id: string; fileId: string }>(COLLECTIONS.memberDataExports, { openid }, async (exports) => {
    await platform().deleteFiles(exports.map((e) => e.fileId));
    await db.collection(COLLECTIONS.memberDataExports).where({ _id: _.in(exports.map((e) => e._id)) }).remove();
  });
}

async function rewindCursor(stateId: string, collection: string, field: string, value: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  const state = await getById<{ cursor?: string }>(COLLECTIONS.adminState, stateId);
  if (state?.cursor !== value) return;
  const res = await db.collection(collection).where({ [field]: _.lt(value) }).orderBy(field, 'desc').limit(1).field({ [field]: true }).get();
  const [before] = res.data as Record<string, string>[];
  await db.collection(COLLECTIONS.adminState).where({ _id: stateId, cursor: value }).update({ data: { cursor: before?.[field] ?? '' } });
}

export async function eraseRemainingTraces(member: MemberDoc, anonId: string): Promise<void> {
  if (member.phoneHash) await forgetBuyerPhone(member.phoneHash, anonId);
  await anonymiseGroupBuys(member._id, anonId);
  await forgetStaffRecords(member._id, anonId);
  await rewindCursor(SEGMENT_PASS_ID, COLLECTIONS.members, '_id', member._id);
  if (member.phoneHash) await rewindCursor(PROSPECT_PASS_ID, COLLECTIONS.orders, 'phoneHash', member.phoneHash);
}
