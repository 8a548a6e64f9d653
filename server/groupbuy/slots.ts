/**
 * The campaign-wide cap on groups, as stock: a campaign with maxGroups has that many free slot
 * documents `<campaignId>_<n>`, created with the campaign. Opening a group takes one with ONE
 * conditional write (`where({ campaignId, state: 'free' }).updateAndReturn(...)`, the way coupon
 * stock is taken), so a burst of openers neither exceeds the cap nor queues on a counter.
 *
 * The slot records the group it was taken for under a unique index (`holder`; free slots hold
 * `free:<_id>` because a unique index treats a missing field as null): a retried open (same
 * request, same group id) meets the duplicate and knows it already holds its slot.
 */
import { COLLECTIONS } from '../../database/collections';
import { updateOneAndReturn } from '../coupons/atomic';
import { getById, getDb, isDuplicateKey } from '../runtime/db';

const BATCH = 500;

export interface GroupSlotDoc {
  _id: string;
  campaignId: string;
  state: 'free' | 'taken';
  /** The group that took it, or `free:<_id>`. */
  holder: string;
  createdAt: Date;
  takenAt?: Date;
}

const slots = () => getDb().collection(COLLECTIONS.groupBuySlots);

function freeSlot(campaignId: string, n: number, at: Date, tag: string): GroupSlotDoc {
  const _id = tag ? `${campaignId}_${tag}_${n}` : `${campaignId}_${n}`;
  return { _id, campaignId, state: 'free', holder: `free:${_id}`, createdAt: at };
}

/**
 * Creates slots 1..count (a top-up names its own series with `tag`, derived from its request); a
 * retry after a crash keeps the ones already there.
 */
export async function createGroupSlots(campaignId: string, count: number, at: Date, tag = ''): Promise<void> {
  for (let start = 1; start <= count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start + 1) }, (_, i) => freeSlot(campaignId, start + i, at, tag));
    try {
      await slots().add({ data: batch.map((s) => ({ ...s })) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      for (const slot of batch) {
        try {
          await slots().add({ data: { ...slot } });
        } catch (e) {
          if (!isDuplicateKey(e) || !(await getById(COLLECTIONS.groupBuySlots, slot._id))) throw e;
        }
      }
    }
  }
}

/** Takes a free slot for `groupId`; true when it holds one (now or from an earlier try), false when none is left. */
export async function takeGroupSlot(campaignId: string, groupId: string, now: Date): Promise<boolean> {
  try {
    if (await updateOneAndReturn<GroupSlotDoc>(COLLECTIONS.groupBuySlots, { campaignId, state: 'free' }, { state: 'taken', holder: groupId, takenAt: now })) return true;
  } catch (err) {
    if (isDuplicateKey(err)) return true;
    throw err;
  }
  // None free: unless an earlier try of this very open took the last one.
  return (await slots().where({ holder: groupId }).count()).total > 0;
}
