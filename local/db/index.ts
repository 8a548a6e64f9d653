/**
 * The local CloudBase database: answers the SDK's wire protocol (`Db.reqClass.send`) from SQLite
 * with CloudBase's semantics. See the files next to this one for each part.
 */
import { randomUUID } from 'node:crypto';
import type { CollectionDecl } from '../../database/schema';
import { recordRead, recordWrite } from '../context';
import { DbFailure } from './errors';
import { type Body, Executor, type Params } from './executor';
import { isPlainObject } from './ejson';
import { fromMingo } from './query';
import { makeTcbError, type TcbError } from './sdk';
import { Store } from './store';
import { Transactions } from './transactions';

export { pinLocalDatabase } from './local-req';

export interface LocalDatabaseOptions {
  /** SQLite file path (parent folder created if missing), or ':memory:' */
  file: string;
  /** Declared collections with indexes; created (tables + SQLite indexes) on open. */
  collections: CollectionDecl[];
  /** Clock for serverDate(); default Date.now. */
  now?: () => number;
}

/** A response body as the SDK reads it. */
export type WireResponse = { requestId: string } & Record<string, unknown>;

const READS = new Set(['database.getDocument', 'database.calculateDocument', 'database.aggregateDocuments']);
const WRITES = new Set(['database.insertDocument', 'database.modifyDocument', 'database.removeDocument', 'database.deleteDocument', 'database.modifyAndReturnDoc']);

function isTcbError(e: unknown): e is TcbError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && 'requestId' in e;
}

/** Errors leave as node-sdk TcbErrors, as the real transport throws them. */
function toTcbError(e: unknown, requestId: string): TcbError {
  const mapped = fromMingo(e, 'query');
  if (mapped instanceof DbFailure) return makeTcbError({ code: mapped.code, message: mapped.message, requestId });
  if (isTcbError(mapped)) return mapped;
  const err = mapped as Error & { code?: string };
  const message = err?.code === 'SQLITE_BUSY' ? `[LocalExecutor] database is locked: ${err.message}` : `[LocalExecutor] ${err?.message ?? String(err)}`;
  const out = makeTcbError({ code: 'DATABASE_REQUEST_FAILED', message, requestId });
  (out as Error & { cause?: unknown }).cause = e;
  return out;
}

export class LocalDatabase {
  private readonly store: Store;
  private readonly txs = new Transactions();
  private readonly executor: Executor;

  constructor(opts: LocalDatabaseOptions) {
    this.store = new Store(opts.file, opts.collections);
    this.executor = new Executor(this.store, this.txs, opts.now ?? Date.now);
  }

  /** The CloudBase wire protocol: resolves to the response body the SDK expects, or REJECTS with a TcbError. */
  send(action: string, params: any): Promise<WireResponse> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const requestId = randomUUID();
    // Billing: one read or write per request, whatever it touches (transaction control is free).
    if (READS.has(action)) recordRead();
    else if (WRITES.has(action)) recordWrite();
    let ran: Body | Promise<Body>;
    try {
      ran = this.executor.run(action, isPlainObject(params) ? (params as Params) : {});
    } catch (e) {
      return Promise.reject(toTcbError(e, requestId));
    }
    if (!(ran instanceof Promise)) return Promise.resolve({ requestId, ...ran });
    return ran.then(
      (body) => ({ requestId, ...body }),
      (e: unknown) => {
        throw toTcbError(e, requestId);
      },
    );
  }

  /** Remove every document of every collection (keeps tables and indexes). For tests. */
  clear(): void {
    this.executor.flush();
    this.txs.finishAll();
    this.store.clear();
  }

  close(): void {
    this.executor.flush();
    this.txs.finishAll();
    this.store.close();
  }
}
