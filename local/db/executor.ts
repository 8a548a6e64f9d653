/**
 * The CloudBase database actions, with the response bodies the SDK reads (without `requestId`,
 * which `LocalDatabase.send` adds). Non-transactional writes run each in one IMMEDIATE SQLite
 * transaction, or, when many arrive together, grouped in one (each atomic on its own, see
 * `enqueue`); transactional ones go to tx-ops.ts and reach SQLite at commit.
 *
 * Hot path: the SDK sends the same EJSON text for the same query or update, so parsed and
 * validated queries (with their matcher, and the last plan, see read.ts) and update specs the fast
 * path applies are kept by wire text; texts holding a server date are never kept. Reads run
 * synchronously; concurrent plain writes are group-committed (`enqueue`).
 */
import { randomFillSync } from 'node:crypto';
// The real one, even where a test fakes the global timers: grouped writes must always go out.
import { setImmediate } from 'node:timers';
import { currentInvocationState } from '../context';
import { runAggregate, parsePipeline } from './aggregate';
import { type Doc, idKey, isPlainObject, parseWire, toWire } from './ejson';
import { Codes, DbFailure, invalidParam, transactionConflict } from './errors';
import { compileQuery, type Matcher, parseOrder, project, validateProjection, validateQuery } from './query';
import { countCommitted, findCommitted, type Found } from './read';
import { type CollectionInfo, type Store, UnprotectedChange } from './store';
import type { Transactions, Tx } from './transactions';
import { TransactionalOps } from './tx-ops';
import { applyUpdate, hasFastPlan, parseUpdateSpec, replacementDoc, type UpdateSpec } from './update';

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

/** 32 hex characters from 16 random bytes, drawn from a pool (randomBytes per id costs ~1.5 µs). */
const ID_POOL = Buffer.alloc(16 * 256);
let idOffset = ID_POOL.length;
const generateId = (): string => {
  if (idOffset >= ID_POOL.length) {
    randomFillSync(ID_POOL);
    idOffset = 0;
  }
  idOffset += 16;
  return ID_POOL.toString('hex', idOffset - 16, idOffset);
};
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

/** A query and its matcher, compiled on first use (a DOC request in a transaction needs none). */
class CompiledQuery {
  private matcher?: Matcher;
  /** The last write with this query matched nothing (a sold-out stock): see `noMatch`. */
  missed = false;
  constructor(readonly query: Doc) {}
  get match(): Matcher {
    return (this.matcher ??= compileQuery(this.query));
  }
  /** The matcher, compiled only when a first candidate needs it: most one-off lookups find nothing. */
  readonly lazy: Matcher = (doc) => this.match(doc);
}

