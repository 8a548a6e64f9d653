/**
 * Reads and writes inside a transaction. A transaction sees its own writes over the committed
 * version of each document as it first read it; writes lock the document (transactions.ts) and
 * stay in the transaction until commit, which validates and applies them in one IMMEDIATE SQLite
 * transaction.
 */
import { decodeStored, type Doc, encodeStored, idKey } from './ejson';
import { DbFailure, duplicateKey, requestFailed, transactionConflict } from './errors';
import { type Matcher, type Order, sortDocs } from './query';
import { findCommitted } from './read';
import { type CollectionInfo, formatKey, indexKeyValue, type Store } from './store';
import { slot, type Transactions, type Tx } from './transactions';
import { applyUpdate, type UpdateSpec } from './update';

export type TxBody = Record<string, unknown>;

export class TransactionalOps {
  constructor(
    private readonly store: Store,
    private readonly txs: Transactions,
  ) {}

  /** The transaction's view of one document: its own write, else the committed version it saw first. */
  get(tx: Tx, coll: CollectionInfo, key: string): Doc | null {
    const s = slot(coll.name, key);
    const w = tx.writes.get(s);
    if (w) return w.text === null ? null : decodeStored(w.text);
    let seen = tx.seen.get(s);
    if (!seen) {
      const row = this.store.readOne(() => this.store.getRow(coll, key));
      seen = { coll, key, rev: row?.rev ?? null, text: row?.doc ?? null };
      tx.seen.set(s, seen);
    }
    return seen.text === null ? null : decodeStored(seen.text);
  }

  private put(tx: Tx, coll: CollectionInfo, key: string, doc: Doc | null): void {
    this.txs.lock(tx, coll.name, key);
    tx.writes.set(slot(coll.name, key), { coll, key, text: doc === null ? null : encodeStored(doc) });
  }

  /** where().get() in a transaction: committed matches merged with the transaction's overlay. */
  find(tx: Tx, coll: CollectionInfo, query: Doc, match: Matcher, order: Order, offset: number, limit: number): Doc[] {
    const byKey = new Map<string, Doc>();
    for (const f of this.store.readOne(() => findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit: Infinity }))) {
      const s = slot(coll.name, f.row.id);
      if (!tx.seen.has(s)) tx.seen.set(s, { coll, key: f.row.id, rev: f.row.rev, text: f.row.doc });
      byKey.set(f.row.id, f.doc);
    }
    for (const [key] of byKey) {
      const mine = this.get(tx, coll, key);
      if (mine && match(mine)) byKey.set(key, mine);
      else byKey.delete(key);
    }
    for (const w of tx.writes.values()) {
      if (w.coll.name !== coll.name || byKey.has(w.key) || w.text === null) continue;
      const doc = decodeStored(w.text);
      if (match(doc)) byKey.set(w.key, doc);
    }
    return sortDocs([...byKey.values()], order).slice(offset, offset + limit);
  }

  insert(tx: Tx, coll: CollectionInfo, docs: Doc[]): void {
    const keys = docs.map((d) => idKey(d._id));
    keys.forEach((key, i) => {
      if (this.get(tx, coll, key) !== null || keys.indexOf(key) !== i) {
        throw duplicateKey('Insert', coll.name, '_id_', formatKey([['_id', docs[i]._id]]));
      }
      if (this.txs.lockedByOther(coll.name, key, tx)) throw transactionConflict(`[LocalExecutor] write conflict on ${coll.name}/${key}`);
      this.checkUnique(tx, coll, docs[i], 'Insert', docs.slice(0, i));
    });
    keys.forEach((key, i) => this.put(tx, coll, key, docs[i]));
  }

  update(tx: Tx, coll: CollectionInfo, key: string, spec: UpdateSpec, query: Doc): number {
    this.txs.lock(tx, coll.name, key);
    const doc = this.get(tx, coll, key);
    if (!doc || !applyUpdate(doc, spec, query)) return 0;
    this.checkUnique(tx, coll, doc, 'Update');
    this.put(tx, coll, key, doc);
    return 1;
  }

  /** doc.set() in a transaction; the SDK reads `upsert_id` as `upserted` there. */
  set(tx: Tx, coll: CollectionInfo, key: string, doc: Doc, upsert: boolean): TxBody {
    this.txs.lock(tx, coll.name, key);
    const exists = this.get(tx, coll, key) !== null;
    if (!exists && !upsert) return { updated: 0 };
    this.checkUnique(tx, coll, doc, exists ? 'Update' : 'Insert');
    this.put(tx, coll, key, doc);
    return exists ? { updated: 1 } : { updated: 0, upsert_id: doc._id };
  }

  remove(tx: Tx, coll: CollectionInfo, key: string): number {
    this.txs.lock(tx, coll.name, key);
    if (this.get(tx, coll, key) === null) return 0;
    this.put(tx, coll, key, null);
    return 1;
  }

  /**
   * Unique indexes, checked when the transaction writes (as Mongo reports E11000 at the operation)
   * against committed data and the transaction's own writes. SQLite enforces them again at commit.
   */
  private checkUnique(tx: Tx, coll: CollectionInfo, doc: Doc, op: 'Insert' | 'Update', pending: Doc[] = []): void {
    const key = idKey(doc._id);
    for (const ix of coll.indexes) {
      if (!ix.unique) continue;
      const vals = ix.keys.map((k) => indexKeyValue(doc, k.path));
      if (vals.some((v) => v.value === null || v.complex)) continue; // NULLs never collide in SQLite
      const same = (other: Doc): boolean => ix.keys.every((k, i) => indexKeyValue(other, k.path).value === vals[i].value);
      const where = ix.keys.map((k) => `${k.expr} = ?`).join(' AND ');
      const rows = this.store.readOne(() => this.store.stmt(`SELECT id FROM ${coll.table} WHERE ${where}`).all(...vals.map((v) => v.value))) as { id: string }[];
      const clash =
        rows.some((r) => r.id !== key && !tx.writes.has(slot(coll.name, r.id))) ||
        [...tx.writes.values()].some((w) => w.coll.name === coll.name && w.key !== key && w.text !== null && same(decodeStored(w.text))) ||
        pending.some(same);
      if (clash) throw duplicateKey(op, coll.name, ix.name, formatKey(ix.keys.map((k, i) => [k.path, vals[i].raw])));
    }
  }

  /**
   * Commit: in one IMMEDIATE transaction, every document the transaction read or wrote must still
   * have the rev it saw (this also catches other processes), then all writes apply at once.
   */
  commit(tx: Tx): void {
    try {
      this.store.write(() => {
        for (const seen of tx.seen.values()) {
          const row = this.store.getRow(seen.coll, seen.key);
          if ((row?.rev ?? null) !== seen.rev) {
            throw transactionConflict(`[LocalExecutor] transaction conflict: ${seen.coll.name}/${seen.key} changed since the transaction read it`);
          }
        }
        if (tx.writes.size === 0) return;
        for (const w of tx.writes.values()) {
          const exists = !!this.store.getRow(w.coll, w.key);
          if (w.text === null) {
            if (exists) this.store.deleteRow(w.coll, w.key);
          } else if (exists) this.store.updateDoc(w.coll, decodeStored(w.text));
          else this.store.insertDoc(w.coll, decodeStored(w.text));
        }
      });
    } catch (e) {
      if (e instanceof DbFailure) throw e;
      throw requestFailed(`[LocalExecutor] commit failed: ${(e as Error).message}`);
    } finally {
      this.txs.finish(tx);
    }
  }
}
