/**
 * The names the dashboard shows beside its numbers (batch products and sizes, staff names), kept in
 * the snapshot by the admin timer so opening the dashboard reads no batch or staff documents.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardBatchDoc } from '../cards/model';
import { getDb } from '../runtime/db';
import type { StaffDoc } from '../runtime/staff-guard';
import { type BatchLabel, BLANK_SNAPSHOT, readSnapshot, saveState, SNAPSHOT_ID } from './state';

/** Batches the dashboard can name (the newest; older ones show their id). */
export const LABELLED_BATCHES = 200;

export async function refreshLabels(now: Date): Promise<{ changed: boolean }> {
  const db = getDb();
  const [batches, staff, snapshot] = await Promise.all([
    db.collection(COLLECTIONS.cardBatches).orderBy('createdAt', 'desc').limit(LABELLED_BATCHES).field({ product: true, channel: true, quantity: true }).get(),
    db.collection(COLLECTIONS.staff).limit(1000).field({ name: true }).get(),
    readSnapshot(),
  ]);
  const next = {
    batches: (batches.data as Pick<CardBatchDoc, '_id' | 'product' | 'channel' | 'quantity'>[]).map((b): BatchLabel => ({ id: b._id, product: b.product, channel: b.channel, quantity: b.quantity })),
    staff: (staff.data as Pick<StaffDoc, '_id' | 'name'>[]).map((s) => ({ id: s._id, name: s.name })).sort((a, b) => a.id.localeCompare(b.id)),
  };
  if (snapshot && JSON.stringify(snapshot.batches) === JSON.stringify(next.batches) && JSON.stringify(snapshot.staff) === JSON.stringify(next.staff)) return { changed: false };
  await saveState(SNAPSHOT_ID, { ...next, labelsAt: now }, BLANK_SNAPSHOT);
  return { changed: true };
}
