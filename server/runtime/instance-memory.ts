/**
 * What a warm function instance remembers between invocations. CloudBase keeps an instance alive
 * and reuses it for later calls, so module state survives; hot, rarely changing documents (a coupon
 * template during a flash sale) can be kept for a moment instead of read, and billed, on every call.
 *
 * Rules for anything kept here:
 * - It is only ever a shortcut to what a read would answer, for at most `ttlMs`: another instance
 *   changing the document is seen within that time. Writers in this instance `forget` at once.
 * - An entry is valid only while `from <= now < from + ttlMs` on the functions' clock, so a test
 *   clock moved backwards cannot make an old entry look fresh.
 * - It lives on a global symbol, like the clock: each function bundle carries its own copy of this
 *   module, and in the local runtime (one process) a writer in one function must reach the
 *   others' memory. In production every instance is its own process, so nothing is shared there.
 * - The local runtime starts a new deployment (a new database) with `newDeployment()`, which
 *   empties every memory, as a cold start would.
 */
import { nowMs } from './clock';

interface Entry {
  value: unknown;
  from: number;
  until: number;
}

interface Shelf {
  spaces: Map<string, Map<string, Entry>>;
}

const SHELF_KEY = Symbol.for('privdom.instanceMemory');
/** Entries kept per space before the space is emptied (a bound, not an eviction policy). */
const MAX_ENTRIES = 1000;

type WithShelf = typeof globalThis & { [SHELF_KEY]?: Shelf };

function shelf(): Shelf {
  const g = globalThis as WithShelf;
  return (g[SHELF_KEY] ??= { spaces: new Map() });
}

function space(name: string): Map<string, Entry> {
  const spaces = shelf().spaces;
  let s = spaces.get(name);
  if (!s) spaces.set(name, (s = new Map()));
  return s;
}

export function remember(name: string, key: string, value: unknown, ttlMs: number): void {
  const s = space(name);
  if (s.size >= MAX_ENTRIES && !s.has(key)) s.clear();
  const from = nowMs();
  s.set(key, { value, from, until: from + ttlMs });
}

/** The value kept under `key`, or undefined when there is none or it is too old. */
export function recall<T>(name: string, key: string): T | undefined {
  const entry = space(name).get(key);
  if (!entry) return undefined;
  const now = nowMs();
  if (now < entry.from || now >= entry.until) return undefined;
  return entry.value as T;
}

export function forget(name: string, key: string): void {
  space(name).delete(key);
}

/** Used by the local runtime only: a new database, so nothing remembered applies any more. */
export function newDeployment(): void {
  shelf().spaces.clear();
}
