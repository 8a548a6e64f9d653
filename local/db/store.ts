/**
 * SQLite storage: one table per collection `(id TEXT PRIMARY KEY, doc TEXT, rev INTEGER)`, the
 * declared indexes as expression indexes over the JSON, and two bookkeeping tables.
 *
 * - WAL + busy_timeout: readers never block, writers from several processes queue.
 * - Every write request runs inside one `BEGIN IMMEDIATE` transaction (`write()`), so its
 *   read-modify-write is atomic against other processes too. Concurrent plain writes may share one
 *   (group commit, executor.ts), each atomic on its own (`grouped()`).
 * - BEGIN/COMMIT/SAVEPOINT and the per-document statements are prepared once; reads that need a
 *   single statement run without BEGIN (`readOne()`).
 * - `rev` (what transactions validate at commit) only grows over a document id's whole history:
 *   an update adds 1 to the row's rev; a delete raises the database-wide counter in the meta table
 *   to at least the deleted rev; an insert takes counter + 1. So a document that is deleted and
 *   re-inserted never gets back a rev a transaction saw earlier (no ABA at commit), and updates,
 *   the common write, touch no page but the document's own.
 * - synchronous=NORMAL: in WAL mode a committed transaction is in the WAL file when COMMIT returns,
 *   so it survives a crash of the process (kill -9); only an OS crash or power loss could lose the
 *   last transactions, which is fine for a development database.
 * - Unique indexes are SQLite UNIQUE expression indexes. A document missing the field (or holding
 *   null) indexes as NULL, and SQLite NULLs never collide, so any number of such documents may
 *   coexist. Mongo would index them as null and allow only one unless the index is sparse; what
 *   CloudBase does is unverified, and the permissive choice keeps optional unique fields usable.
 *   Values SQLite sees as equal collide even across JS types: `true` and `1` (booleans index as
 *   1/0), a Date and its epoch-ms number.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CollectionDecl, IndexDirection } from '../../database/schema';
import { decodeStored, describe, type Doc, encodeStored, idKey } from './ejson';
import { collectionNotExist, duplicateKey, invalidParam, requestFailed } from './errors';
import { resolvePath } from './paths';

export interface IndexKey {
  path: string;
  dir: IndexDirection;
  /** The SQL expression the index is built on; queries must repeat it verbatim to use the index. */
  expr: string;
}

export interface IndexInfo {
  name: string;
  sqlName: string;
  unique: boolean;
  keys: IndexKey[];
}

export interface CollectionInfo {
  name: string;
  /** Quoted table name. */
  table: string;
  indexes: IndexInfo[];
}

export interface Row {
  id: string;
  doc: string;
  rev: number;
}

const META = '__tcb_meta';
const STATEMENT_CACHE_SIZE = 1000;
const FLAGS = '__tcb_index_flags';
const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function checkCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name) || name.startsWith('__tcb') || name.toLowerCase().startsWith('sqlite_')) {
    throw invalidParam(`invalid collection name: ${JSON.stringify(name)}`);
  }
}

/** `$."a"."b"`: quoted labels so any field name is safe. */
export function jsonPath(fieldPath: string): string {
  return '$' + fieldPath.split('.').map((s) => `."${s}"`).join('');
}

/**
 * The indexed value of a field: epoch ms for a stored Date (`{"$date": ms}`), otherwise what
 * json_extract gives (TEXT, INTEGER/REAL, 1/0 for booleans, NULL when missing or null).
 */
export function indexExpr(fieldPath: string): string {
  const p = jsonPath(fieldPath);
  return `COALESCE(json_extract(doc, '${p}."$date"'), json_extract(doc, '${p}'))`;
}

