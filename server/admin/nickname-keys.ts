/**
 * Members who joined before `nicknameKey` existed get it here, once. The admin timer walks the
 * members by `_id` from a cursor kept in `adminState`, a page at a time while its budget lasts, and
 * records when it reached the end; from then on a run costs one read. New members and changed
 * nicknames carry the key from their own write (join, profile); the write here is conditional on
 * the nickname it read, so it never puts back an older name's key.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { type MemberDoc, nicknameKey } from '../members/model';
import { getById, getDb } from '../runtime/db';

export const NICKNAME_KEYS_ID = 'nicknameKeys';
const PAGE = 500;

export interface NicknameKeysDoc {
  _id: typeof NICKNAME_KEYS_ID;
  /** Members up to this `_id` carry their key ('' once done). */
  cursor: string;
  done: boolean;
  updatedAt: Date;
}

/** `deadline`: performance.now() to stop by; one page is always taken. */
export async function backfillNicknameKeys(now: Date, deadline: number): Promise<{ members: number; done: boolean }> {
  const state = await getById<NicknameKeysDoc>(COLLECTIONS.adminState, NICKNAME_KEYS_ID);
  if (state?.done) return { members: 0, done: true };
  const db = getDb();
  const _ = db.command;
  let cursor = state?.cursor ?? '';
  let members = 0;
  for (let page = 0; page === 0 || performance.now() < deadline; page++) {
    const res = await db.collection(COLLECTIONS.members).where({ _id: _.gt(cursor) }).orderBy('_id', 'asc').limit(PAGE).field({ nickname: true, nicknameKey: true }).get();
    const docs = res.data as Pick<MemberDoc, '_id' | 'nickname' | 'nicknameKey'>[];
    for (const m of docs) {
      const key = nicknameKey(m.nickname ?? '');
      if (m.nicknameKey === key) continue;
      const written = await db.collection(COLLECTIONS.members).where({ _id: m._id, nickname: m.nickname }).update({ data: { nicknameKey: key } });
      members += written.stats.updated;
    }
    if (docs.length) cursor = docs[docs.length - 1]._id;
    const done = docs.length < PAGE;
    // The cursor is a member's openid: once done it is dropped, so an erased member leaves no trace here.
    await db.collection(COLLECTIONS.adminState).doc(NICKNAME_KEYS_ID).set({ data: { cursor: done ? '' : cursor, done, updatedAt: now } });
    if (done) return { members, done };
  }
  return { members, done: false };
}
