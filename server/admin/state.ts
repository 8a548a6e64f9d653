/**
 * The admin tab's own documents in `adminState`: the snapshot the dashboard and the segments page
 * read (one document, so opening them costs one read however many members there are), and the
 * segment recompute's progress.
 */
import { COLLECTIONS } from '../../database/collections';
import type { SegmentKey } from '../../typings';
import { getById, getDb, isDuplicateKey } from '../runtime/db';

export const SNAPSHOT_ID = 'snapshot';
export const PASS_ID = 'segmentPass';

/** What one recompute counted over all members. */
export interface PassCounts {
  members: number;
  active: number;
  /** Members with at least one order, and with two or more (复购). */
  buyers: number;
  repeat: number;
  orders: number;
  spentFen: number;
  segments: Record<SegmentKey, number>;
  /** Encoded tag (tally.ts `encodeKey`) → members carrying it. */
  tags: Record<string, number>;
}

export const emptyCounts = (): PassCounts => ({
  members: 0,
  active: 0,
  buyers: 0,
  repeat: 0,
  orders: 0,
  spentFen: 0,
  segments: { heavy: 0, buyer: 0, potential: 0, follower: 0 },
  tags: {},
});

export interface MemberFigures extends Omit<PassCounts, 'tags'> {
  computedAt: Date;
  rulesVersion: number;
  activeDays: number;
  /** Most used first, at most 50. */
  tags: { name: string; count: number }[];
}

export interface BatchLabel {
  id: string;
  product: string;
  channel: string;
  quantity: number;
}

export interface SnapshotDoc {
  _id: typeof SNAPSHOT_ID;
  /** Null until the first recompute finished. */
  members: MemberFigures | null;
  /** The newest batches and the staff, so the dashboard names rows without reading them. */
  batches: BatchLabel[];
  staff: { id: string; name: string }[];
  labelsAt: Date | null;
}

export interface PassDoc {
  _id: typeof PASS_ID;
  /** Bumped by every new pass: writes of an older pass are refused. */
  generation: number;
  status: 'running' | 'done';
  rulesVersion: number;
  /** Shanghai day the pass started: one full pass a day, plus one after each rules change. */
  day: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** Members up to this `_id` are done. */
  cursor: string;
  processed: number;
  /** Members whose segments this pass rewrote. */
  changed: number;
  counts: PassCounts;
  leaseId: string;
  leaseUntil: Date;
}

export const readSnapshot = (): Promise<SnapshotDoc | null> => getById<SnapshotDoc>(COLLECTIONS.adminState, SNAPSHOT_ID);

/** Sets top-level fields of a state document, creating it when missing. */
export async function saveState(id: string, fields: Record<string, unknown>, blank: Record<string, unknown>): Promise<void> {
  const db = getDb();
  const _ = db.command;
  const data = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v !== null && typeof v === 'object' && !(v instanceof Date) ? _.set(v) : v]));
  const res = await db.collection(COLLECTIONS.adminState).where({ _id: id }).update({ data });
  if (res.stats.updated === 1) return;
  // Nothing changed: either the document already holds these values, or it does not exist yet.
  try {
    await db.collection(COLLECTIONS.adminState).add({ data: { _id: id, ...blank, ...fields } });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

export const BLANK_SNAPSHOT: Omit<SnapshotDoc, '_id'> = { members: null, batches: [], staff: [], labelsAt: null };
