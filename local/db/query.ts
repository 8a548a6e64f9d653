/**
 * Query, order and projection handling. mingo evaluates (it follows Mongo: element-wise array
 * matching, `a.0.k` paths, null matching missing fields, BSON type order when sorting); this file
 * first checks that a query only uses the operators CloudBase documents and we support, so anything
 * else fails loudly with DATABASE_INVALID_OPERRATOR naming the operator. Common query shapes are
 * matched by match.ts with mingo's own predicates and without building a mingo Query; documents it
 * cannot decide (arrays on the path) still go to mingo.
 *
 * Known mingo differences: comparison *expressions* inside `$expr` between different types (a string
 * against a number) are false in mingo where Mongo compares by BSON type order; `{'a.b': null}` does
 * not match an array element of `a` that lacks `b` (Mongo does).
 */
import { find, Query } from 'mingo';
import { type Doc, isPlainObject } from './ejson';
import { Codes, DbFailure, invalidOperator, invalidParam, requestFailed } from './errors';
import { compileFast } from './match';

/** scriptEnabled:false keeps `$where`, `$function` and `$accumulator` out, as CloudBase does. */
export const MINGO_OPTIONS = { idKey: '_id', scriptEnabled: false, useStrictMode: true } as const;

const FIELD_OPS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$all', '$elemMatch', '$exists', '$size', '$mod', '$not', '$regex', '$options']);
const LOGICAL_OPS = new Set(['$and', '$or', '$nor']);
/** Script operators in aggregation expressions; everything else mingo knows is allowed in `$expr`. */
const SCRIPT_OPS = new Set(['$function', '$accumulator', '$where']);

export type Order = [string, 1 | -1][];
export type Matcher = (doc: Doc) => boolean;

const hasOperatorKeys = (o: Doc): boolean => Object.keys(o).some((k) => k.startsWith('$'));

export function validateQuery(q: unknown): Doc {
  if (!isPlainObject(q)) throw invalidParam('query must be an object');
  for (const [k, v] of Object.entries(q)) {
    if (LOGICAL_OPS.has(k)) {
      if (!Array.isArray(v) || v.length === 0) throw invalidParam(`${k} needs a non-empty array`);
      v.forEach(validateQuery);
    } else if (k === '$expr') {
      validateExpression(v);
    } else if (k.startsWith('$')) {
      throw invalidOperator(k, 'query');
    } else {
      validateCondition(v);
    }
  }
  return q;
}

export function validateCondition(v: unknown): void {
  if (!isPlainObject(v) || !hasOperatorKeys(v)) return; // a value or an exact sub-document
  for (const [op, arg] of Object.entries(v)) {
    if (!FIELD_OPS.has(op)) throw invalidOperator(op, 'query');
    if (op === '$not') {
      if (!(arg instanceof RegExp) && !(isPlainObject(arg) && hasOperatorKeys(arg))) throw invalidParam('$not needs an operator expression or a regex');
      validateCondition(arg);
    } else if (op === '$elemMatch') {
      if (!isPlainObject(arg)) throw invalidParam('$elemMatch needs an object');
      if (hasOperatorKeys(arg) && Object.keys(arg).every((k) => FIELD_OPS.has(k))) validateCondition(arg);
      else validateQuery(arg);
    } else if (op === '$in' || op === '$nin' || op === '$all') {
      if (!Array.isArray(arg)) throw invalidParam(`${op} needs an array`);
      for (const x of arg) if (isPlainObject(x) && x.$elemMatch !== undefined) validateCondition(x);
    }
  }
}

export function validateExpression(v: unknown): void {
  if (Array.isArray(v)) v.forEach(validateExpression);
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (SCRIPT_OPS.has(k)) throw invalidOperator(k, 'expression');
      validateExpression(x);
    }
  }
}