/** A small map keyed by wire text; the oldest entries go first. */
class TextCache<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly max: number) {}
  get(key: string): T | undefined {
    return this.map.get(key);
  }
  set(key: string, v: T): void {
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

interface QueuedWrite {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  deadline: number;
}

const LONELY_GROUPS_MAX = 8;
const GROUP_PROBE_EVERY = 64;

const SERVER_DATE = '$tcb_server_date';
const TEXT_CACHE_SIZE = 512;

export class Executor {
  private readonly txOps: TransactionalOps;
  private readonly queries = new TextCache<CompiledQuery>(TEXT_CACHE_SIZE);
  private readonly updates = new TextCache<UpdateSpec>(TEXT_CACHE_SIZE);
  /** Group commit (see `enqueue`): writes waiting for the end of the turn. */
  private queue: QueuedWrite[] = [];
  private flushScheduled = false;
  /** A write already ran on its own in this event-loop turn. */
  private ranThisTurn = false;
  /** Consecutive groups of a single write, and writes run alone since grouping paused. */
  private lonelyGroups = 0;
  private soloWrites = 0;

  constructor(
    private readonly store: Store,
    private readonly txs: Transactions,
    private readonly now: () => number,
  ) {
    this.txOps = new TransactionalOps(store, txs);
  }

  /** Synchronous unless a write has to wait for a transaction's lock (saves promises per request). */
  run(action: string, p: Params): Body | Promise<Body> {
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

  /**
   * The validated query with its matcher, compiled on first use; cached by wire text (the SDK sends
   * the same text for the same query) unless it holds a server date, which depends on the clock.
   */
  private compiled(p: Params): CompiledQuery {
    const text = typeof p.query === 'string' && p.query !== '' ? p.query : undefined;
    const hit = text === undefined ? undefined : this.queries.get(text);
    if (hit) return hit;
    const entry = new CompiledQuery(this.query(p));
    if (text !== undefined && !text.includes(SERVER_DATE)) this.queries.set(text, entry);
    return entry;
  }

  /** A cached update spec for this wire text (see `updateSpec`). */
  private cachedUpdate(p: Params): UpdateSpec | undefined {
    return typeof p.data === 'string' ? this.updates.get(p.data) : undefined;
  }

  /** The update operators of the parsed `data`; cached by wire text when the fast path applies them (update.ts). */
  private updateSpec(p: Params, data: unknown): UpdateSpec {
    const spec = parseUpdateSpec(data);
    if (typeof p.data === 'string' && !p.data.includes(SERVER_DATE) && hasFastPlan(spec)) this.updates.set(p.data, spec);
    return spec;
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
    const cq = this.compiled(p);
    const query = cq.query;
    const order = parseOrder(this.wire(p.order));
    const projection = validateProjection(this.wire(p.projection));
    const offset = typeof p.offset === 'number' && p.offset > 0 ? Math.floor(p.offset) : 0;
    const requested = typeof p.limit === 'number' && p.limit > 0 ? Math.floor(p.limit) : GET_DEFAULT_LIMIT;
    const limit = p.queryType === 'DOC' ? 1 : Math.min(requested, GET_MAX_LIMIT);
    const match = cq.lazy;
    const tx = this.tx(p);
    let docs: Doc[];
    if (!tx) docs = this.store.readOne(() => findCommitted(this.store, coll, query, match, { order, offset, limit })).map((f) => f.doc);
    else if (p.queryType === 'DOC') {
      const doc = this.txOps.get(tx, coll, idKey(this.docId(query)));
      docs = doc ? [doc] : [];
    } else docs = this.txOps.find(tx, coll, query, match, order, offset, limit);
    return { data: { list: project(docs, projection).map(toWire) } };
  }

  private calculateDocument(p: Params): Body {
    refuseInsideTransaction('count()');
    const coll = this.coll(p);
    const { query, match } = this.compiled(p);
    return { data: { total: this.store.readOne(() => countCommitted(this.store, coll, query, match)) } };
  }

  private aggregateDocuments(p: Params): Body {
    const coll = this.coll(p);
    const pipeline = parsePipeline(p.stages, this.now());
    const out = this.store.read(() => runAggregate(this.store, coll, pipeline));
    return { data: { list: out.map(toWire) } };
  }

  // ---- plain writes ----------------------------------------------------------------------------

  /**
   * Runs a write atomically: alone in one IMMEDIATE transaction, or grouped (see `enqueue`); while
   * it meets a document locked by an open transaction it rolls back, waits and retries, then gives
   * up with a conflict. The caller gets the result once it is committed.
   */
  private plainWrite<T>(fn: () => T): T | Promise<T> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    if (this.flushScheduled || (this.ranThisTurn && this.grouping())) return this.enqueue(fn, deadline);
    // The first write of an event-loop turn runs at once; later ones in the same turn are grouped.
    if (!this.ranThisTurn) {
      this.ranThisTurn = true;
      setImmediate(() => {
        this.ranThisTurn = false;
      });
    }
    try {
      return this.store.write(fn);
    } catch (e) {
      if (!(e instanceof LockedByTransaction)) throw e;
      return this.retryWrite(fn, deadline, e);
    }
  }

  /**
   * Whether to group: not while the last groups held one write each (one caller writing in a loop
   * within one turn gains nothing from waiting), except for a probe every GROUP_PROBE_EVERY writes.
   */
  private grouping(): boolean {
    if (this.lonelyGroups < LONELY_GROUPS_MAX) return true;
    if (++this.soloWrites < GROUP_PROBE_EVERY) return false;
    this.soloWrites = 0;
    this.lonelyGroups = 0;
    return true;
  }

  /**
   * Group commit: writes that arrive while one already ran in this turn (many requests in flight)
   * wait for the end of the turn, then run in arrival order in ONE IMMEDIATE transaction, each atomic
   * on its own (`Store.grouped`), so that one failing undoes only itself. Every caller
   * gets its result after the COMMIT; if BEGIN or COMMIT fails they all fail. This pays SQLite's
   * per-transaction cost (locks, WAL write) once per group instead of once per write.
   */
  private enqueue<T>(fn: () => T, deadline: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject, deadline });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs the grouped writes now (before `clear()` or `close()`, which must come after them). */
  flush(): void {
    this.flushScheduled = false;
    const items = this.queue;
    if (items.length === 0) return;
    this.queue = [];
    this.lonelyGroups = items.length === 1 ? this.lonelyGroups + 1 : 0;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.store.write(() => {
        for (const item of items) {
          try {
            outcomes.push({ ok: true, value: this.store.grouped(item.fn) });
          } catch (e) {
            // An error that made SQLite roll the whole transaction back (disk full, I/O) fails the
            // group, and so does a request that cannot be undone alone.
            if (!this.store.sql.inTransaction || e instanceof UnprotectedChange) throw e;
            outcomes.push({ ok: false, value: e });
          }
        }
      });
    } catch (e) {
      for (const item of items) item.reject(e);
      return;
    }
    items.forEach((item, i) => {
      const { ok, value } = outcomes[i];
      if (ok) item.resolve(value);
      else if (value instanceof LockedByTransaction) this.retryWrite(item.fn, item.deadline, value).then(item.resolve, item.reject);
      else item.reject(value);
    });
  }

  private async retryWrite<T>(fn: () => T, deadline: number, first: LockedByTransaction): Promise<T> {
    let e: unknown = first;
    for (;;) {
      if (Date.now() >= deadline) throw transactionConflict(`[LocalExecutor] ${(e as Error).message}: still locked after ${LOCK_WAIT_MS} ms`);
      await sleep(LOCK_POLL_MS);
      try {
        return this.store.write(fn);
      } catch (err) {
        if (!(err instanceof LockedByTransaction)) throw err;
        e = err;
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

  private insertDocument(p: Params): Body | Promise<Body> {
    const coll = this.coll(p);
    const docs = this.parseDocs(p);
    const tx = this.tx(p);
    const body = (): Body => ({ data: { insertedIds: docs.map((d) => d._id) } });
    if (tx) {
      this.txOps.insert(tx, coll, docs);
      return body();
    }
    return this.plainWrite(() => {
      if (docs.length > 1) this.store.atomic();
      for (const doc of docs) {
        this.checkUnlocked(coll, idKey(doc._id));
        this.store.insertDoc(coll, doc);
      }
      return body();
    });
  }

  private modifyDocument(p: Params): Body | Promise<Body> {
    const coll = this.coll(p);
    const cq = this.compiled(p);
    const query = cq.query;
    const cached = p.merge === false ? undefined : this.cachedUpdate(p);
    const data = cached ? undefined : this.wire(p.data);
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
      return this.plainWrite((): Body => {
        this.checkUnlocked(coll, key);
        const exists = !!this.store.getRow(coll, key);
        if (!exists && p.upsert !== true) return { data: { updated: 0 } };
        if (exists) {
          this.store.updateDoc(coll, replacement);
          return { data: { updated: 1 } };
        }
        this.store.insertDoc(coll, replacement);
        return { data: { updated: 0, upsert_id: id } };
      });
    }
    const spec = cached ?? this.updateSpec(p, data);
    if (tx) return { data: { updated: this.txOps.update(tx, coll, idKey(this.docId(query)), spec, query) } };
    const limit = isDoc || p.multi === false ? 1 : Infinity;
    if (this.noMatch(cq, coll)) return { data: { updated: 0 } };
    return this.plainWrite(() => ({ data: { updated: this.updateMatching(cq, coll, spec, limit).length } }));
  }

  /**
   * For a conditional write whose query matched nothing last time (a sold-out stock, a used code):
   * whether a read snapshot finds no match now, in which case the write can answer "nothing
   * matched" as of that snapshot without taking the write lock.
   */
  private noMatch(cq: CompiledQuery, coll: CollectionInfo): boolean {
    if (!cq.missed) return false;
    const none = this.store.readOne(() => findCommitted(this.store, coll, cq.query, cq.match, { order: [], offset: 0, limit: 1 }).length === 0);
    if (!none) cq.missed = false;
    return none;
  }

  /** Updates up to `limit` matching documents; returns the changed ones. Inside `plainWrite`. */
  private updateMatching(cq: CompiledQuery, coll: CollectionInfo, spec: UpdateSpec, limit: number): Found[] {
    const { query, match } = cq;
    const found = findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit });
    cq.missed = found.length === 0;
    if (found.length > 1) this.store.atomic();
    const changed: Found[] = [];
    for (const f of found) {
      this.checkUnlocked(coll, f.row.id);
      if (!applyUpdate(f.doc, spec, query)) continue;
      this.store.updateDoc(coll, f.doc);
      changed.push(f);
    }
    return changed;
  }

  private removeDocument(p: Params): Body | Promise<Body> {
    const coll = this.coll(p);
    const cq = this.compiled(p);
    const query = cq.query;
    const tx = this.tx(p);
    const isDoc = p.queryType === 'DOC';
    if (!isDoc) {
      if (tx) throw invalidParam('[LocalExecutor] where().remove() is not supported inside a transaction');
      refuseInsideTransaction('where().remove()');
    }
    if (tx) return { data: { deleted: this.txOps.remove(tx, coll, idKey(this.docId(query))) } };
    const match = cq.match;
    const limit = isDoc || p.multi === false ? 1 : Infinity;
    if (this.noMatch(cq, coll)) return { data: { deleted: 0 } };
    return this.plainWrite(() => {
      const found = findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit });
      cq.missed = found.length === 0;
      if (found.length > 0) this.store.atomic();
      for (const f of found) {
        this.checkUnlocked(coll, f.row.id);
        this.store.deleteRow(coll, f.row.id);
      }
      return { data: { deleted: found.length } };
    });
  }

  /** where(q).updateAndReturn(u): the first match, updated; `doc` is the new version. */
  private modifyAndReturnDoc(p: Params): Body | Promise<Body> {
    const coll = this.coll(p);
    const cq = this.compiled(p);
    const { query, match } = cq;
    if (this.tx(p)) throw invalidParam('[LocalExecutor] updateAndReturn() is not supported inside a transaction');
    const spec = this.cachedUpdate(p) ?? this.updateSpec(p, this.wire(p.data));
    if (this.noMatch(cq, coll)) return { data: { updated: 0, doc: null } };
    return this.plainWrite((): Body => {
      const [first] = findCommitted(this.store, coll, query, match, { order: [], offset: 0, limit: 1 });
      cq.missed = !first;
      if (!first) return { data: { updated: 0, doc: null } };
      this.checkUnlocked(coll, first.row.id);
      const changed = applyUpdate(first.doc, spec, query);
      const doc = toWire(first.doc); // before the write: nothing may fail after it (see Store.grouped)
      if (changed) this.store.updateDoc(coll, first.doc);
      return { data: { updated: changed ? 1 : 0, doc } };
    });
  }

  private addCollection(p: Params): Body {
    if (typeof p.collectionName !== 'string') throw invalidParam('collectionName is required');
    if (!this.store.createCollection(p.collectionName)) {
      throw new DbFailure(Codes.COLLECTION_ALREADY_EXIST, `[ResourceInUse] Table exist: ${p.collectionName}`);
    }
    return {};
  }
}
