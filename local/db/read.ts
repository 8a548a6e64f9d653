/**
 * Reading committed documents: SQL narrows (planner.ts), mingo decides on every candidate, and
 * results stream so that a limit stops the scan early whenever the order allows it.
 * Must run inside `Store.read()` or `Store.write()`.
 */
import { decodeStored, type Doc } from './ejson';
import { type Plan, planQuery } from './planner';
import { type Matcher, type Order, sortDocs } from './query';
import type { Statement } from 'better-sqlite3';
import type { CollectionInfo, Row, Store } from './store';

export interface Found {
  row: Row;
  doc: Doc;
}

export interface FindOptions {
  order: Order;
  offset: number;
  /** Infinity for all matches. */
  limit: number;
}

/** The last plan made for a query object (queries are cached by wire text, so they recur). */
const plans = new WeakMap<Doc, { coll: CollectionInfo; order: Order; plan: Plan }>();

/**
 * `planQuery`, reusing the last plan of the same query object when it was made for the same
 * collection and order, and with the same facts (the store's fact sets only grow, and are
 * replaced when reloaded, so the set and its size identify what the plan saw).
 */
function planFor(store: Store, coll: CollectionInfo, query: Doc, order: Order): Plan {
  const last = plans.get(query);
  if (last && last.coll === coll && sameOrder(last.order, order) && stillHolds(store, coll, last.plan)) return last.plan;
  const made = planByShape(store, coll, query, order) ?? planQuery(coll, () => store.facts(coll), query, order);
  plans.set(query, { coll, order, plan: made });
  return made;
}

/** A plan stays valid while the facts it was made with are the store's current ones. */
function stillHolds(store: Store, coll: CollectionInfo, plan: Plan): boolean {
  const f = plan.facts;
  if (!f) return true;
  const now = store.facts(coll);
  return now === f.set && now.size === f.size;
}

/**
 * Plans by shape, for the commonest query: a flat conjunction of string equalities
 * (`{holder: 'o1', templateId: 't1'}`) whose values change on every call, so the wire-text cache
 * never hits. The planner treats every string alike (an equality term per indexed field, `= ?` with
 * the value as its parameter), so such a plan differs from another of the same fields and order
 * only in its parameters: each parameter is mapped back to the field it came from, and a plan is
 * only kept when that mapping is unambiguous.
 */
const shapes = new WeakMap<CollectionInfo, Map<string, { plan: Plan; paramKeys: string[] }>>();
const MAX_SHAPES = 256;

function planByShape(store: Store, coll: CollectionInfo, query: Doc, order: Order): Plan | undefined {
  const keys = Object.keys(query);
  if (keys.length === 0 || keys.length > 8) return undefined;
  for (const k of keys) if (k.startsWith('$') || typeof query[k] !== 'string') return undefined;
  const shapeKey = `${order.map(([p, d]) => `${p}:${d}`).join(',')}|${keys.join('\u0000')}`;
  let byShape = shapes.get(coll);
  if (!byShape) shapes.set(coll, (byShape = new Map()));
  const known = byShape.get(shapeKey);
  if (known && stillHolds(store, coll, known.plan)) return { ...known.plan, params: known.paramKeys.map((k) => query[k] as string), base: known.plan };
  const made = planQuery(coll, () => store.facts(coll), query, order);
  const paramKeys: string[] = [];
  for (const param of made.params) {
    const from = keys.filter((k) => query[k] === param);
    if (from.length !== 1) return made;
    paramKeys.push(from[0]);
  }
  if (byShape.size >= MAX_SHAPES) byShape.clear();
  byShape.set(shapeKey, { plan: made, paramKeys });
  return made;
}

const sameOrder = (a: Order, b: Order): boolean => a === b || (a.length === b.length && a.every(([p, d], i) => b[i][0] === p && b[i][1] === d));

/** The SELECT of a plan, per LIMIT clause ('' for none); kept with the plan. */
const selects = new WeakMap<Plan, Map<string, Statement>>();

function selectFor(store: Store, coll: CollectionInfo, plan: Plan, limitClause: string): Statement {
  const key = plan.base ?? plan;
  let byLimit = selects.get(key);
  if (!byLimit) selects.set(key, (byLimit = new Map()));
  let stmt = byLimit.get(limitClause);
  if (!stmt) {
    const text = `SELECT id, doc, rev FROM ${coll.table}${plan.where ? ` WHERE ${plan.where}` : ''}${plan.orderBy ? ` ORDER BY ${plan.orderBy}` : ''}${limitClause}`;
    stmt = store.stmt(text);
    if (byLimit.size < 16) byLimit.set(limitClause, stmt);
  }
  return stmt;
}

export function findCommitted(store: Store, coll: CollectionInfo, query: Doc, match: Matcher, opts: FindOptions): Found[] {
  if (opts.limit <= 0) return [];
  const plan = planFor(store, coll, query, opts.order);
  const sortInJs = opts.order.length > 0 && !plan.orderBy;
  let skip = opts.offset;
  const out: Found[] = [];
  let limitClause = '';
  if (!sortInJs && plan.exact && Number.isFinite(opts.limit)) {
    // Literal numbers: a bound LIMIT parameter costs SQLite ~2 µs per execution.
    limitClause = ` LIMIT ${Math.floor(opts.limit)} OFFSET ${Math.floor(opts.offset)}`;
    skip = 0;
  }
  const bounded = limitClause !== '';
  // `all()` is cheaper than `iterate()` when few rows come back; large scans stream.
  const stmt = selectFor(store, coll, plan, limitClause);
  const rows = (bounded || plan.small ? stmt.all(...plan.params) : stmt.iterate(...plan.params)) as Iterable<Row>;
  if (!sortInJs) {
    for (const row of rows) {
      const doc = decodeStored(row.doc);
      if (!match(doc)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push({ row, doc });
      if (out.length >= opts.limit) break;
    }
    return out;
  }
  const all = new Map<Doc, Row>();
  for (const row of rows) {
    const doc = decodeStored(row.doc);
    if (match(doc)) all.set(doc, row);
  }
  const sorted = sortDocs([...all.keys()], opts.order);
  const end = Number.isFinite(opts.limit) ? opts.offset + opts.limit : undefined;
  return sorted.slice(opts.offset, end).map((doc) => ({ doc, row: all.get(doc) as Row }));
}

export function countCommitted(store: Store, coll: CollectionInfo, query: Doc, match: Matcher): number {
  const plan = planFor(store, coll, query, []);
  const where = plan.where ? ` WHERE ${plan.where}` : '';
  if (plan.exact) return (store.stmt(`SELECT count(*) AS n FROM ${coll.table}${where}`).get(...plan.params) as { n: number }).n;
  let n = 0;
  for (const row of store.stmt(`SELECT doc FROM ${coll.table}${where}`).iterate(...plan.params) as IterableIterator<{ doc: string }>) {
    if (match(decodeStored(row.doc))) n++;
  }
  return n;
}

/** What EXPLAIN QUERY PLAN says for a find; for tests and benchmarks. */
export function explainFind(store: Store, coll: CollectionInfo, query: Doc, order: Order): { plan: ReturnType<typeof planQuery>; detail: string[] } {
  const plan = planQuery(coll, () => store.facts(coll), query, order);
  const text = `SELECT id, doc, rev FROM ${coll.table}${plan.where ? ` WHERE ${plan.where}` : ''}${plan.orderBy ? ` ORDER BY ${plan.orderBy}` : ''}`;
  const rows = store.sql.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...plan.params) as { detail: string }[];
  return { plan, detail: rows.map((r) => r.detail) };
}