function checkIndexPath(collection: string, index: string, fieldPath: string): void {
  const ok = fieldPath.split('.').every((s) => s !== '' && !/^\d+$/.test(s) && !s.startsWith('$') && !/["']/.test(s));
  if (!ok || fieldPath === '_id') {
    throw new Error(`index ${collection}.${index}: unsupported key path ${JSON.stringify(fieldPath)} (no _id, numeric segments, quotes or $)`);
  }
}

/**
 * A document's key in one index, as SQLite computes it; `complex` when the value is not a scalar
 * the expression can represent (array, sub-document, path through an array). Such a document
 * marks the index as not usable for query planning (see `indexFacts`), like a Mongo multikey index.
 */
export function indexKeyValue(doc: Doc, fieldPath: string): { value: string | number | null; raw: unknown; complex: boolean } {
  const r = resolvePath(doc, fieldPath);
  const v = r.value;
  if (r.throughArray) return { value: null, raw: v, complex: true };
  if (v === undefined || v === null) return { value: null, raw: v ?? null, complex: false };
  if (typeof v === 'string') return { value: v, raw: v, complex: false };
  if (typeof v === 'number') return { value: v, raw: v, complex: !Number.isFinite(v) };
  if (typeof v === 'boolean') return { value: v ? 1 : 0, raw: v, complex: false };
  if (v instanceof Date) return { value: v.getTime(), raw: v, complex: false };
  return { value: null, raw: v, complex: true };
}

/**
 * What a write teaches the planner, recorded in the flags table (facts are only ever added, until
 * clear() or an index rebuild): `<index name>` when the index holds a non-scalar value,
 * `type:<path>:<number|string|bool|date>` for each scalar type seen under an indexed path, so the
 * planner knows when SQLite's order of the indexed values matches Mongo's (see planner.ts), and
 * `type:_id:number` once a number `_id` was stored.
 */
export function indexFacts(coll: CollectionInfo, doc: Doc): string[] {
  // Number ids sort apart from string ids in the id column (ejson.ts): ORDER BY id needs to know.
  const facts: string[] = typeof doc._id === 'number' ? ['type:_id:number'] : [];
  const paths = new Set<string>();
  for (const ix of coll.indexes) {
    let complex = false;
    for (const k of ix.keys) {
      const v = indexKeyValue(doc, k.path);
      complex ||= v.complex;
      if (paths.has(k.path) || v.complex || v.raw === null) continue;
      paths.add(k.path);
      const raw = v.raw;
      facts.push(`type:${k.path}:${raw instanceof Date ? 'date' : typeof raw === 'boolean' ? 'bool' : typeof raw}`);
    }
    if (complex) facts.push(ix.name);
  }
  return facts;
}

export function formatKey(fields: [string, unknown][]): string {
  return `{ ${fields.map(([k, v]) => `${k}: ${describe(v)}`).join(', ')} }`;
}

type SqliteError = Error & { code?: string };

/** A grouped request changed a second row without `atomic()` (a bug): its whole group must fail. */
export class UnprotectedChange extends Error {}

interface DocStatements {
  get: Database.Statement;
  insert: Database.Statement;
  update: Database.Statement;
  remove: Database.Statement;
}

export class Store {
  readonly sql: Database.Database;
  private readonly collections = new Map<string, CollectionInfo>();
  private readonly declared = new Map<string, CollectionDecl>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly docStmts = new WeakMap<CollectionInfo, DocStatements>();
  private readonly begin: { deferred: Database.Statement; immediate: Database.Statement };
  private readonly commitStmt: Database.Statement;
  private readonly spBegin: Database.Statement;
  private readonly spRelease: Database.Statement;
  private readonly spRollback: Database.Statement;
  private readonly rollbackStmt: Database.Statement;
  private readonly dataVersionStmt: Database.Statement;
  /**
   * Index facts cached per collection (see `facts()`): `planning` is what the planner uses (a
   * superset of what is committed: facts of a rolled-back write stay, which only makes plans more
   * cautious); `persisted` is what is known to be committed, so a write skips re-inserting those.
   */
  private readonly factsCache = new Map<string, { planning: Set<string>; persisted: Set<string> }>();
  /** Facts inserted by the open write transaction: persisted once it commits. */
  private pendingFacts: [string, string][] = [];
  /** `PRAGMA data_version` when the cache was last valid; another connection's commit changes it. */
  private dataVersion = -1;
  /** Whether the open transaction has checked `dataVersion` yet. */
  private versionChecked = false;
  /** Inside `readOne()`: `facts()` begins the snapshot. */
  private lazyRead = false;
  /** The grouped write request running (see `grouped()`). */
  private item: { savepoint: boolean; changes: number; facts: number } | undefined;

  constructor(file: string, decls: CollectionDecl[]) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.sql = new Database(file);
    this.sql.pragma('busy_timeout = 10000');
    if (file !== ':memory:') this.sql.pragma('journal_mode = WAL');
    this.sql.pragma('synchronous = NORMAL');
    this.begin = { deferred: this.sql.prepare('BEGIN DEFERRED'), immediate: this.sql.prepare('BEGIN IMMEDIATE') };
    this.commitStmt = this.sql.prepare('COMMIT');
    this.spBegin = this.sql.prepare('SAVEPOINT w');
    this.spRelease = this.sql.prepare('RELEASE w');
    this.spRollback = this.sql.prepare('ROLLBACK TO w');
    this.rollbackStmt = this.sql.prepare('ROLLBACK');
    this.dataVersionStmt = this.sql.prepare('PRAGMA data_version').pluck();
    for (const d of decls) {
      checkCollectionName(d.name);
      this.declared.set(d.name, d);
    }
    this.write(() => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS ${META} (key TEXT PRIMARY KEY, value INTEGER NOT NULL)`);
      this.sql.exec(`INSERT OR IGNORE INTO ${META} (key, value) VALUES ('rev', 0)`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS ${FLAGS} (coll TEXT NOT NULL, idx TEXT NOT NULL, PRIMARY KEY (coll, idx))`);
      for (const d of decls) this.createCollection(d.name);
    });
  }

  /** Cached prepared statements (the SQL text is generated; the oldest ones go first). */
  stmt(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value as string);
      s = this.sql.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }

  /** A consistent snapshot for a read request. */
  read<T>(fn: () => T): T {
    return this.transaction('deferred', fn);
  }

  /**
   * A read made of one statement, plus the index facts if the planner asks for them: the snapshot
   * transaction begins only then (`facts()`), so a lone SELECT (by `_id`, or on unindexed fields)
   * runs without BEGIN/COMMIT, a snapshot by itself. `fn` must run at most one statement besides
   * `facts()`.
   */
  readOne<T>(fn: () => T): T {
    if (this.sql.inTransaction) return fn();
    this.lazyRead = true;
    try {
      const out = fn();
      if (this.sql.inTransaction) this.commitStmt.run();
      return out;
    } catch (e) {
      if (this.sql.inTransaction) this.rollbackStmt.run();
      throw e;
    } finally {
      this.lazyRead = false;
    }
  }

  /**
   * Runs one write request `fn` inside the open `write()` transaction shared by a group (executor.ts)
   * as a unit: on error its changes are undone and the error is rethrown, the transaction goes on.
   * A request that changes one document needs nothing for that: its single INSERT/UPDATE is the
   * last thing that can fail, and SQLite undoes a failing statement by itself (index facts it
   * recorded just before may stay: they only make plans more cautious). A request about to change
   * several documents calls `atomic()` first, which opens a savepoint; a second change without it
   * is refused, so that no request can be half-applied.
   */
  grouped<T>(fn: () => T): T {
    const item = { savepoint: false, changes: 0, facts: this.pendingFacts.length };
    this.item = item;
    try {
      const out = fn();
      if (item.savepoint) this.spRelease.run();
      return out;
    } catch (e) {
      if (item.savepoint && this.sql.inTransaction) {
        this.spRollback.run();
        this.spRelease.run();
        this.pendingFacts.length = item.facts;
      }
      throw e;
    } finally {
      this.item = undefined;
    }
  }

  /** Before changing several documents in one request: see `grouped()`. A no-op outside a group. */
  atomic(): void {
    const item = this.item;
    if (!item || item.savepoint) return;
    if (item.changes > 0) throw new Error('[LocalExecutor] internal: atomic() after a change');
    this.spBegin.run();
    item.savepoint = true;
  }

  /** Counts a document change of a grouped request (see `grouped()`). */
  private change(statements = 1): void {
    const item = this.item;
    if (!item || item.savepoint) return;
    item.changes += statements;
    if (item.changes > 1) throw new UnprotectedChange('[LocalExecutor] internal: a grouped write changed more than one row without atomic()');
  }

  /** One IMMEDIATE transaction: takes the write lock up front, waits (busy_timeout) for other writers. */
  write<T>(fn: () => T): T {
    return this.transaction('immediate', fn);
  }

  /**
   * BEGIN/COMMIT through cached statements (better-sqlite3's `transaction()` builds a wrapper per
   * call); nested calls become savepoints through better-sqlite3 as before.
   */
  private transaction<T>(mode: 'deferred' | 'immediate', fn: () => T): T {
    if (this.sql.inTransaction) {
      const mark = this.pendingFacts.length;
      try {
        return this.sql.transaction(fn)[mode]();
      } catch (e) {
        this.pendingFacts.length = mark; // the savepoint rolled back the facts it inserted
        throw e;
      }
    }
    this.begin[mode].run();
    this.versionChecked = false;
    let out: T;
    try {
      out = fn();
      this.commitStmt.run();
    } catch (e) {
      if (this.sql.inTransaction) this.rollbackStmt.run();
      this.pendingFacts = [];
      throw e;
    }
    if (this.pendingFacts.length > 0) {
      for (const [coll, fact] of this.pendingFacts) this.factsCache.get(coll)?.persisted.add(fact);
      this.pendingFacts = [];
    }
    return out;
  }

  /** The collection, or DATABASE_COLLECTION_NOT_EXIST; another process may have created it meanwhile. */
  collection(name: string): CollectionInfo {
    const known = this.collections.get(name);
    if (known) return known;
    if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) throw collectionNotExist(String(name));
    const exists = this.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
    if (!exists || name.startsWith('__tcb') || name.toLowerCase().startsWith('sqlite_')) throw collectionNotExist(name);
    const info = this.info(name);
    this.collections.set(name, info);
    return info;
  }

  hasCollection(name: string): boolean {
    try {
      this.collection(name);
      return true;
    } catch {
      return false;
    }
  }

  /** Creates the table (and declared indexes) if missing; true when it was created. */
  createCollection(name: string): boolean {
    checkCollectionName(name);
    return this.write(() => {
      const existed = !!this.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
      const info = this.info(name);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS ${info.table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL, rev INTEGER NOT NULL)`);
      this.syncIndexes(info);
      this.collections.set(name, info);
      return !existed;
    });
  }

  private info(name: string): CollectionInfo {
    const decl = this.declared.get(name);
    const indexes: IndexInfo[] = (decl?.indexes ?? []).map((ix) => {
      const keys = Object.entries(ix.keys).map(([p, dir]) => {
        checkIndexPath(name, ix.name, p);
        return { path: p, dir, expr: indexExpr(p) };
      });
      if (keys.length === 0) throw new Error(`index ${name}.${ix.name} has no keys`);
      return { name: ix.name, sqlName: `${name}$${ix.name}`, unique: !!ix.unique, keys };
    });
    return { name, table: quoteIdent(name), indexes };
  }

  /** Makes the SQLite indexes match the declaration: creates, recreates changed ones, drops stale ones. */
  private syncIndexes(info: CollectionInfo): void {
    let rebuilt = false;
    const existing = new Map(
      (this.stmt(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(info.name) as {
        name: string;
        sql: string;
      }[]).map((r) => [r.name, r.sql]),
    );
    for (const ix of info.indexes) {
      const cols = ix.keys.map((k) => `${k.expr}${k.dir === -1 ? ' DESC' : ''}`).join(', ');
      const create = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(ix.sqlName)} ON ${info.table} (${cols})`;
      if (existing.get(ix.sqlName) === create) continue;
      if (existing.has(ix.sqlName)) this.sql.exec(`DROP INDEX ${quoteIdent(ix.sqlName)}`);
      try {
        this.sql.exec(create);
      } catch (e) {
        throw new Error(`cannot create index ${info.name}.${ix.name}: ${(e as Error).message}`);
      }
      rebuilt = true;
    }
    const wanted = new Set(info.indexes.map((i) => i.sqlName));
    for (const name of existing.keys()) {
      if (name.startsWith(`${info.name}$`) && !wanted.has(name)) this.sql.exec(`DROP INDEX ${quoteIdent(name)}`);
    }
    if (!rebuilt) return;
    // New or changed indexes: recompute the facts from the data already there.
    this.stmt(`DELETE FROM ${FLAGS} WHERE coll = ?`).run(info.name);
    this.factsCache.delete(info.name);
    const facts = new Set<string>();
    for (const row of this.stmt(`SELECT doc FROM ${info.table}`).all() as { doc: string }[]) {
      for (const f of indexFacts(info, decodeStored(row.doc))) facts.add(f);
    }
    for (const f of facts) this.stmt(`INSERT OR IGNORE INTO ${FLAGS} (coll, idx) VALUES (?, ?)`).run(info.name, f);
  }

  /**
   * The recorded index facts of a collection (see `indexFacts`); must run inside `read()`/`write()`.
   * Cached: facts are only ever added, by this connection (kept in the cache as it writes them) or
   * by another one, whose commits change `PRAGMA data_version` (read in the same snapshot), which
   * drops the cache.
   */
  facts(coll: CollectionInfo): Set<string> {
    return this.cachedFacts(coll).planning;
  }

  private cachedFacts(coll: CollectionInfo): { planning: Set<string>; persisted: Set<string> } {
    if (this.lazyRead && !this.sql.inTransaction) {
      this.begin.deferred.run();
      this.versionChecked = false;
    }
    if (!this.versionChecked || !this.sql.inTransaction) {
      const v = this.dataVersionStmt.get() as number;
      if (v !== this.dataVersion) {
        this.factsCache.clear();
        this.dataVersion = v;
      }
      this.versionChecked = true;
    }
    let cached = this.factsCache.get(coll.name);
    if (!cached) {
      const rows = this.stmt(`SELECT idx FROM ${FLAGS} WHERE coll = ?`).pluck().all(coll.name) as string[];
      cached = { planning: new Set(rows), persisted: new Set(rows) };
      this.factsCache.set(coll.name, cached);
    }
    return cached;
  }

  /** The per-document statements of a collection, prepared once. */
  private docStatements(coll: CollectionInfo): DocStatements {
    let st = this.docStmts.get(coll);
    if (!st) {
      st = {
        get: this.sql.prepare(`SELECT id, doc, rev FROM ${coll.table} WHERE id = ?`),
        insert: this.sql.prepare(`INSERT INTO ${coll.table} (id, doc, rev) VALUES (?, ?, (SELECT value FROM ${META} WHERE key = 'rev') + 1)`),
        update: this.sql.prepare(`UPDATE ${coll.table} SET doc = ?, rev = rev + 1 WHERE id = ?`),
        remove: this.sql.prepare(`DELETE FROM ${coll.table} WHERE id = ? RETURNING rev`).pluck(),
      };
      this.docStmts.set(coll, st);
    }
    return st;
  }

  getRow(coll: CollectionInfo, key: string): Row | undefined {
    return this.docStatements(coll).get.get(key) as Row | undefined;
  }

  /**
   * Inserts a document (inside `write()`) with rev = counter + 1 (see the file comment); maps SQLite
   * constraint errors to CloudBase's E11000.
   */
  insertDoc(coll: CollectionInfo, doc: Doc, op: 'Insert' | 'Update' = 'Insert'): void {
    const key = idKey(doc._id);
    const text = encodeStored(doc);
    this.recordFacts(coll, doc);
    this.change();
    try {
      this.docStatements(coll).insert.run(key, text);
    } catch (e) {
      throw this.mapConstraint(e, coll, doc, op);
    }
  }

  /** Replaces a stored document (inside `write()`); its rev grows by one. */
  updateDoc(coll: CollectionInfo, doc: Doc): void {
    const text = encodeStored(doc);
    this.recordFacts(coll, doc);
    this.change();
    try {
      this.docStatements(coll).update.run(text, idKey(doc._id));
    } catch (e) {
      throw this.mapConstraint(e, coll, doc, 'Update');
    }
  }

  /** Deletes a document (inside `write()`); the rev counter keeps above its last rev. */
  deleteRow(coll: CollectionInfo, key: string): void {
    this.change(2); // DELETE, then the counter: grouped requests delete inside atomic()
    const rev = this.docStatements(coll).remove.get(key) as number | undefined;
    if (rev !== undefined) this.stmt(`UPDATE ${META} SET value = max(value, ?) WHERE key = 'rev'`).run(rev);
  }

  private recordFacts(coll: CollectionInfo, doc: Doc): void {
    if (coll.indexes.length === 0 && typeof doc._id !== 'number') return; // no facts to record
    const facts = indexFacts(coll, doc);
    if (facts.length === 0) return;
    const cached = this.cachedFacts(coll);
    for (const f of facts) {
      if (cached.persisted.has(f)) continue;
      this.stmt(`INSERT OR IGNORE INTO ${FLAGS} (coll, idx) VALUES (?, ?)`).run(coll.name, f);
      cached.planning.add(f);
      this.pendingFacts.push([coll.name, f]);
    }
  }

  private mapConstraint(e: unknown, coll: CollectionInfo, doc: Doc, op: 'Insert' | 'Update'): unknown {
    const err = e as SqliteError;
    if (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return duplicateKey(op, coll.name, '_id_', formatKey([['_id', doc._id]]));
    }
    if (err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
      const m = /index '([^']+)'/.exec(err.message);
      const ix = coll.indexes.find((i) => i.sqlName === m?.[1]);
      if (ix) return duplicateKey(op, coll.name, ix.name, formatKey(ix.keys.map((k) => [k.path, indexKeyValue(doc, k.path).raw])));
      if (/\.id$/.test(err.message)) return duplicateKey(op, coll.name, '_id_', formatKey([['_id', doc._id]]));
      return requestFailed(`[FailedOperation.${op}] E11000 duplicate key error collection: ${coll.name}`);
    }
    return e;
  }

  /** Every collection table, declared or added. */
  tableNames(): string[] {
    const rows = this.stmt(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_tcb%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'`).all() as {
      name: string;
    }[];
    return rows.map((r) => r.name);
  }

  clear(): void {
    this.write(() => {
      for (const name of this.tableNames()) {
        this.sql.exec(`UPDATE ${META} SET value = max(value, (SELECT coalesce(max(rev), 0) FROM ${quoteIdent(name)})) WHERE key = 'rev'`);
        this.sql.exec(`DELETE FROM ${quoteIdent(name)}`);
      }
      this.sql.exec(`DELETE FROM ${FLAGS}`);
      this.factsCache.clear();
    });
  }

  close(): void {
    this.statements.clear();
    if (this.sql.open) this.sql.close();
  }
}
