/**
 * The CloudBase database actions, with the response bodies the SDK reads (without `requestId`,
 * which `LocalDatabase.send` adds). Non-transactional writes run each in one IMMEDIATE SQLite
 * transaction; transactional ones go to tx-ops.ts and reach SQLite at commit.
 */
import { randomBytes } from 'node:crypto';
import { currentInvocationState } from '../context';
import { runAggregate, parsePipeline } from './aggregate';
import { type Doc, idKey, isPlainObject, parseWire, toWire } from './ejson';
import { Codes, DbFailure, invalidParam, transactionConflict } from './errors';
import { compileQuery, type Matcher, parseOrder, project, validateProjection, validateQuery } from './query';
import { countCommitted, findCommitted, type Found } from './read';
import type { CollectionInfo, Store } from './store';
import type { Transactions, Tx } from './transactions';
import { TransactionalOps } from './tx-ops';
import { applyUpdate, parseUpdateSpec, replacementDoc, type UpdateSpec } from './update';

export type Params = Record<string, unknown>;
export type Body = Record<string, unknown>;

/** get(): the SDK sends 100 when no limit is set and clamps to 1000; the server caps at 1000 too. */
export const GET_DEFAULT_LIMIT = 100;
export const GET_MAX_LIMIT = 1000;
/** How long a plain write waits for a document locked by an open transaction before conflicting. */
export const LOCK_WAIT_MS = 3000;
const LOCK_POLL_MS = 10;

/** Thrown inside a write when a document is locked by a transaction; the write is retried. */
class LockedByTransaction extends Error {}

const generateId = (): string => randomBytes(16).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The SDK sends these without transactionId even inside a transaction, so CloudBase would run them
 * outside it; refuse them while the invocation has a transaction open, so the bug shows up locally.
 */
function refuseInsideTransaction(what: string): void {
  if ((currentInvocationState()?.openTransactions ?? 0) > 0) {
    throw invalidParam(
      `[LocalExecutor] ${what} cannot run while a transaction is open: the SDK sends it without transactionId, so CloudBase would run it outside the transaction. Use doc() operations on the transaction, or run it after commit.`,
    );
  }
}

export class Executor {
  private readonly txOps: TransactionalOps;

  constructor(
    private readonly store: Store,
    private readonly txs: Transactions,
    private readonly now: () => number,
  ) {
    this.txOps = new TransactionalOps(store, txs);
  }

  async run(action: string, p: Params): Promise<Body> {
    switch (action) {
      case 'database.getDocument':
        return this.getDocument(p);
      case 'database.calculateDocument':
        return this.calculateDocument(p);
      case 'database.insertDocument':
        return this.insertDocument(p);
      case 'database.modifyDocument':
        return this.modifyDocument(p);
      case 'database.removeDocument':
      case 'database.deleteDocument':
        return this.removeDocument(p);
      case 'database.modifyAndReturnDoc':
        return this.modifyAndReturnDoc(p);
      case 'database.aggregateDocuments':
        return this.aggregateDocuments(p);
      case 'database.startTransaction':
        return { transactionId: this.txs.start(currentInvocationState()).id };
      case 'database.commitTransaction':
        this.txOps.commit(this.txs.get(p.transactionId));
        return {};
      case 'database.abortTransaction': {
        const tx = this.txs.find(p.transactionId);
        if (tx) this.txs.finish(tx);
        return {};
      }
      case 'database.addCollection':
        return this.addCollection(p);
      default:
        throw invalidParam(`[LocalExecutor] unsupported action ${action}`);
    }
  }

  // ---- parameters ------------------------------------------------------------------------------

  private coll(p: Params): CollectionInfo {
    if (typeof p.collectionName !== 'string') throw invalidParam('collectionName is required');
    return this.store.collection(p.collectionName);
  }

  private wire(v: unknown): unknown {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw invalidParam('expected an EJSON string');
    return parseWire(v, this.now());
  }

  private query(p: Params): Doc {
    const q = this.wire(p.query);
    return q === undefined ? {} : validateQuery(q);
  }

