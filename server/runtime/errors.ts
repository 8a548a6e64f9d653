import type { ApiError, ErrorCode, FieldIssue } from '../../typings';

/** Default sentences for people, in Simplified Chinese. Actions may give a sharper one. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: '提交的信息有误，请检查后重试',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '请在微信中打开小程序后重试',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已被删除',
  CONFLICT: '操作冲突，请刷新后重试',
  EXPIRED: '已过期',
  ALREADY_USED: '已被使用',
  SOLD_OUT: '已被领完',
  LIMIT_REACHED: '已达到次数上限',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '系统开小差了，请稍后再试',
};

/**
 * An error meant for the caller: a stable code and a sentence a person can act on. It is an
 * expected answer (sold out, already used, ...), not a fault, so it carries no stack trace:
 * capturing one cost more than the rest of a sold-out claim's own logic.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    readonly fields?: FieldIssue[],
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
  }

  toApiError(requestId?: string): ApiError {
    const error: ApiError = { code: this.code, message: this.message };
    if (this.fields?.length) error.fields = this.fields;
    if (requestId) error.requestId = requestId;
    return error;
  }
}

export function fail(code: ErrorCode, message?: string, fields?: FieldIssue[]): never {
  throw new AppError(code, message, fields);
}
