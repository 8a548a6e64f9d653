/**
 * A real local runtime for a test file: in-memory SQLite, the real functions from source, the real
 * wx-server-sdk. Only the WeChat platform (the caller's identity) is stood in for: tests say who calls.
 */
import type { ActionName, ApiResult, FunctionName, RequestOf, ResponseOf } from '../../typings';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime';

export interface TestRuntime {
  rt: LocalRuntime;
  /** Calls `fn`/`action` as `openid`; pass a requestId for mutating actions. */
  call<F extends FunctionName, A extends ActionName<F>>(
    openid: string,
    fn: F,
    action: A,
    payload: RequestOf<F, A>,
    requestId?: string,
  ): Promise<ApiResult<ResponseOf<F, A>>>;
  /** Sends an arbitrary event, for bad-input tests. */
  raw(openid: string | null, fn: string, event: unknown): Promise<ApiResult<unknown>>;
}

let counter = 0;
/** A fresh valid request id. */
export function rid(label = 'req'): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 10)}`;
}

export function useRuntime(options: LocalRuntimeOptions = {}): TestRuntime {
  const holder = {} as TestRuntime;
  beforeAll(() => {
    process.env.PRIVDOM_LOG = 'silent';
    holder.rt = new LocalRuntime(options);
  });
  afterEach(() => {
    holder.rt.db.clear();
    holder.rt.clock.useSystemTime();
  });
  afterAll(() => holder.rt.close());
  holder.call = async (openid, fn, action, payload, requestId) =>
    (await holder.rt.invoke(fn, { action, payload, requestId }, { OPENID: openid })) as never;
  holder.raw = async (openid, fn, event) => (await holder.rt.invoke(fn, event, openid ? { OPENID: openid } : {})) as ApiResult<unknown>;
  return holder;
}

/** Unwraps a successful result, failing the test with the error otherwise. */
export function ok<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

export function errorOf(result: ApiResult<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ok: ${JSON.stringify(result.data)}`);
  return result.error;
}
