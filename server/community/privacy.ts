/**
 * Account deletion (members/delete.ts) calls this so no community record keeps the member's openid:
 * their group assignments are removed (the groups' seat counts stay: they are numbers, not people)
 * and their ownership history moves to the anonymous id, re-keyed (history ids carry the member's
 * id): the copy is written before the original goes, so running it again finishes the job.
 */
import { COLLECTIONS } from '../../database/collections';
import { getDb, insertOrGet } from '../runtime/db';
import type { HistoryDoc } from './ownership/model';

export async function anonymiseCommunityTraces(openid: string, anonId: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  await db.collection(COLLECTIONS.communityAssignments).where({ openid }).remove();
  for (;;) {
    const res = await db.collection(COLLECTIONS.ownershipHistory).where({ memberId: openid }).limit(100).get();
    const entries = res.data as HistoryDoc[];
    if (entries.length === 0) return;
    for (const entry of entries) {
      await insertOrGet<HistoryDoc>(COLLECTIONS.ownershipHistory, { ...entry, _id: entry._id.split(openid).join(anonId), memberId: anonId });
    }
    await db.collection(COLLECTIONS.ownershipHistory).where({ _id: _.in(entries.map((e) => e._id)) }).remove();
  }
}
