/**
 * A fast matcher for common queries, exact with respect to mingo (the reference evaluator, see
 * query.ts) and cheap to build: `new Query()` rebuilds mingo's operator context on every call,
 * which cost more than the rest of a single-document write.
 *
 * Supported shapes: field conditions on dot paths (no numeric, empty, `$` or Object.prototype
 * segments) with `$eq $ne $gt $gte $lt $lte $in $nin $exists` (or a bare value, meaning `$eq`),
 * combined at the top level and through `$and`, `$or`, `$nor`. Anything else compiles to
 * `undefined` and the caller uses mingo.
 *
 * Evaluation walks the path itself and applies mingo's own predicates (`isEqual`, `compare`,
 * `typeOf` from mingo/util) to the value found, as mingo's `$eq`, `$gt`, `$in`, ... do for a value
 * that is not an array. Whenever the walk meets something where mingo's semantics get intricate
 * (an array anywhere on the path: element-wise matching; a Date, RegExp or BSON object in the
 * middle of a path; a non-plain object at the end) the answer is `undefined`: undecided, and the
 * caller asks mingo for that document.
 */
import { cloneDeep, compare, isEqual, typeOf } from './mingo-util';
import { type Doc, isPlainObject } from './ejson';

/** true / false, or undefined when mingo must decide. */
export type Tri = boolean | undefined;
export type FastMatcher = (doc: Doc) => Tri;

/** A value the walk cannot decide on. */
const OPAQUE: unique symbol = Symbol('opaque');
type Resolved = unknown;

const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const DIGITS = /^\d+$/;

/** Path segments we walk ourselves: plain field names. */
export function isSimplePath(path: string): boolean {
  if (path === '') return false;
  for (const s of path.split('.')) {
    if (s === '' || s[0] === '$' || DIGITS.test(s) || PROTO_NAMES.has(s)) return false;
  }
  return true;
}

/**
 * The value at `path` as mingo's `resolve` finds it when no array is on the way: plain objects are
 * walked, a missing field or a primitive (null included) in the middle gives undefined. OPAQUE for
 * arrays anywhere and for other objects in the middle or at the end (Date excepted at the end).
 */
function resolver(path: string): (doc: Doc) => Resolved {
  const segs = path.split('.');
  const last = segs.length - 1;
  const terminal = (v: unknown): Resolved => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return OPAQUE;
    if (v instanceof Date || isPlainObject(v)) return v;
    return OPAQUE;
  };
  if (last === 0) {
    const k = segs[0];
    return (doc) => terminal(doc[k]);
  }
  return (doc) => {
    let cur: unknown = doc;
    for (let i = 0; i < last; i++) {
      const next = (cur as Doc)[segs[i]];
      if (next === null || typeof next !== 'object') return undefined;
      if (!isPlainObject(next)) return OPAQUE;
      cur = next;
    }
    return terminal((cur as Doc)[segs[last]]);
  };
}

const isNil = (v: unknown): boolean => v === null || v === undefined;

/** A scalar operand we evaluate exactly (no RegExp: `$in` treats those as patterns). */
function isScalarArg(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;
}

/** Values built from plain JSON-like parts only (what `isEqual` compares structurally). */
function isPlainValue(v: unknown): boolean {
  if (isScalarArg(v)) return true;
  if (Array.isArray(v)) return v.every(isPlainValue);
  if (isPlainObject(v)) return Object.values(v).every(isPlainValue);
  return false;
}

type Pred = (a: unknown) => boolean;

