/**
 * The one way pages talk to the cloud functions, typed by the contract in `typings/`.
 *
 * `call` never throws: the network or the platform failing becomes an UNAVAILABLE result that a
 * page shows like any other error, with a 重试 button.
 */
import type { ActionName, ApiResult, CallEvent, FunctionName, RequestOf, ResponseOf } from '../../typings';
import { config } from '../config';

export interface CallOptions {
  /**
   * Required by actions that write. Create it with `newRequestId()` once per user intent (one tap
   * on 确认) and pass the same id again when the person retries, so the write happens only once.
   */
  requestId?: string;
}

const NETWORK_MESSAGE = '网络不稳定，请稍后重试';

function unavailable<T>(): ApiResult<T> {
  return { ok: false, error: { code: 'UNAVAILABLE', message: NETWORK_MESSAGE } };
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (!value || typeof value !== 'object') return false;
  const result = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } | null };
  if (result.ok === true) return 'data' in result;
  return result.ok === false && !!result.error && typeof result.error.code === 'string' && typeof result.error.message === 'string';
}

function viaCloud(name: string, event: CallEvent): Promise<unknown> {
  return wx.cloud.callFunction({ name, data: event }).then((res) => res.result);
}

/** Development only: the local gateway (`npm start`), see config.ts. */
function viaGateway(name: string, event: CallEvent): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${config.localGateway}/fn/${name}`,
      method: 'POST',
      data: { ...event },
      header: { 'content-type': 'application/json', 'x-wx-openid': config.devOpenid },
      dataType: 'json',
      timeout: 15000,
      // The gateway answers `{ ok: false, error }` on 4xx/5xx as well, so every status is read.
      success: (res) => resolve(res.data),
      fail: reject,
    });
  });
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  payload: RequestOf<F, A>,
  options: CallOptions = {},
): Promise<ApiResult<ResponseOf<F, A>>> {
  const event: CallEvent<A, RequestOf<F, A>> = { action, payload };
  if (options.requestId) event.requestId = options.requestId;
  try {
    const send = config.backend === 'local' ? viaGateway : viaCloud;
    const result = await send(fn, event);
    if (isApiResult(result)) return result as ApiResult<ResponseOf<F, A>>;
    console.warn(`[api] ${fn} ${action}: unexpected answer`, result);
  } catch (err) {
    console.warn(`[api] ${fn} ${action}: call failed`, err);
  }
  return unavailable();
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh request id (about 25 characters of `[A-Za-z0-9-]`). Not a secret: it only has to be
 * unique per person and intent, which a timestamp plus 16 random characters is.
 */
export function newRequestId(): string {
  let id = `${Date.now().toString(36)}-`;
  for (let i = 0; i < 16; i += 1) id += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  return id;
}