/** Maps mingo's errors: unknown operators are INVALID_OPERRATOR, the rest a failed request. */
export function fromMingo(e: unknown, where: string): unknown {
  if (!(e instanceof Error) || e.constructor.name !== 'MingoError') return e;
  const op = /\$[A-Za-z][A-Za-z0-9]*/.exec(e.message)?.[0] ?? 'unknown';
  if (/unknown|not registered|unregistered|requires|not supported|unsupported/i.test(e.message)) {
    return new DbFailure(Codes.INVALID_OPERATOR, `[LocalExecutor] unsupported ${where} operator ${op}: ${e.message}`);
  }
  return requestFailed(`[LocalExecutor] ${e.message}`);
}

/**
 * In Mongo `$gte: null` and `$lte: null` match null *and missing* fields, exactly like `$eq: null`
 * (null is the lowest type and only equals itself); mingo misses the missing case, so rewrite them.
 */
function nullRanges(q: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(q)) {
    if (LOGICAL_OPS.has(k) && Array.isArray(v)) out[k] = v.map((x) => (isPlainObject(x) ? nullRanges(x) : x));
    else if (!k.startsWith('$') && isPlainObject(v) && (v.$gte === null || v.$lte === null) && !('$eq' in v)) {
      const { $gte, $lte, ...rest } = v;
      out[k] = { ...rest, $eq: null, ...($gte !== null && $gte !== undefined ? { $gte } : {}), ...($lte !== null && $lte !== undefined ? { $lte } : {}) };
    } else out[k] = v;
  }
  return out;
}

/**
 * Compiles a validated query; the matcher maps evaluation errors too. Common shapes get the fast
 * matcher (match.ts), which defers to mingo (compiled on first need) for documents it cannot decide.
 */
export function compileQuery(q: Doc): Matcher {
  const rewritten = nullRanges(q);
  const fast = compileFast(rewritten);
  if (!fast) return mingoMatcher(rewritten);
  let slow: Matcher | undefined;
  return (doc) => {
    const r = fast(doc);
    if (r !== undefined) return r;
    slow ??= mingoMatcher(rewritten);
    return slow(doc);
  };
}

/** The reference: mingo alone (for tests comparing it with the fast path). */
export function compileQueryWithMingo(q: Doc): Matcher {
  return mingoMatcher(nullRanges(q));
}

function mingoMatcher(q: Doc): Matcher {
  let query: Query;
  try {
    query = new Query(q, MINGO_OPTIONS);
  } catch (e) {
    throw fromMingo(e, 'query');
  }
  return (doc) => {
    try {
      return query.test(doc);
    } catch (e) {
      throw fromMingo(e, 'query');
    }
  };
}

export function parseOrder(v: unknown): Order {
  if (v === undefined || v === null) return [];
  if (!isPlainObject(v)) throw invalidParam('order must be an object');
  return Object.entries(v).map(([k, d]) => {
    if (k === '' || k.startsWith('$')) throw invalidParam(`invalid order field ${JSON.stringify(k)}`);
    if (d !== 1 && d !== -1) throw invalidParam(`order direction for ${k} must be 1 or -1`);
    return [k, d];
  });
}

export function validateProjection(v: unknown): Doc | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw invalidParam('projection must be an object');
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) throw invalidOperator(k, 'projection');
    if (isPlainObject(x)) {
      for (const op of Object.keys(x)) if (op !== '$slice' && op !== '$elemMatch') throw invalidOperator(op, 'projection');
    } else if (typeof x !== 'number' && typeof x !== 'boolean') {
      throw invalidParam(`projection value for ${k} must be 1, 0 or an operator`);
    }
  }
  return Object.keys(v).length ? v : undefined;
}

/** Mongo sort order (mingo implements BSON type order); stable for equal keys. */
export function sortDocs(docs: Doc[], order: Order): Doc[] {
  if (order.length === 0 || docs.length < 2) return docs;
  try {
    return find(docs, {}, undefined, MINGO_OPTIONS).sort(Object.fromEntries(order)).all() as Doc[];
  } catch (e) {
    throw fromMingo(e, 'sort');
  }
}

export function project(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection) return docs;
  try {
    return find(docs, {}, projection, MINGO_OPTIONS).all() as Doc[];
  } catch (e) {
    throw fromMingo(e, 'projection');
  }
}
