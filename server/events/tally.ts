/**
 * The shape shared by the fold (writer) and the counters (reader): events grouped by minute and by
 * what they are counted under, and a day document's counters.
 *
 * A day document: `{ _id: day, folded: [minutes], total, types: {type: {n, fen}},
 * batches|channels|staff: {key: {type: {n, fen}}} }`. Keys of batches, channels and staff are
 * encoded (`k` + safe characters) so any id can be a field name in an update path.
 */
import type { DayCounters, Tally } from '../../typings';

/** One aggregate row: events of one minute with the same type, batch, channel and staff. */
export interface EventGroup {
  minute: string;
  day: string;
  type: string;
  batchId: string | null;
  channel: string | null;
  staffId: string | null;
  n: number;
  fen: number;
}

export interface DayCounterDoc {
  _id: string;
  folded: string[];
  total: number;
  types: Record<string, Tally>;
  batches: Record<string, Record<string, Tally>>;
  channels: Record<string, Record<string, Tally>>;
  staff: Record<string, Record<string, Tally>>;
  updatedAt?: Date;
}

export const DIMENSIONS = [
  { field: 'batches', of: (g: EventGroup) => g.batchId, view: 'byBatch' },
  { field: 'channels', of: (g: EventGroup) => g.channel, view: 'byChannel' },
  { field: 'staff', of: (g: EventGroup) => g.staffId, view: 'byStaff' },
] as const;

/** `k` then the id with anything outside [A-Za-z0-9_-] as `~` + hex: a valid, dot-free field name. */
export function encodeKey(id: string): string {
  return 'k' + id.replace(/[^A-Za-z0-9_-]/gu, (ch) => `~${Buffer.from(ch).toString('hex')}~`);
}

export function decodeKey(key: string): string {
  return key.slice(1).replace(/~([0-9a-f]+)~/g, (_m, hex: string) => Buffer.from(hex, 'hex').toString('utf8'));
}

/** Event types are plain identifiers; anything else is counted under an encoded name. */
const typeKey = (type: string): string => (/^[a-z][a-z0-9_]{0,40}$/.test(type) ? type : encodeKey(type));

/** The increments of a set of groups as flat field paths: `types.card_scan.n` → 3. */
export function incrementsOf(groups: EventGroup[]): Map<string, number> {
  const inc = new Map<string, number>();
  const add = (path: string, v: number) => {
    if (v) inc.set(path, (inc.get(path) ?? 0) + v);
  };
  for (const g of groups) {
    const t = typeKey(g.type);
    add('total', g.n);
    add(`types.${t}.n`, g.n);
    add(`types.${t}.fen`, g.fen);
    for (const d of DIMENSIONS) {
      const id = d.of(g);
      if (!id) continue;
      add(`${d.field}.${encodeKey(id)}.${t}.n`, g.n);
      add(`${d.field}.${encodeKey(id)}.${t}.fen`, g.fen);
    }
  }
  return inc;
}

export function emptyDay(day: string): DayCounters {
  return { day, total: 0, byType: {}, byBatch: {}, byChannel: {}, byStaff: {} };
}

const decodeType = (key: string): string => (key.startsWith('k') && key.includes('~') ? decodeKey(key) : key);

function addTally(into: Record<string, Tally>, type: string, t: Partial<Tally>): void {
  const cur = (into[type] ??= { n: 0, fen: 0 });
  cur.n += t.n ?? 0;
  cur.fen += t.fen ?? 0;
}

/** The reader's view of a stored day document. */
export function viewOfDoc(doc: DayCounterDoc): DayCounters {
  const out = emptyDay(doc._id);
  out.total = doc.total ?? 0;
  for (const [t, tally] of Object.entries(doc.types ?? {})) addTally(out.byType, decodeType(t), tally);
  for (const d of DIMENSIONS) {
    for (const [key, byType] of Object.entries(doc[d.field] ?? {})) {
      const target = (out[d.view][decodeKey(key)] ??= {});
      for (const [t, tally] of Object.entries(byType)) addTally(target, decodeType(t), tally);
    }
  }
  return out;
}

/** Adds groups not yet folded to a day's view. */
export function addGroups(day: DayCounters, groups: EventGroup[]): void {
  for (const g of groups) {
    day.total += g.n;
    addTally(day.byType, g.type, g);
    for (const d of DIMENSIONS) {
      const id = d.of(g);
      if (id) addTally((day[d.view][id] ??= {}), g.type, g);
    }
  }
}
