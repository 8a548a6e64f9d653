/**
 * Failures raised inside the executor. They carry CloudBase's string codes; `LocalDatabase.send`
 * turns them into node-sdk TcbErrors (with the request id) right at the wire boundary, because that
 * is what the real transport throws and what wx-server-sdk maps to `errCode`.
 */

/** CloudBase error codes (the SDK's spelling, typo included). wx-server-sdk's errCode in comments. */
export const Codes = {
  /** -502001 */
  REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  /** -502002 */
  INVALID_OPERATOR: 'DATABASE_INVALID_OPERRATOR',
  /** -502005 */
  COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  /** -501007 */
  INVALID_PARAM: 'INVALID_PARAM',
  /** -501001 through wx-server-sdk (unknown to its code table). */
  COLLECTION_ALREADY_EXIST: 'DATABASE_COLLECTION_ALREADY_EXIST',
  /** -501001 through wx-server-sdk; runTransaction retries on it when thrown by commit. */
  TRANSACTION_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];

export class DbFailure extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = 'DbFailure';
  }
}

export const invalidOperator = (op: string, where: string): DbFailure =>
  new DbFailure(Codes.INVALID_OPERATOR, `[LocalExecutor] unsupported ${where} operator ${op}: the local executor does not implement it`);

export const invalidParam = (message: string): DbFailure => new DbFailure(Codes.INVALID_PARAM, message);

export const requestFailed = (message: string): DbFailure => new DbFailure(Codes.REQUEST_FAILED, message);

export const collectionNotExist = (name: string): DbFailure =>
  new DbFailure(Codes.COLLECTION_NOT_EXIST, `[ResourceNotFound] Db or Table not exist: ${name}`);

export const transactionConflict = (message: string): DbFailure => new DbFailure(Codes.TRANSACTION_CONFLICT, message);

/** The SDK's own client-side message for `_id` in update data; the server refuses it the same way. */
export const cannotUpdateId = (): DbFailure => invalidParam('不能更新_id的值');

/**
 * Mongo's duplicate key text, as CloudBase relays it. Callers detect duplicates with /E11000/ on
 * errMsg, so the shape matters more than the exact wording.
 */
export function duplicateKey(op: 'Insert' | 'Update', collection: string, index: string, key: string): DbFailure {
  return requestFailed(`[FailedOperation.${op}] E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${key}`);
}
