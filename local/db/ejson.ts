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
 * The common wrappers (`$numberInt`, `$numberDouble`, short `$numberLong`, `$date` with a short
 * `$numberLong` or a number) are decoded directly, as bson's relaxed EJSON.parse decodes them; any
 * other EJSON type wrapper sends the whole text through bson.
 */
export function parseWire(text: string, now: number): unknown {
  const fast = reviveWire(JSON.parse(text), now);
  if (fast !== BAIL) return fast;
  return parseWireWithBson(text, now);
}

/** The reference: bson's EJSON.parse (for tests comparing it with the fast path). */
export function parseWireWithBson(text: string, now: number): unknown {
  return prepare(EJSON.parse(text, { relaxed: true }), now);
}

const BAIL: unique symbol = Symbol('bail');

/** Keys that make bson's deserializeValue turn an object into something else. */
const EJSON_KEYS = new Set([
  '$oid', '$binary', '$uuid', '$symbol', '$numberInt', '$numberDecimal', '$numberDouble', '$numberLong', '$minKey', '$maxKey',
  '$regex', '$regularExpression', '$timestamp', '$date', '$code', '$ref', '$id', '$dbPointer', '$undefined', '$tcb_server_date',
]);
/** Integers whose decimal text converts exactly (bson's Long.fromString(..).toNumber() agrees). */
const SHORT_INT = /^-?\d{1,15}$/;

/** Mutates the JSON.parse output in place; BAIL when bson must decode it. */
function reviveWire(v: unknown, now: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = reviveWire(v[i], now);
      if (x === BAIL) return BAIL;
      v[i] = x;
    }
    return v;
  }
  const o = v as Doc;
  let special = false;
  for (const k in o) {
    if (k.charCodeAt(0) === 36 /* $ */ && EJSON_KEYS.has(k)) special = true;
    else if (k === '__proto__' || k.includes('\u0000')) return BAIL; // bson refuses NULs; assigning __proto__ would not copy
  }
  if (special) return reviveWrapper(o, now);
  for (const k in o) {
    const x = reviveWire(o[k], now);
    if (x === BAIL) return BAIL;
    o[k] = x;
  }
  return o;
}

function reviveWrapper(o: Doc, now: number): unknown {
  const keys = Object.keys(o);
  if (keys.length !== 1) return BAIL;
  const x = o[keys[0]];
  switch (keys[0]) {
    case '$numberInt':
      return typeof x === 'string' ? parseInt(x, 10) : BAIL;
    case '$numberDouble':
      return typeof x === 'string' ? parseFloat(x) : BAIL;
    case '$numberLong':
      return typeof x === 'string' && SHORT_INT.test(x) ? Number(x) : BAIL;
    case '$date': {
      if (typeof x === 'number') return new Date(x);
      if (isPlainObject(x) && typeof x.$numberLong === 'string' && Object.keys(x).length === 1 && SHORT_INT.test(x.$numberLong)) return new Date(Number(x.$numberLong));
      return BAIL;
    }
    case '$tcb_server_date': {
      const inner = reviveWire(x, now);
      if (inner === BAIL) return BAIL;
      const offset = isPlainObject(inner) ? Number(inner.offset ?? 0) : 0;
      return new Date(now + (Number.isFinite(offset) ? offset : 0));
    }
    default:
      return BAIL;
  }
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

/**
 * What the SDK reads back: canonical EJSON, so Dates come back as Dates and numbers as numbers.
 * Plain values (strings, numbers, booleans, null, Dates, arrays, plain objects) are converted here
 * exactly as bson's serializer converts them; anything else goes through bson.
 */
export function toWire(v: unknown): string {
  const canonical = canonicalWire(v);
  if (canonical !== BAIL) return JSON.stringify(canonical);
  return toWireWithBson(v);
}

/** The reference: bson's EJSON.stringify (for tests comparing it with the fast path). */
export function toWireWithBson(v: unknown): string {
  return EJSON.stringify(v, { relaxed: false });
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;

/** bson's canonical serializeValue for plain values; BAIL for anything else. */
function canonicalWire(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (Math.floor(v) === v) {
        if (v >= INT32_MIN && v <= INT32_MAX) return { $numberInt: v.toString() };
        if (v >= INT64_MIN && v <= INT64_MAX) return { $numberLong: v.toString() };
      }
      return { $numberDouble: v.toString() };
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return BAIL;
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = canonicalWire(v[i]);
      if (x === BAIL) return BAIL;
      out[i] = x;
    }
    return out;
  }
  if (v instanceof Date) return { $date: { $numberLong: v.getTime().toString() } };
  if (Object.getPrototypeOf(v) !== Object.prototype) return BAIL;
  const out: Doc = {};
  for (const k of Object.keys(v)) {
    if (k === '__proto__') return BAIL;
    const x = canonicalWire((v as Doc)[k]);
    if (x === BAIL) return BAIL;
    out[k] = x;
  }
  return out;
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
