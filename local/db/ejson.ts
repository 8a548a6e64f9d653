/**
 * Value conversions at the two edges of the executor.
 *
 * Wire: the SDK sends queries, updates and documents as canonical EJSON strings and parses results
 * with relaxed EJSON, so we parse with the SDK's own bson copy and answer with canonical EJSON.
 *
 * Storage: documents are stored as plain JSON in which numbers are JSON numbers and Dates are
 * `{"$date": <epoch ms>}`. That lets a SQLite expression index read every indexed scalar as a value
 * SQLite can compare (TEXT for strings, INTEGER/REAL for numbers, 1/0 for booleans, epoch ms for
 * Dates); see `indexExpr` in store.ts. Other BSON types (ObjectId, Decimal128, ...) keep their EJSON
 * form.
 */
import { type BsonRegExpLike, EJSON } from './sdk';
import { invalidOperator, invalidParam } from './errors';

export type Doc = Record<string, unknown>;
export type DocId = string | number;

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function isBsonRegExp(v: unknown): v is BsonRegExpLike {
  return typeof v === 'object' && v !== null && (v as { _bsontype?: unknown })._bsontype === 'BSONRegExp';
}

function hasBsonType(v: object): boolean {
  return typeof (v as { _bsontype?: unknown })._bsontype === 'string';
}

/** BSON regex options JS can honour; `x` (extended) and `l` (locale) have no JS equivalent. */
function toRegExp(re: BsonRegExpLike): RegExp {
  let flags = '';
  for (const f of re.options) {
    if ('imsu'.includes(f)) flags += f;
    else throw invalidOperator(`$regex option '${f}'`, 'query');
  }
  return new RegExp(re.pattern, flags);
}

/**
 * Parses one EJSON string from the SDK into executor values: BSONRegExp becomes RegExp (what mingo
 * matches with) and `{$tcb_server_date:{offset}}` becomes `new Date(now + offset)` wherever it sits.
 */
export function parseWire(text: string, now: number): unknown {
  return prepare(EJSON.parse(text, { relaxed: true }), now);
}

function prepare(v: unknown, now: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => prepare(x, now));
  if (isBsonRegExp(v)) return toRegExp(v);
  if (!isPlainObject(v)) return v;
  const serverDate = v.$tcb_server_date;
  if (serverDate !== undefined && Object.keys(v).length === 1) {
    const offset = isPlainObject(serverDate) ? Number(serverDate.offset ?? 0) : 0;
    return new Date(now + (Number.isFinite(offset) ? offset : 0));
  }
  const out: Doc = {};
  for (const [k, x] of Object.entries(v)) out[k] = prepare(x, now);
  return out;
}

/** What the SDK reads back: canonical EJSON, so Dates come back as Dates and numbers as numbers. */
export function toWire(v: unknown): string {
  return EJSON.stringify(v, { relaxed: false });
}

/** Encodes a document for the `doc` column (see the file comment). */
export function encodeStored(doc: Doc): string {
  return JSON.stringify(storedValue(doc, true));
}

function storedValue(v: unknown, topLevel = false): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : { $numberDouble: String(v) };
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      throw invalidParam(`cannot store a value of type ${typeof v}`);
  }
  if (v === null) return null;
  if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isNaN(ms)) throw invalidParam('cannot store an invalid Date');
    return { $date: ms };
  }
  if (Array.isArray(v)) return v.map((x) => storedValue(x));
  if (v instanceof RegExp) return { $regularExpression: { pattern: v.source, options: v.flags } };
  if (hasBsonType(v)) return EJSON.serialize(v, { relaxed: false });
  if (!isPlainObject(v)) throw invalidParam(`cannot store an object of class ${v.constructor?.name ?? 'unknown'}`);
  const out: Doc = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    // A `$` field name would be read back as an EJSON type or update operator.
    if (k.startsWith('$')) throw invalidParam(`field names cannot start with '$': ${k}`);
    if (topLevel && k === '') throw invalidParam('field names cannot be empty');
    out[k] = storedValue(x);
  }
  return out;
}

/**
 * Decodes the `doc` column. Faster than `EJSON.parse` (no reviver call per value): only objects with
 * a single `$` key are EJSON type wrappers, since stored field names never start with `$`.
 */
export function decodeStored(text: string): Doc {
  return revive(JSON.parse(text)) as Doc;
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  const o = v as Doc;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    if (keys[0] === '$date' && typeof o.$date === 'number') return new Date(o.$date);
    return EJSON.deserialize(o, { relaxed: true });
  }
  for (const k of keys) o[k] = revive(o[k]);
  return o;
}

/**
 * The `id` column: string ids as they are (readable in the SQLite file), number ids with a prefix
 * no string id may carry, so `5` and `"5"` stay different documents as in CloudBase. String ids may
 * not start with U+0000 or U+0001, so every string id sorts at or after STRING_ID_MIN and every
 * number id before it.
 */
const NUMBER_ID_PREFIX = '\u0001n:';
export const STRING_ID_MIN = '\u0002';

const badStringId = (id: string): boolean => id === '' || id < STRING_ID_MIN;

export function idKey(id: unknown): string {
  if (typeof id === 'string') {
    if (badStringId(id)) throw invalidParam('_id cannot be empty or start with U+0000/U+0001');
    return id;
  }
  if (typeof id === 'number' && Number.isFinite(id)) return NUMBER_ID_PREFIX + String(id);
  throw invalidParam(`the local executor supports string or number _id values, got ${describe(id)}`);
}

export function isValidIdValue(id: unknown): id is DocId {
  return (typeof id === 'string' && !badStringId(id)) || (typeof id === 'number' && Number.isFinite(id));
}

/** Mongo-style rendering for messages (`dup key: { k: "v" }`). */
export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return EJSON.stringify(v, { relaxed: true });
  } catch {
    return String(v);
  }
}
