/**
 * The local CloudBase runtime: the very same function code and wx-server-sdk, with the database
 * answered by SQLite, the caller taken from the gateway instead of the platform, one settable clock,
 * and local stand-ins for the WeChat platform services.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cloud from 'wx-server-sdk';
import { collections } from '../database/collections';
import type { CollectionDecl } from '../database/schema';
import { installClock } from '../server/runtime/clock';
import { newDeployment } from '../server/runtime/instance-memory';
import type { CloudFunction } from '../server/runtime/define';
import { installPlatform } from '../server/runtime/platform';
import { SettableClock } from './clock';
import { currentCaller, recordInvocation, runAsCaller, type WxCaller } from './context';
import { LocalDatabase, pinLocalDatabase } from './db';
import { createLocalPlatform } from './platform';
import { FUNCTIONS_DIR, listFunctions } from './runtime-paths';


export interface LocalRuntimeOptions {
  /** Folder for the database file and the signing key; omit for an in-memory database. */
  dataDir?: string;
  /** `source` runs the TypeScript entries (tests); `bundle` runs the built index.js (start, bundle test). */
  load?: 'source' | 'bundle';
  /** Functions that exist only locally (benchmarks), served beside the real ones. */
  extraFunctions?: Record<string, Handler>;
  /** Collections those extra functions need. */
  extraCollections?: CollectionDecl[];
}

type Handler = CloudFunction<unknown>['main'];

function signingKey(dataDir: string | undefined): string {
  if (process.env.PRIVDOM_SIGNING_KEY) return process.env.PRIVDOM_SIGNING_KEY;
  if (!dataDir) return randomUUID() + randomUUID();
  const file = path.join(dataDir, 'signing.key');
  if (!existsSync(file)) writeFileSync(file, randomUUID() + randomUUID(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

let patchedContext = false;
/** getWXContext reads process env vars on CloudBase; locally each call's caller lives in async context. */
function patchWxContext(): void {
  if (patchedContext) return;
  const platformContext = cloud.getWXContext;
  (cloud as { getWXContext: () => ReturnType<typeof cloud.getWXContext> }).getWXContext = () => {
    const caller = currentCaller();
    return caller ? { ENV: 'local', APPID: 'wx-local', ...caller } : platformContext();
  };
  patchedContext = true;
}

export class LocalRuntime {
  readonly clock = new SettableClock();
  readonly db: LocalDatabase;
  private readonly handlers: Map<string, Handler>;
  readonly functionNames: string[];
  /** Where locally stored files (cloud storage's stand-in) live; the gateway serves them. */
  readonly storageDir: string;

  constructor(private readonly options: LocalRuntimeOptions = {}) {
    const { dataDir } = options;
    this.handlers = new Map(Object.entries(options.extraFunctions ?? {}));
    this.functionNames = [...listFunctions(), ...this.handlers.keys()];
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    process.env.PRIVDOM_LOCAL = '1';
    // node-sdk's init probes http://metadata.tencentyun.com to learn whether it runs in Tencent
    // Cloud; this flag answers the probe with no network call. The answer is unused here: every
    // database request goes to the pinned local transport, every platform call to a stand-in.
    process.env.TENCENTCLOUD ??= 'true';
    process.env.PRIVDOM_SIGNING_KEY = signingKey(dataDir);
    this.db = new LocalDatabase({
      file: dataDir ? path.join(dataDir, 'cloudbase.sqlite') : ':memory:',
      collections: [...collections, ...(options.extraCollections ?? [])],
      now: () => this.clock.now(),
    });
    pinLocalDatabase(this.db);
    // Functions init the SDK on their first call; seeds, scripts and tests use it before that.
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    installClock(this.clock);
    // A new database: every function instance starts cold, remembering nothing of another one.
    newDeployment();
    this.storageDir = dataDir ? path.join(dataDir, 'storage') : mkdtempSync(path.join(os.tmpdir(), 'privdom-storage-'));
    installPlatform(createLocalPlatform(this.storageDir));
    patchWxContext();
  }

  private handler(name: string): Handler {
    let handler = this.handlers.get(name);
    if (handler) return handler;
    if (!this.functionNames.includes(name)) throw new Error(`unknown cloud function: ${name}`);
    const entry = this.options.load === 'bundle' ? 'index.js' : 'main.ts';
    const file = path.join(FUNCTIONS_DIR, name, entry);
    if (!existsSync(file)) throw new Error(`${file} is missing; run npm run build`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(file) as { main: Handler }).main;
    this.handlers.set(name, handler);
    return handler;
  }

  /**
   * Invokes a function as the mini program would: the event crosses a JSON boundary both ways, the
   * caller comes from the platform side, and the call is billed as one invocation.
   */
  async invoke(name: string, event: unknown, caller: WxCaller): Promise<unknown> {
    const main = this.handler(name);
    const data = JSON.parse(JSON.stringify(event ?? {}));
    recordInvocation();
    const result = await runAsCaller({ SOURCE: 'wx_client', ...caller }, () => main(data, { request_id: randomUUID() }));
    return JSON.parse(JSON.stringify(result));
  }

  /** Fires a function's timer trigger, as CloudBase does on its cron. */
  async fireTimer(name: string, triggerName = 'timer'): Promise<unknown> {
    const event = { Type: 'Timer', TriggerName: triggerName, Time: new Date(this.clock.now()).toISOString() };
    return this.invoke(name, event, { SOURCE: 'wx_trigger' });
  }

  close(): void {
    installPlatform(undefined);
    installClock(undefined);
    this.db.close();
  }
}
