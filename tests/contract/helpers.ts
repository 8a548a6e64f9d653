/**
 * Shared setup for the contract tests: the real wx-server-sdk over a LocalDatabase. No jest globals
 * at module scope, so the child-process scripts can import it too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cloud from 'wx-server-sdk';
import type { CollectionDecl } from '../../database/schema';
import { LocalDatabase, pinLocalDatabase } from '../../local/db';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** wx-server-sdk's typings return `Promise<T> | void | string`; tests use the SDK loosely. */
export type Sdk = any;

const rule = { read: false, write: false } as const;

export const testCollections: CollectionDecl[] = [
  {
    name: 'items',
    description: 'test items',
    rule,
    indexes: [
      { name: 'sku', keys: { sku: 1 }, unique: true },
      { name: 'cat_price', keys: { cat: 1, price: -1 } },
      { name: 'at', keys: { at: -1 } },
    ],
  },
  { name: 'users', description: 'test users', rule, indexes: [{ name: 'phone', keys: { phone: 1 }, unique: true }] },
  { name: 'orders', description: 'test orders', rule, indexes: [{ name: 'uid', keys: { uid: 1 } }] },
  { name: 'stock', description: 'conditional decrements', rule, indexes: [] },
  { name: 'log', description: 'append-only', rule, indexes: [{ name: 'seq', keys: { seq: 1 } }] },
  { name: 'members', description: 'many documents', rule, indexes: [{ name: 'level_joinedAt', keys: { level: 1, joinedAt: -1 } }, { name: 'tags', keys: { tags: 1 } }] },
];

export interface Local {
  ldb: LocalDatabase;
  db: Sdk;
  _: Sdk;
  /** Shortcut: the wx-server-sdk collection reference. */
  c: (name: string) => Sdk;
}

/** Opens a LocalDatabase, pins it, and returns the wx-server-sdk database over it. */
export function openLocal(opts: { file?: string; now?: () => number; collections?: CollectionDecl[] } = {}): Local {
  const ldb = new LocalDatabase({ file: opts.file ?? ':memory:', collections: opts.collections ?? testCollections, now: opts.now });
  pinLocalDatabase(ldb);
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string }); // the typings miss the symbol
  const db: Sdk = cloud.database();
  return { ldb, db, _: db.command, c: (name) => db.collection(name) };
}

/** The error a call rejects with (wx-server-sdk's `{errCode, errMsg}` or a raw TcbError). */
export async function failure(p: Promise<unknown> | unknown): Promise<{ errCode?: number; errMsg?: string; code?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { errCode?: number; errMsg?: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A database file in a fresh temporary folder. */
export function tempDbFile(prefix = 'tcb-local-'): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), prefix)), 'db.sqlite');
}

/** Removes the folder of a `tempDbFile` (close its databases first). */
export function removeDbFile(file: string): void {
  rmSync(path.dirname(file), { recursive: true, force: true });
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
