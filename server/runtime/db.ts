/**
 * Small helpers over the wx-server-sdk database: recognising CloudBase's errors and the
 * insert-or-read pattern that makes a natural key double as an idempotency check.
 */
import cloud from 'wx-server-sdk';
import type { Database } from './db-types';

export type { Database } from './db-types';

let database: Database | undefined;

/** One database handle per instance, created lazily after `cloud.init`; a missing doc reads as null. */
export function getDb(): Database {
  database ??= (cloud.database as (config: object) => unknown)({ throwOnNotFound: false }) as Database;
  return database;
}

function errText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { errMsg?: unknown; message?: unknown };
    return String(e.errMsg ?? e.message ?? '');
  }
  return String(err);
}

/** CloudBase reports duplicate keys with several codes; the E11000 text is what they share. */
export function isDuplicateKey(err: unknown): boolean {
  return /E11000|duplicate key/i.test(errText(err));
}

/**
 * Inserts `doc` under `_id`, or returns the document already stored there. The unique `_id` makes a
 * retried or concurrent call land on the same document instead of a second one.
 */
export async function insertOrGet<T extends { _id: string }>(
  collection: string,
  doc: T,
): Promise<{ doc: T; created: boolean }> {
  const db = getDb();
  try {
    const { _id, ...data } = doc;
    await db.collection(collection).add({ data: { _id, ...data } });
    return { doc, created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await getById<T>(collection, doc._id);
    if (!existing) throw err;
    return { doc: existing, created: false };
  }
}

export async function getById<T>(collection: string, id: string): Promise<T | null> {
  const res = await getDb().collection(collection).doc(id).get();
  return (res.data as T | null) ?? null;
}
