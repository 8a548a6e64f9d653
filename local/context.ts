/**
 * Per-invocation context of the local runtime.
 *
 * CloudBase runs one invocation per instance at a time, so `getWXContext()` can read process
 * environment variables there. Locally many invocations share one process, so the caller and the
 * billing meters travel in an AsyncLocalStorage instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface WxCaller {
  OPENID?: string;
  UNIONID?: string;
  APPID?: string;
  /** CloudBase call source: wx_client, wx_trigger, scf, ... */
  SOURCE?: string;
}

/** What CloudBase would bill: every function invocation, database read and database write. */
export interface Meter {
  invocations: number;
  reads: number;
  writes: number;
}

interface Store {
  caller?: WxCaller;
  meters: Meter[];
  /** Mutable per-invocation state shared by all async continuations of one invocation. */
  state: InvocationState;
}

export interface InvocationState {
  /** Transactions this invocation has started and not yet committed or aborted. */
  openTransactions: number;
}

const storage = new AsyncLocalStorage<Store>();

/** Totals since the process started (or since the last reset). */
export const processMeter: Meter = newMeter();

export function newMeter(): Meter {
  return { invocations: 0, reads: 0, writes: 0 };
}

export function currentCaller(): WxCaller | undefined {
  return storage.getStore()?.caller;
}

/** Runs `fn` as `caller`; meters opened around this call keep counting inside it. */
export function runAsCaller<T>(caller: WxCaller, fn: () => T): T {
  const meters = storage.getStore()?.meters ?? [];
  return storage.run({ caller, meters, state: { openTransactions: 0 } }, fn);
}

/** The running invocation's mutable state, or undefined outside any invocation. */
export function currentInvocationState(): InvocationState | undefined {
  return storage.getStore()?.state;
}

/** Runs `fn` and returns what it cost, counting every invocation, read and write it caused. */
export async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; cost: Meter }> {
  const cost = newMeter();
  const outer = storage.getStore();
  const state = outer?.state ?? { openTransactions: 0 };
  const result = await storage.run({ caller: outer?.caller, meters: [...(outer?.meters ?? []), cost], state }, fn);
  return { result, cost };
}

function record(kind: keyof Meter, n: number): void {
  processMeter[kind] += n;
  for (const m of storage.getStore()?.meters ?? []) m[kind] += n;
}

export const recordInvocation = (n = 1): void => record('invocations', n);
export const recordRead = (n = 1): void => record('reads', n);
export const recordWrite = (n = 1): void => record('writes', n);
