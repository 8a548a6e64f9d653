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
  if (last && last.coll === coll && sameOrder(last.order, order)) {
    const f = last.plan.facts;
    if (!f) return last.plan;
    const now = store.facts(coll);
    if (now === f.set && now.size === f.size) return last.plan;
  }
  const made = planQuery(coll, () => store.facts(coll), query, order);
  plans.set(query, { coll, order, plan: made });
  return made;
}

const sameOrder = (a: Order, b: Order): boolean => a === b || (a.length === b.length && a.every(([p, d], i) => b[i][0] === p && b[i][1] === d));

/** The SELECT of a plan, per LIMIT clause ('' for none); kept with the plan. */
const selects = new WeakMap<Plan, Map<string, Statement>>();

function selectFor(store: Store, coll: CollectionInfo, plan: Plan, limitClause: string): Statement {
  let byLimit = selects.get(plan);
  if (!byLimit) selects.set(plan, (byLimit = new Map()));
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
