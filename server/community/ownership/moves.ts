/**
 * The one way a member changes hands. The history entry is written first, under an id that is
 * deterministic for the cause (`auto_<member>`, `<handover>_<member>`, ...), then the member's
 * `staffId` is changed, conditional on the staff member it had. So a step that crashed and runs
 * again finds its history entries (and keeps the choice it made then), moves each member once, and
 * never touches anything about a member but `staffId`.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { OwnershipCause } from '../../../typings';
import { getDb, insertOrGet, isDuplicateKey } from '../../runtime/db';
import type { HistoryDoc, Move, OwnedMember } from './model';

const BATCH = 500;

export interface MoveMeta {
  cause: OwnershipCause;
  at: Date;
  by: string;
  handoverId: string | null;
  reason: string | null;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Writes the history of `moves`; answers the moves as recorded (an earlier attempt's choice wins). */
async function recordHistory(moves: Move[], meta: MoveMeta, idOf: (memberId: string) => string): Promise<Move[]> {
  const history = getDb().collection(COLLECTIONS.ownershipHistory);
  const recorded: Move[] = [];
  for (const part of chunks(moves, BATCH)) {
    const docs: HistoryDoc[] = part.map((m) => ({ _id: idOf(m.memberId), memberId: m.memberId, from: m.from, to: m.to, ...meta }));
    try {
      await history.add({ data: docs.map((d) => ({ ...d })) });
      recorded.push(...part);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // A retried step: some entries are there already; theirs is the choice that stands.
      for (const doc of docs) {
        const { doc: stored } = await insertOrGet<HistoryDoc>(COLLECTIONS.ownershipHistory, doc);
        recorded.push({ memberId: stored.memberId, from: stored.from, to: stored.to });
      }
    }
  }
  return recorded;
}

/** Moves members; returns the moves that took effect (a member someone else moved meanwhile is left alone). */
export async function applyMoves(moves: Move[], meta: MoveMeta, idOf: (memberId: string) => string): Promise<Move[]> {
  if (moves.length === 0) return [];
  const db = getDb();
  const _ = db.command;
  const members = db.collection(COLLECTIONS.members);
  const recorded = await recordHistory(moves, meta, idOf);

  const byPair = new Map<string, Move[]>();
  for (const m of recorded) {
    const key = `${m.from ?? ''}\n${m.to}`;
    byPair.set(key, [...(byPair.get(key) ?? []), m]);
  }
  const applied: Move[] = [];
  for (const group of byPair.values()) {
    const { from, to } = group[0];
    for (const part of chunks(group, BATCH)) {
      const ids = part.map((m) => m.memberId);
      const res = await members.where({ _id: _.in(ids), staffId: from }).update({ data: { staffId: to } });
      if (res.stats.updated === ids.length) {
        applied.push(...part);
        continue;
      }
      // Some were not with `from` any more: keep those now with `to` (an earlier attempt moved
      // them), and take back the history of the ones someone else moved.
      const now = await members.where({ _id: _.in(ids) }).field({ _id: true, staffId: true }).limit(ids.length).get();
      const withTo = new Set((now.data as OwnedMember[]).filter((d) => d.staffId === to).map((d) => d._id));
      applied.push(...part.filter((m) => withTo.has(m.memberId)));
      const stray = ids.filter((id) => !withTo.has(id)).map(idOf);
      if (stray.length > 0) await db.collection(COLLECTIONS.ownershipHistory).where({ _id: _.in(stray) }).remove();
    }
  }
  return applied;
}
