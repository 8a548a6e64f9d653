/**
 * The part of the wx-server-sdk database API this project uses, typed the way it behaves with
 * promises (the SDK's own typings mix in the callback style and lose the result shapes).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export type Filter = Record<string, unknown>;
export type SortOrder = 'asc' | 'desc';

export interface Query {
  where(filter: Filter | unknown): Query;
  orderBy(field: string, order: SortOrder): Query;
  skip(n: number): Query;
  limit(n: number): Query;
  field(projection: Record<string, boolean>): Query;
  get(): Promise<{ data: unknown[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface DocumentRef {
  get(): Promise<{ data: unknown }>;
  set(options: { data: Record<string, unknown> }): Promise<{ _id: string; stats: { updated: number; created: number } }>;
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Aggregate {
  end(): Promise<{ list: unknown[] }>;
  [stage: string]: any;
}

export interface Collection extends Query {
  doc(id: string | number): DocumentRef;
  add(options: { data: Record<string, unknown> }): Promise<{ _id: string }>;
  add(options: { data: Record<string, unknown>[] }): Promise<{ _ids: string[] }>;
  aggregate(): Aggregate;
}

export interface TransactionHandle {
  collection(name: string): { doc(id: string | number): DocumentRef; add(options: { data: Record<string, unknown> }): Promise<{ _id: string }> };
  rollback(reason?: unknown): Promise<void>;
}

export interface Database {
  collection(name: string): Collection;
  /** Query and update operators (`_.gt`, `_.inc`, ...). */
  command: any;
  serverDate(options?: { offset: number }): unknown;
  RegExp(options: { regexp: string; options?: string }): unknown;
  runTransaction<T>(fn: (tx: TransactionHandle) => Promise<T>, times?: number): Promise<T>;
}