  /** The `_id` of a DOC-type request (`{"_id": x}`). */
  private docId(q: Doc): unknown {
    if (!('_id' in q)) throw invalidParam('a document request needs an _id');
    return q._id;
  }

  private tx(p: Params): Tx | undefined {
    return p.transactionId === undefined || p.transactionId === null ? undefined : this.txs.get(p.transactionId);
  }

  // ---- reads -----------------------------------------------------------------------------------

  private getDocument(p: Params): Body {
    const coll = this.coll(p);
    const query = this.query(p);
    const order = parseOrder(this.wire(p.order));
    const projection = validateProjection(this.wire(p.projection));
    const offset = typeof p.offset === 'number' && p.offset > 0 ? Math.floor(p.offset) : 0;
    const requested = typeof p.limit === 'number' && p.limit > 0 ? Math.floor(p.limit) : GET_DEFAULT_LIMIT;
    const limit = p.queryType === 'DOC' ? 1 : Math.min(requested, GET_MAX_LIMIT);
    const match = compileQuery(query);
    const tx = this.tx(p);
    let docs: Doc[];
    if (!tx) docs = this.store.read(() => findCommitted(this.store, coll, query, match, { order, offset, limit })).map((f) => f.doc);
    else if (p.queryType === 'DOC') {
      const doc = this.txOps.get(tx, coll, idKey(this.docId(query)));
      docs = doc ? [doc] : [];
    } else docs = this.txOps.find(tx, coll, query, match, order, offset, limit);
    return { data: { list: project(docs, projection).map(toWire) } };
  }

  private calculateDocument(p: Params): Body {
    refuseInsideTransaction('count()');
    const coll = this.coll(p);
    const query = this.query(p);
    const match = compileQuery(query);
    return { data: { total: this.store.read(() => countCommitted(this.store, coll, query, match)) } };
  }

  private aggregateDocuments(p: Params): Body {
    const coll = this.coll(p);
    const pipeline = parsePipeline(p.stages, this.now());
    const out = this.store.read(() => runAggregate(this.store, coll, pipeline));
    return { data: { list: out.map(toWire) } };
  }

  // ---- plain writes ----------------------------------------------------------------------------

