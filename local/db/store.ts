/**
 * SQLite storage: one table per collection `(id TEXT PRIMARY KEY, doc TEXT, rev INTEGER)`, the
 * declared indexes as expression indexes over the JSON, and two bookkeeping tables.
 *
 * - WAL + busy_timeout: readers never block, writers from several processes queue.
 * - Every write request runs inside one `BEGIN IMMEDIATE` transaction (`write()`), so its
 *   read-modify-write is atomic against other processes too.
 * - `rev` comes from one database-wide counter bumped per write transaction, so a document that is
 *   deleted and re-inserted never gets back a rev a transaction saw earlier (no ABA at commit).
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

export class Store {
  readonly sql: Database.Database;
  private readonly collections = new Map<string, CollectionInfo>();
  private readonly declared = new Map<string, CollectionDecl>();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string, decls: CollectionDecl[]) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.sql = new Database(file);
    this.sql.pragma('busy_timeout = 10000');
    if (file !== ':memory:') this.sql.pragma('journal_mode = WAL');
    this.sql.pragma('synchronous = NORMAL');
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

  /** Cached prepared statements (the SQL text is generated, so the set stays small). */
  stmt(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) {
      if (this.statements.size > 1000) this.statements.clear();
      s = this.sql.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }

  /** A consistent snapshot for a read request. */
  read<T>(fn: () => T): T {
    return this.sql.transaction(fn).deferred();
  }

  /** One IMMEDIATE transaction: takes the write lock up front, waits (busy_timeout) for other writers. */
  write<T>(fn: () => T): T {
    return this.sql.transaction(fn).immediate();
  }

  /** Must run inside `write()`. */
  nextRev(): number {
    const row = this.stmt(`UPDATE ${META} SET value = value + 1 WHERE key = 'rev' RETURNING value`).get() as { value: number };
    return row.value;
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
    const facts = new Set<string>();
    for (const row of this.stmt(`SELECT doc FROM ${info.table}`).all() as { doc: string }[]) {
      for (const f of indexFacts(info, decodeStored(row.doc))) facts.add(f);
    }
    for (const f of facts) this.stmt(`INSERT OR IGNORE INTO ${FLAGS} (coll, idx) VALUES (?, ?)`).run(info.name, f);
  }

  /** The recorded index facts of a collection (see `indexFacts`). */
  facts(coll: CollectionInfo): Set<string> {
    const rows = this.stmt(`SELECT idx FROM ${FLAGS} WHERE coll = ?`).all(coll.name) as { idx: string }[];
    return new Set(rows.map((r) => r.idx));
  }

  getRow(coll: CollectionInfo, key: string): Row | undefined {
    return this.stmt(`SELECT id, doc, rev FROM ${coll.table} WHERE id = ?`).get(key) as Row | undefined;
  }

  /** Inserts a document (inside `write()`); maps SQLite constraint errors to CloudBase's E11000. */
  insertDoc(coll: CollectionInfo, doc: Doc, rev: number, op: 'Insert' | 'Update' = 'Insert'): void {
    const key = idKey(doc._id);
    const text = encodeStored(doc);
    this.recordFacts(coll, doc);
    try {
      this.stmt(`INSERT INTO ${coll.table} (id, doc, rev) VALUES (?, ?, ?)`).run(key, text, rev);
    } catch (e) {
      throw this.mapConstraint(e, coll, doc, op);
    }
  }

  /** Replaces a stored document (inside `write()`). */
  updateDoc(coll: CollectionInfo, doc: Doc, rev: number): void {
    const text = encodeStored(doc);
    this.recordFacts(coll, doc);
    try {
      this.stmt(`UPDATE ${coll.table} SET doc = ?, rev = ? WHERE id = ?`).run(text, rev, idKey(doc._id));
    } catch (e) {
      throw this.mapConstraint(e, coll, doc, 'Update');
    }
  }

  deleteRow(coll: CollectionInfo, key: string): void {
    this.stmt(`DELETE FROM ${coll.table} WHERE id = ?`).run(key);
  }

  private recordFacts(coll: CollectionInfo, doc: Doc): void {
    for (const f of indexFacts(coll, doc)) this.stmt(`INSERT OR IGNORE INTO ${FLAGS} (coll, idx) VALUES (?, ?)`).run(coll.name, f);
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
      for (const name of this.tableNames()) this.sql.exec(`DELETE FROM ${quoteIdent(name)}`);
      this.sql.exec(`DELETE FROM ${FLAGS}`);
    });
  }

  close(): void {
    this.statements.clear();
    if (this.sql.open) this.sql.close();
  }
}