/** mingo's predicates (operators/_predicates.js) for a value `a` that is not an array. */
function predicate(op: string, b: unknown): Pred | undefined {
  switch (op) {
    case '$eq':
    case '$ne': {
      if (!isPlainValue(b)) return undefined;
      b = cloneDeep(b); // as mingo's Query does with its condition (a null-prototype object becomes plain)
      const bNil = isNil(b);
      const eq = (a: unknown): boolean => isEqual(a, b) || (bNil && isNil(a));
      return op === '$eq' ? eq : (a) => !eq(a);
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (!isScalarArg(b)) return undefined;
      const tb = typeOf(b);
      if (op === '$gt') return (a) => typeOf(a) === tb && compare(a, b) > 0;
      if (op === '$gte') return (a) => typeOf(a) === tb && compare(a, b) >= 0;
      if (op === '$lt') return (a) => typeOf(a) === tb && compare(a, b) < 0;
      return (a) => typeOf(a) === tb && compare(a, b) <= 0;
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(b) || !b.every(isScalarArg)) return undefined;
      // isEqual on these operands: primitives by SameValueZero (a Set's equality), Dates by time.
      const list = b as unknown[];
      const hasNull = list.some((v) => v === null);
      const primitives = new Set(list.filter((v) => v !== null && typeof v !== 'object'));
      const times = new Set(list.flatMap((v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? [v.getTime()] : [])));
      const inList = (a: unknown): boolean => {
        if (isNil(a)) return hasNull;
        if (typeof a !== 'object') return primitives.has(a);
        return a instanceof Date && times.has(a.getTime());
      };
      return op === '$in' ? inList : (a) => !inList(a);
    }
    case '$exists': {
      const want = !!b;
      return (a) => (a !== undefined) === want;
    }
    default:
      return undefined;
  }
}

const isOperatorKey = (k: string): boolean => /^\$[a-zA-Z0-9_]+$/.test(k);

function fieldMatcher(path: string, cond: unknown): FastMatcher | undefined {
  if (!isSimplePath(path)) return undefined;
  let preds: Pred[];
  if (cond instanceof RegExp) return undefined;
  if (isPlainObject(cond) && Object.keys(cond).some(isOperatorKey)) {
    preds = [];
    for (const [op, arg] of Object.entries(cond)) {
      const p = predicate(op, arg);
      if (!p) return undefined;
      preds.push(p);
    }
  } else {
    const p = predicate('$eq', cond);
    if (!p) return undefined;
    preds = [p];
  }
  const resolve = resolver(path);
  if (preds.length === 1) {
    const p = preds[0];
    return (doc) => {
      const v = resolve(doc);
      return v === OPAQUE ? undefined : p(v);
    };
  }
  return (doc) => {
    const v = resolve(doc);
    if (v === OPAQUE) return undefined;
    for (const p of preds) if (!p(v)) return false;
    return true;
  };
}

function and(parts: FastMatcher[]): FastMatcher {
  if (parts.length === 1) return parts[0];
  return (doc) => {
    let undecided = false;
    for (const p of parts) {
      const r = p(doc);
      if (r === false) return false;
      if (r === undefined) undecided = true;
    }
    return undecided ? undefined : true;
  };
}

function or(parts: FastMatcher[]): FastMatcher {
  return (doc) => {
    let undecided = false;
    for (const p of parts) {
      const r = p(doc);
      if (r === true) return true;
      if (r === undefined) undecided = true;
    }
    return undecided ? undefined : false;
  };
}

/** A fast matcher for a validated (and null-range-rewritten) query, or undefined when unsupported. */
export function compileFast(q: Doc): FastMatcher | undefined {
  const parts: FastMatcher[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v) || v.length === 0 || !v.every(isPlainObject)) return undefined;
      const subs: FastMatcher[] = [];
      for (const sub of v as Doc[]) {
        const m = compileFast(sub);
        if (!m) return undefined;
        subs.push(m);
      }
      if (k === '$and') parts.push(and(subs));
      else if (k === '$or') parts.push(or(subs));
      else {
        const any = or(subs);
        parts.push((doc) => {
          const r = any(doc);
          return r === undefined ? undefined : !r;
        });
      }
    } else if (k.startsWith('$')) {
      return undefined;
    } else {
      const m = fieldMatcher(k, v);
      if (!m) return undefined;
      parts.push(m);
    }
  }
  if (parts.length === 0) return () => true;
  return and(parts);
}
