/**
 * The envelope every cloud function speaks. Imported by the mini program and the functions alike.
 */

/** Stable error codes; programs branch on these, people read `message`. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_ACTION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'EXPIRED'
  | 'ALREADY_USED'
  | 'SOLD_OUT'
  | 'LIMIT_REACHED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** One problem with one input field; `path` is dotted (`payload.quantity`, `payload.items.0.sku`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  /** Simplified Chinese, shown to people as is. */
  message: string;
  /** Present on INVALID_INPUT. */
  fields?: FieldIssue[];
  /** Quote it to support: the function logs the details under it. */
  requestId?: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** What `wx.cloud.callFunction({ name, data })` sends as `data`. */
export interface CallEvent<A extends string = string, P = unknown> {
  action: A;
  payload: P;
  /** Required by mutating actions: a retry with the same id has no second effect. */
  requestId?: string;
}
