/**
 * One worker at a time on a stepped job (the segment recompute, a segment export): a lease on the
 * job's own document, taken with one conditional write. A crashed worker's lease runs out by itself
 * (a little after the function's 60 s timeout); every progress write is conditional on the holder.
 */
import { getDb } from '../runtime/db';
import { randomToken } from '../runtime/signing';

export const LEASE_MS = 70_000;
export const RELEASED = new Date(0);

/** The holder token, or null when someone else holds the lease (or `where` no longer matches). */
export async function takeLease(collection: string, id: string, now: Date, where: Record<string, unknown> = {}): Promise<string | null> {
  const _ = getDb().command;
  const holder = randomToken(12);
  const res = await getDb()
    .collection(collection)
    .where({ _id: id, ...where, leaseUntil: _.lt(now) })
    .update({ data: { leaseId: holder, leaseUntil: new Date(now.getTime() + LEASE_MS) } });
  return res.stats.updated === 1 ? holder : null;
}

export async function releaseLease(collection: string, id: string, holder: string): Promise<void> {
  await getDb().collection(collection).where({ _id: id, leaseId: holder }).update({ data: { leaseUntil: RELEASED } });
}
