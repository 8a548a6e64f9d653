/** Customers holding a seat, counted from their assignment documents (the truth behind `taken`). */
import { COLLECTIONS } from '../../database/collections';
import type { CommunityGroupView } from '../../typings';
import { getDb } from '../runtime/db';
import { type GroupDoc, toGroupView } from './model';

/** Holders per group of one entry, in one aggregation. */
export async function holdersOf(entryId: string): Promise<Map<string, number>> {
  const db = getDb();
  const res = await db
    .collection(COLLECTIONS.communityAssignments)
    .aggregate()
    .match({ entryId })
    .group({ _id: '$groupId', n: db.command.aggregate.sum(1) })
    .limit(1000)
    .end();
  return new Map((res.list as { _id: string; n: number }[]).map((row) => [row._id, row.n]));
}

/** One group's view, with its holders counted. */
export async function groupView(group: GroupDoc, now: Date): Promise<CommunityGroupView> {
  const { total } = await getDb().collection(COLLECTIONS.communityAssignments).where({ groupId: group._id }).count();
  return toGroupView(group, now, total);
}
