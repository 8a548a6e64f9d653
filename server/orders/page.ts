/**
 * One page of an import: rows parsed into orders (several rows of one order merged), compared with
 * what is stored, and written idempotently: new orders inserted (a duplicate key means an earlier,
 * interrupted attempt wrote them), changed unbound ones updated, bound ones never touched.
 */
import { COLLECTIONS } from '../../database/collections';
import type { OrderPlatform, RowError } from '../../typings';
import { getDb, isDuplicateKey } from '../runtime/db';
import { importedFields, newOrderDoc, orderIdOf, type OrderDoc } from './model';
import { parseRow, type ParsedRow } from './rows';
import type { Columns } from './source';

const INSERT_CHUNK = 500;
const READ_CHUNK = 1000;

export interface Counts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skippedBound: number;
  mergedRows: number;
  errors: number;
}

export const zeroCounts = (): Counts => ({ rows: 0, created: 0, updated: 0, unchanged: 0, skippedBound: 0, mergedRows: 0, errors: 0 });

/** What a page needs to know about its job. */
export interface PageJob {
  _id: string;
  platform: OrderPlatform;
  columns: Columns;
  amountUnit: 'yuan' | 'fen';
}

export async function existingOrders(ids: string[]): Promise<Map<string, OrderDoc>> {
  const db = getDb();
  const _ = db.command;
  const out = new Map<string, OrderDoc>();
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const chunk = ids.slice(i, i + READ_CHUNK);
    const res = await db.collection(COLLECTIONS.orders).where({ _id: _.in(chunk) }).limit(READ_CHUNK).get();
    for (const doc of res.data as OrderDoc[]) out.set(doc._id, doc);
  }
  return out;
}

export interface PageRows {
  orders: ParsedRow[];
  errors: RowError[];
  merged: number;
  rows: number;
}

/** Parses records; several rows of one order become one. */
export function parseRecords(records: { cells: string[]; row: number }[], job: Pick<PageJob, 'columns' | 'amountUnit'>): PageRows {
  const byNo = new Map<string, ParsedRow>();
  const out: PageRows = { orders: [], errors: [], merged: 0, rows: 0 };
  for (const r of records) {
    const parsed = parseRow(r.cells, r.row, { index: job.columns.index, amountUnit: job.amountUnit });
    if (parsed.ok === 'blank') continue;
    out.rows += 1;
    if (parsed.ok === false) {
      out.errors.push(parsed.error);
      continue;
    }
    const first = byNo.get(parsed.order.orderNo);
    if (!first) {
      byNo.set(parsed.order.orderNo, parsed.order);
      out.orders.push(parsed.order);
      continue;
    }
    out.merged += 1;
    if (parsed.order.product && !first.product.includes(parsed.order.product)) {
      first.product = [first.product, parsed.order.product].filter(Boolean).join('；').slice(0, 100);
    }
    if (first.quantity !== null && parsed.order.quantity !== null) first.quantity += parsed.order.quantity;
  }
  return out;
}

/** Inserts new orders; those a crashed earlier attempt already wrote come back as existing. */
async function insertNew(docs: OrderDoc[]): Promise<Map<string, OrderDoc>> {
  const found = new Map<string, OrderDoc>();
  for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
    let chunk = docs.slice(i, i + INSERT_CHUNK);
    for (let attempt = 0; chunk.length > 0; attempt++) {
      try {
        await getDb()
          .collection(COLLECTIONS.orders)
          .add({ data: chunk.map((d) => ({ ...d })) });
        break;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 3) throw err;
        const existing = await existingOrders(chunk.map((d) => d._id));
        for (const [id, doc] of existing) found.set(id, doc);
        chunk = chunk.filter((d) => !existing.has(d._id));
      }
    }
  }
  return found;
}

export interface PageOutcome {
  counts: Counts;
  errors: RowError[];
}

export async function importPage(job: PageJob, parsed: PageRows, now: Date): Promise<PageOutcome> {
  const counts = { ...zeroCounts(), rows: parsed.rows, errors: parsed.errors.length, mergedRows: parsed.merged };
  const existing = await existingOrders(parsed.orders.map((o) => orderIdOf(job.platform, o.orderNo)));
  const fresh: OrderDoc[] = [];
  const db = getDb();

  const settle = async (row: ParsedRow, doc: OrderDoc): Promise<void> => {
    const { _id, ...fields } = importedFields(job.platform, row, job._id, now);
    if (doc.importJobId === job._id && doc.importRow === row.row) {
      // This page ran before and was interrupted: the order is this job's own work.
      if (doc.firstImportJobId === job._id) counts.created += 1;
      else counts.updated += 1;
    } else if (doc.bindState !== 'unbound') counts.skippedBound += 1;
    else if (doc.fingerprint === fields.fingerprint) counts.unchanged += 1;
    else {
      const res = await db
        .collection(COLLECTIONS.orders)
        .where({ _id, bindState: 'unbound' })
        .update({ data: fields });
      if (res.stats.updated === 1) counts.updated += 1;
      else counts.skippedBound += 1;
    }
  };

  for (const row of parsed.orders) {
    const doc = existing.get(orderIdOf(job.platform, row.orderNo));
    if (doc) await settle(row, doc);
    else fresh.push(newOrderDoc(job.platform, row, job._id, now));
  }
  const raced = await insertNew(fresh);
  for (const doc of fresh) {
    const other = raced.get(doc._id);
    if (!other) counts.created += 1;
    else await settle(parsed.orders.find((r) => orderIdOf(job.platform, r.orderNo) === doc._id)!, other);
  }
  return { counts, errors: parsed.errors };
}
