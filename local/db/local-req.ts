/**
 * The request class pinned onto `Db.reqClass`: every `send(action, params)` the SDK makes goes to
 * the pinned LocalDatabase. node-sdk assigns `Db.reqClass` on every `database()` call, so the pin is
 * an accessor whose setter ignores those assignments.
 */
import type { LocalDatabase, WireResponse } from './index';
import { Db, makeTcbError } from './sdk';

let pinned: LocalDatabase | undefined;

class LocalReq {
  // The SDK passes its config (env, credentials, timeout); one local database serves every env.
  constructor(_config?: unknown) {}

  send(action: string, params?: unknown): Promise<WireResponse> {
    if (!pinned) return Promise.reject(makeTcbError({ code: 'DATABASE_REQUEST_FAILED', message: '[LocalExecutor] no local database is pinned' }));
    return pinned.send(action, params);
  }
}

/** Route all wx-server-sdk / node-sdk database traffic in this process (or jest module registry) to `db`. */
export function pinLocalDatabase(db: LocalDatabase): void {
  pinned = db;
  Object.defineProperty(Db, 'reqClass', { configurable: true, get: () => LocalReq, set: () => {} });
}
