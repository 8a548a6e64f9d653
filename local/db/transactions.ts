/**
 * Transaction bookkeeping (the reads and writes themselves are in executor.ts).
 *
 * CloudBase documents snapshot isolation with write locks: a transaction's writes lock the
 * document, another transaction writing it fails at once, a plain write waits for the lock.
 * Locally: locks live in this process; each transaction remembers the rev of every document it
 * read or wrote, and commit re-checks those revs inside one IMMEDIATE SQLite transaction, which also
 * catches writers in other processes. Lifetime: 10 s, then auto-abort (CloudBase does not document
 * one; 10 s is the figure of a comparable product).
 */
import { randomBytes } from 'node:crypto';
import type { InvocationState } from '../context';
import { requestFailed, transactionConflict } from './errors';
import type { CollectionInfo } from './store';

export const TX_LIFETIME_MS = 10_000;

/** The committed version a transaction first saw (`rev`/`text` null: the document did not exist). */
export interface Seen {
  coll: CollectionInfo;
  key: string;
  rev: number | null;
  text: string | null;
}

/** The transaction's own version (`text` null: removed). */
export interface Written {
  coll: CollectionInfo;
  key: string;
  text: string | null;
}

export const slot = (coll: string, key: string): string => `${coll}\u0000${key}`;

export class Tx {
  readonly seen = new Map<string, Seen>();
  readonly writes = new Map<string, Written>();
  /** Slots this transaction has locked (a write attempt locks even when nothing changes). */
  readonly locked = new Set<string>();
  readonly expiresAt: number;
  timer?: NodeJS.Timeout;

  constructor(
    readonly id: string,
    readonly state: InvocationState | undefined,
    lifetimeMs: number,
  ) {
    this.expiresAt = Date.now() + lifetimeMs;
  }
}

export class Transactions {
  private readonly open = new Map<string, Tx>();
  private readonly locks = new Map<string, Tx>();

  constructor(private readonly lifetimeMs = TX_LIFETIME_MS) {}

  start(state: InvocationState | undefined): Tx {
    const tx = new Tx(randomBytes(16).toString('hex'), state, this.lifetimeMs);
    this.open.set(tx.id, tx);
    if (state) state.openTransactions++;
    // Auto-abort; unref so an abandoned transaction never keeps the process alive.
    tx.timer = setTimeout(() => this.finish(tx), this.lifetimeMs);
    tx.timer.unref?.();
    return tx;
  }

  /** The open transaction, or a failure naming why it is gone. */
  get(id: unknown): Tx {
    const tx = typeof id === 'string' ? this.open.get(id) : undefined;
    if (tx && Date.now() >= tx.expiresAt) this.finish(tx);
    if (!tx || !this.open.has(tx.id)) {
      throw requestFailed(`[LocalExecutor] transaction ${String(id)} does not exist: it was committed, aborted or expired (lifetime ${this.lifetimeMs} ms)`);
    }
    return tx;
  }

  find(id: unknown): Tx | undefined {
    return typeof id === 'string' ? this.open.get(id) : undefined;
  }

  /** Whether an open transaction other than `tx` holds the document. */
  lockedByOther(coll: string, key: string, tx?: Tx): boolean {
    const holder = this.locks.get(slot(coll, key));
    if (!holder || holder === tx) return false;
    if (Date.now() >= holder.expiresAt) {
      this.finish(holder);
      return false;
    }
    return true;
  }

  lock(tx: Tx, coll: string, key: string): void {
    if (this.lockedByOther(coll, key, tx)) {
      throw transactionConflict(`[LocalExecutor] write conflict: document ${coll}/${key} is locked by another transaction`);
    }
    this.locks.set(slot(coll, key), tx);
    tx.locked.add(slot(coll, key));
  }

  /** Ends a transaction (commit done, abort or expiry): releases its locks. Idempotent. */
  finish(tx: Tx): void {
    if (!this.open.delete(tx.id)) return;
    if (tx.timer) clearTimeout(tx.timer);
    for (const s of tx.locked) if (this.locks.get(s) === tx) this.locks.delete(s);
    if (tx.state && tx.state.openTransactions > 0) tx.state.openTransactions--;
  }

  finishAll(): void {
    for (const tx of [...this.open.values()]) this.finish(tx);
    this.locks.clear();
  }
}
