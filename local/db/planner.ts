/**
 * Query planning: narrow the candidates with SQL, then let mingo decide on each of them.
 *
 * Pushed down (only when the query is anchored on `_id` or on the leading key of a usable index):
 * `_id` equality/$in/string ranges, and equality/$in/range conditions on indexed fields, from the
 * top level of the query or from `$and`. Each SQL term is a superset of what Mongo matches; terms
 * carry a type guard (`json_type`) where SQLite would otherwise confuse types (true vs 1, a Date's
 * epoch ms vs a number), so they are also *exact*. When every condition of the query became an
 * exact term, the plan is `exact`: counts run in SQL and LIMIT/OFFSET can go to SQL.
 *
 * Type brackets follow Mongo: `$gt: 5` only matches numbers (SQLite sorts every number before
 * every TEXT, so `E > 5 AND E < ''`), string ranges stay within TEXT (`E >= '' AND E < X''`).
 *
 * An index that holds an array or sub-document somewhere is flagged (store.ts) and not used: its
 * expression cannot represent Mongo's element-wise matching.
 *
 * Order: `_id` alone is served by the primary key while every id is a string. Otherwise, when the
 * requested order equals an index's keys (after keys pinned by equality, all in the index's
 * direction or all reversed), ORDER BY goes to SQL, provided SQLite orders the values the way Mongo
 * does. SQLite: NULL < numbers (booleans as 1/0, Dates as ms, all interleaved) < TEXT; Mongo:
 * null < numbers < strings < booleans < Dates. They agree as long as a field has held at most one
 * of number/boolean/Date, and no strings next to booleans or Dates; the store records the types
 * seen under each indexed path, and any other mix is sorted in JS.
 */
import { type Doc, idKey, isPlainObject, isValidIdValue, STRING_ID_MIN } from './ejson';
import type { Order } from './query';
import { type CollectionInfo, jsonPath } from './store';

export interface Plan {
  /** SQL condition ('' = scan everything). */
  where: string;
  params: (string | number)[];
  /** The SQL condition is exactly the query. */
  exact: boolean;
  /** ORDER BY text when SQL can deliver the requested order through an index. */
  orderBy?: string;
  /** `_id` equality or `$in`: a handful of rows at most. */
  small?: boolean;
  /** The facts the plan was made with; undefined when the plan does not depend on them. */
  facts?: { set: Facts; size: number };
  /** The plan of the same shape this one copies with other parameters (read.ts). */
  base?: Plan;
}

interface Term {
  sql: string;
  params: (string | number)[];
  exact: boolean;
  /** Set when the term pins the field to one value (lets an index serve the order of its next keys). */
  pins?: string;
}

/** What the store has seen under the indexed paths (see `indexFacts` in store.ts). */
type Facts = Set<string>;

const RANGE_SQL: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

type Scalar = 'string' | 'number' | 'boolean' | 'date' | 'null';

function scalarKind(v: unknown): Scalar | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : undefined;
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date && !Number.isNaN(v.getTime())) return 'date';
  return undefined;
}

const sqlValue = (v: unknown): string | number => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number));

const TYPE_GUARD: Record<Exclude<Scalar, 'null' | 'string'>, string[]> = {
  number: ['integer', 'real'],
  boolean: ['true', 'false'],
  date: ['object'],
};

/**
 * ` AND json_type(...)` when SQLite could confuse this kind with another one stored under the path
 * (true vs 1, a Date's ms vs a number); empty when only this kind was ever stored there, which keeps
 * counts on covering indexes.
 */
function guard(path: string, kind: Exclude<Scalar, 'null' | 'string'>, facts: Facts): string {
  const others = (['number', 'bool', 'date'] as const).filter((k) => k !== (kind === 'boolean' ? 'bool' : kind));
  if (!others.some((k) => facts.has(`type:${path}:${k}`))) return '';
  return ` AND json_type(doc, '${jsonPath(path)}') IN (${TYPE_GUARD[kind].map((t) => `'${t}'`).join(', ')})`;
}

