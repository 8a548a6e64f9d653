/** Campaigns are listed newest first across kinds, by their creation time. */
import { getDb } from '../../runtime/db';

function createdBefore(before: Date | null): Record<string, unknown> {
  return before ? { createdAt: getDb().command.lt(before) } : {};
}

/** At most `limit` documents of `collection` created before `before` (all when null), newest first; `where` narrows them. */
export async function newestFirst<T>(collection: string, before: Date | null, limit: number, where: Record<string, unknown> = {}): Promise<T[]> {
  const res = await getDb()
    .collection(collection)
    .where({ ...where, ...createdBefore(before) })
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .get();
  return res.data as T[];
}
