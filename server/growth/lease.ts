/**
 * One worker at a time on a timer's job: a lease on the job's own document, taken with one
 * conditional write. A crashed worker's lease runs out on its own (it outlives the function's 60 s
 * timeout by a little), so the next timer takes over; a worker that lost its lease cannot write
 * progress, because every progress write is conditional on holding it.
 */
import { getDb } from '../runtime/db';
import { randomToken } from '../runtime/signing';

export const LEASE_MS = 70_000;
/** What a released (or never taken) lease reads as. */
export const RELEASED = new Date(0);

export interface LeaseFields {
  leaseUntil: Date;
  leaseHolder: string | null;
}

/** The holder token when taken; null when someone else holds it. `data` is written in the same write. */
export async function takeLease(
  collection: string,
  id: string,
  now: Date,
  options: { where?: Record<string, unknown>; data?: Record<string, unknown> } = {},
): Promise<string | null> {
  const _ = getDb().command;
  const holder = randomToken(12);
  const res = await getDb()
    .collection(collection)
    .where({ _id: id, ...options.where, leaseUntil: _.lt(now) })
    .update({ data: { ...options.data, leaseUntil: new Date(now.getTime() + LEASE_MS), leaseHolder: holder } });
  return res.stats.updated === 1 ? holder : null;
}

/** Writes `data` only while `holder` still holds the lease; false when it was lost. */
export async function writeHolding(collection: string, id: string, holder: string, data: Record<string, unknown>): Promise<boolean> {
  const res = await getDb().collection(collection).where({ _id: id, leaseHolder: holder }).update({ data });
  return res.stats.updated === 1;
}