  /**
   * Runs a write in one IMMEDIATE transaction; while it meets a document locked by an open
   * transaction it rolls back, waits and retries, then gives up with a conflict.
   */
  private async plainWrite<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        return this.store.write(fn);
      } catch (e) {
        if (!(e instanceof LockedByTransaction)) throw e;
        if (Date.now() >= deadline) throw transactionConflict(`[LocalExecutor] ${e.message}: still locked after ${LOCK_WAIT_MS} ms`);
        await sleep(LOCK_POLL_MS);
      }
    }
  }

  private checkUnlocked(coll: CollectionInfo, key: string): void {
    if (this.txs.lockedByOther(coll.name, key)) throw new LockedByTransaction(`document ${coll.name}/${key} is locked by an open transaction`);
  }

  private parseDocs(p: Params): Doc[] {
    const list = Array.isArray(p.data) ? p.data : [p.data];
    if (list.length === 0) throw invalidParam('nothing to insert');
    return list.map((text) => {
      const doc = this.wire(text);
      if (!isPlainObject(doc)) throw invalidParam('a document must be an object');
      if (doc._id === undefined) return { _id: generateId(), ...doc };
      idKey(doc._id); // validates
      return doc;
    });
  }

  private async insertDocument(p: Params): Promise<Body> {
    const coll = this.coll(p);
    const docs = this.parseDocs(p);
    const tx = this.tx(p);
    if (tx) this.txOps.insert(tx, coll, docs);
    else {
      await this.plainWrite(() => {
        const rev = this.store.nextRev();
        for (const doc of docs) {
          this.checkUnlocked(coll, idKey(doc._id));
          this.store.insertDoc(coll, doc, rev);
        }
      });
    }
    return { data: { insertedIds: docs.map((d) => d._id) } };
  }

  private async modifyDocument(p: Params): Promise<Body> {
    const coll = this.coll(p);
    const query = this.query(p);
    const data = this.wire(p.data);
    const tx = this.tx(p);
    const isDoc = p.queryType === 'DOC';
    if (!isDoc) {
      if (tx) throw invalidParam('[LocalExecutor] where().update() is not supported inside a transaction');
      refuseInsideTransaction('where().update()');
    }
    if (p.merge === false) {
      // doc.set(): replace, creating the document when upsert is set.
      const id = this.docId(query);
      const replacement = replacementDoc(id, data);
      const key = idKey(id);
      if (tx) return { data: this.txOps.set(tx, coll, key, replacement, p.upsert === true) };
      return {
        data: await this.plainWrite(() => {
          this.checkUnlocked(coll, key);
          const exists = !!this.store.getRow(coll, key);
          if (!exists && p.upsert !== true) return { updated: 0 };
          const rev = this.store.nextRev();
          if (exists) {
            this.store.updateDoc(coll, replacement, rev);
            return { updated: 1 };
          }
          this.store.insertDoc(coll, replacement, rev);
          return { updated: 0, upsert_id: id };
        }),
      };
    }
    const spec = parseUpdateSpec(data);
    if (tx) return { data: { updated: this.txOps.update(tx, coll, idKey(this.docId(query)), spec, query) } };
    const match = compileQuery(query);
    const limit = isDoc || p.multi === false ? 1 : Infinity;
    const updated = await this.plainWrite(() => this.updateMatching(coll, query, match, spec, limit).length);
    return { data: { updated } };
  }

  /** Updates up to `limit` matching documents; returns the changed ones. Inside `plainWrite`. */
  private updateMatching(coll: CollectionInfo, query: Doc, match: Matcher, spec: UpdateSpec, limit: number): Found[] {
    const found = findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit });
    const changed: Found[] = [];
    let rev = 0;
    for (const f of found) {
      this.checkUnlocked(coll, f.row.id);
      if (!applyUpdate(f.doc, spec, query)) continue;
      rev ||= this.store.nextRev();
      this.store.updateDoc(coll, f.doc, rev);
      changed.push(f);
    }
    return changed;
  }

  private async removeDocument(p: Params): Promise<Body> {
    const coll = this.coll(p);
    const query = this.query(p);
    const tx = this.tx(p);
    const isDoc = p.queryType === 'DOC';
    if (!isDoc) {
      if (tx) throw invalidParam('[LocalExecutor] where().remove() is not supported inside a transaction');
      refuseInsideTransaction('where().remove()');
    }
    if (tx) return { data: { deleted: this.txOps.remove(tx, coll, idKey(this.docId(query))) } };
    const match = compileQuery(query);
    const limit = isDoc || p.multi === false ? 1 : Infinity;
    const deleted = await this.plainWrite(() => {
      const found = findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit });
      for (const f of found) {
        this.checkUnlocked(coll, f.row.id);
        this.store.deleteRow(coll, f.row.id);
      }
      return found.length;
    });
    return { data: { deleted } };
  }

  /** where(q).updateAndReturn(u): the first match, updated; `doc` is the new version. */
  private async modifyAndReturnDoc(p: Params): Promise<Body> {
    const coll = this.coll(p);
    const query = this.query(p);
    if (this.tx(p)) throw invalidParam('[LocalExecutor] updateAndReturn() is not supported inside a transaction');
    const spec = parseUpdateSpec(this.wire(p.data));
    const match = compileQuery(query);
    const result = await this.plainWrite(() => {
      const [first] = findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit: 1 });
      if (!first) return { updated: 0, doc: null };
      this.checkUnlocked(coll, first.row.id);
      const changed = applyUpdate(first.doc, spec, query);
      if (changed) this.store.updateDoc(coll, first.doc, this.store.nextRev());
      return { updated: changed ? 1 : 0, doc: toWire(first.doc) };
    });
    return { data: result };
  }

  private addCollection(p: Params): Body {
    if (typeof p.collectionName !== 'string') throw invalidParam('collectionName is required');
    if (!this.store.createCollection(p.collectionName)) {
      throw new DbFailure(Codes.COLLECTION_ALREADY_EXIST, `[ResourceInUse] Table exist: ${p.collectionName}`);
    }
    return {};
  }
}
