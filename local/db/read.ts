/**
 * Reading committed documents: SQL narrows (planner.ts), mingo decides on every candidate, and
 * results stream so that a limit stops the scan early whenever the order allows it.
 * Must run inside `Store.read()` or `Store.write()`.
 */
import { decodeStored, type Doc } from './ejson';
import { planQuery } from './planner';
import { type Matcher, type Order, sortDocs } from './query';
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

export function findCommitted(store: Store, coll: CollectionInfo, query: Doc, match: Matcher, opts: FindOptions): Found[] {
  if (opts.limit <= 0) return [];
  const plan = planQuery(coll, store.facts(coll), query, opts.order);
  let text = `SELECT id, doc, rev FROM ${coll.table}${plan.where ? ` WHERE ${plan.where}` : ''}`;
  const params: (string | number)[] = [...plan.params];
  const sortInJs = opts.order.length > 0 && !plan.orderBy;
  if (plan.orderBy) text += ` ORDER BY ${plan.orderBy}`;
  let skip = opts.offset;
  const out: Found[] = [];
  if (!sortInJs && plan.exact && Number.isFinite(opts.limit)) {
    text += ' LIMIT ? OFFSET ?';
    params.push(opts.limit, opts.offset);
    skip = 0;
  }
  const rows = store.stmt(text).iterate(...params) as IterableIterator<Row>;
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
  const plan = planQuery(coll, store.facts(coll), query, []);
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
  const plan = planQuery(coll, store.facts(coll), query, order);
  const text = `SELECT id, doc, rev FROM ${coll.table}${plan.where ? ` WHERE ${plan.where}` : ''}${plan.orderBy ? ` ORDER BY ${plan.orderBy}` : ''}`;
  const rows = store.sql.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...plan.params) as { detail: string }[];
  return { plan, detail: rows.map((r) => r.detail) };
}