function eqTerm(path: string, expr: string, v: unknown, facts: Facts): Term | undefined {
  const kind = scalarKind(v);
  if (!kind) return undefined;
  if (kind === 'null') return { sql: `${expr} IS NULL`, params: [], exact: true, pins: path };
  if (kind === 'string') return { sql: `${expr} = ?`, params: [v as string], exact: true, pins: path };
  return { sql: `(${expr} = ?${guard(path, kind, facts)})`, params: [sqlValue(v)], exact: true, pins: path };
}

function inTerm(path: string, expr: string, values: unknown, facts: Facts): Term | undefined {
  if (!Array.isArray(values)) return undefined;
  if (values.length === 0) return { sql: '0', params: [], exact: true };
  const groups = new Map<Scalar, (string | number)[]>();
  for (const v of values) {
    const kind = scalarKind(v);
    if (!kind) return undefined;
    groups.set(kind, [...(groups.get(kind) ?? []), ...(kind === 'null' ? [] : [sqlValue(v)])]);
  }
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const [kind, vals] of groups) {
    if (kind === 'null') {
      parts.push(`${expr} IS NULL`);
      continue;
    }
    const list = `${expr} IN (${vals.map(() => '?').join(', ')})`;
    parts.push(kind === 'string' ? list : `(${list}${guard(path, kind, facts)})`);
    params.push(...vals);
  }
  return { sql: parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`, params, exact: true };
}

function rangeTerm(path: string, expr: string, op: string, v: unknown, facts: Facts): Term | undefined {
  const kind = scalarKind(v);
  const lower = op === '$gt' || op === '$gte';
  const cmp = `${expr} ${RANGE_SQL[op]} ?`;
  if (kind === 'string') return { sql: `(${cmp} AND ${lower ? `${expr} < X''` : `${expr} >= ''`})`, params: [v as string], exact: true };
  if (kind === 'number' || kind === 'date') {
    const bracket = lower ? ` AND ${expr} < ''` : '';
    return { sql: `(${cmp}${bracket}${guard(path, kind, facts)})`, params: [sqlValue(v)], exact: true };
  }
  return undefined;
}

function fieldTerm(path: string, expr: string, cond: unknown, facts: Facts): Term | undefined {
  if (!isPlainObject(cond)) return eqTerm(path, expr, cond, facts);
  const ops = Object.entries(cond);
  if (!ops.some(([k]) => k.startsWith('$'))) return undefined; // exact sub-document match
  const terms: Term[] = [];
  let exact = true;
  for (const [op, arg] of ops) {
    const t = op === '$eq' ? eqTerm(path, expr, arg, facts) : op === '$in' ? inTerm(path, expr, arg, facts) : RANGE_SQL[op] ? rangeTerm(path, expr, op, arg, facts) : undefined;
    if (t) terms.push(t);
    else exact = false;
  }
  if (terms.length === 0) return undefined;
  return {
    sql: terms.map((t) => t.sql).join(' AND '),
    params: terms.flatMap((t) => t.params),
    exact: exact && terms.every((t) => t.exact),
    pins: terms.find((t) => t.pins)?.pins,
  };
}

/**
 * `_id` conditions on the primary key. Equality and $in give a handful of rows (`small`); ranges
 * with string bounds stay among string ids (`id >= STRING_ID_MIN`, see ejson.ts).
 */
function idTerm(cond: unknown): (Term & { small: boolean }) | undefined {
  if (isValidIdValue(cond)) return { sql: 'id = ?', params: [idKey(cond)], exact: true, small: true };
  if (!isPlainObject(cond)) return undefined;
  const terms: Term[] = [];
  let exact = true;
  let small = false;
  for (const [op, arg] of Object.entries(cond)) {
    if (op === '$eq' && isValidIdValue(arg)) {
      terms.push({ sql: 'id = ?', params: [idKey(arg)], exact: true });
      small = true;
    } else if (op === '$in' && Array.isArray(arg) && arg.every(isValidIdValue)) {
      terms.push(arg.length ? { sql: `id IN (${arg.map(() => '?').join(', ')})`, params: arg.map(idKey), exact: true } : { sql: '0', params: [], exact: true });
      small = true;
    } else if (RANGE_SQL[op] && typeof arg === 'string') {
      terms.push({ sql: `(id ${RANGE_SQL[op]} ? AND id >= ?)`, params: [arg, STRING_ID_MIN], exact: true });
    } else exact = false;
  }
  if (terms.length === 0) return undefined;
  return { sql: terms.map((t) => t.sql).join(' AND '), params: terms.flatMap((t) => t.params), exact, small };
}

/** Top-level conjunction: field conditions from the query and from nested `$and`s. */
function conjuncts(q: Doc, out: [string, unknown][]): boolean {
  let residual = false;
  for (const [k, v] of Object.entries(q)) {
    if (k === '$and' && Array.isArray(v) && v.every(isPlainObject)) {
      for (const sub of v as Doc[]) residual = conjuncts(sub, out) || residual;
    } else if (k.startsWith('$')) residual = true;
    else out.push([k, v]);
  }
  return residual;
}

function sqlOrderMatchesMongo(path: string, facts: Facts): boolean {
  const has = (t: string): boolean => facts.has(`type:${path}:${t}`);
  const numericInSql = [has('number'), has('bool'), has('date')].filter(Boolean).length;
  return numericInSql <= 1 && !(has('string') && (has('bool') || has('date')));
}

/**
 * `getFacts` is only called when the plan depends on the facts (an indexed field in the query, or
 * an order), so a query on `_id` or on unindexed fields needs no look at them.
 */
export function planQuery(coll: CollectionInfo, getFacts: () => Facts, query: Doc, order: Order): Plan {
  const pairs: [string, unknown][] = [];
  let exact = !conjuncts(query, pairs);
  const needsFacts = order.length > 0 || (coll.indexes.length > 0 && pairs.some(([p]) => coll.indexes.some((ix) => ix.keys.some((k) => k.path === p))));
  // Without an indexed field or an order, the indexes play no part: skip the facts.
  const facts = needsFacts ? getFacts() : new Set<string>();
  const usable = needsFacts ? coll.indexes.filter((ix) => !facts.has(ix.name)) : [];
  const exprOf = new Map(usable.flatMap((ix) => ix.keys.map((k) => [k.path, k.expr] as const)));
  const leading = new Set(usable.map((ix) => ix.keys[0].path));
  const terms: Term[] = [];
  let anchored = false;
  let byId = false;
  for (const [path, cond] of pairs) {
    const expr = exprOf.get(path);
    const t = path === '_id' ? idTerm(cond) : expr ? fieldTerm(path, expr, cond, facts) : undefined;
    if (!t) {
      exact = false;
      continue;
    }
    terms.push(t);
    exact = exact && t.exact;
    if (path === '_id') {
      anchored = true;
      byId ||= (t as { small?: boolean }).small === true;
    } else if (leading.has(path)) anchored = true;
  }
  const plan: Plan = anchored
    ? { where: terms.map((t) => t.sql).join(' AND '), params: terms.flatMap((t) => t.params), exact, small: byId }
    : { where: '', params: [], exact: pairs.length === 0 && exact };
  if (needsFacts) plan.facts = { set: facts, size: facts.size };
  // With `_id` equality the candidates are a handful of rows: sorting them in JS is cheaper.
  if (order.length === 1 && order[0][0] === '_id' && !byId) {
    // String ids sort in the id column exactly as Mongo sorts them; number ids would not.
    if (!facts.has('type:_id:number')) plan.orderBy = `id ${order[0][1] === 1 ? 'ASC' : 'DESC'}`;
  } else if (order.length > 0 && !byId) {
    const pinned = new Set(anchored ? terms.flatMap((t) => (t.pins ? [t.pins] : [])) : []);
    const ordered = order.map(([p]) => p);
    const sortable = ordered.every((p) => sqlOrderMatchesMongo(p, facts));
    for (const ix of sortable ? usable : []) {
      let i = 0;
      while (i < ix.keys.length && pinned.has(ix.keys[i].path) && !ordered.includes(ix.keys[i].path)) i++;
      const rest = ix.keys.slice(i, i + order.length);
      if (rest.length < order.length || !rest.every((k, j) => k.path === order[j][0])) continue;
      const same = rest.every((k, j) => k.dir === order[j][1]);
      const reversed = rest.every((k, j) => k.dir === -order[j][1]);
      if (!same && !reversed) continue;
      plan.orderBy = order.map(([p, d]) => `${exprOf.get(p)} ${d === 1 ? 'ASC' : 'DESC'}`).join(', ');
      break;
    }
  }
  return plan;
}
