import { z } from 'zod';
import type { FieldIssue } from '../../typings';
import { AppError } from './errors';

// Field messages reach people; zod ships a Simplified Chinese locale.
z.config(z.locales.zhCN());

/** Field paths people can read: `payload.items.0.sku`. */
function toFieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** Parses `value` or throws INVALID_INPUT with one entry per bad field. */
export function parseOrFail<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('INVALID_INPUT', undefined, toFieldIssues(result.error, prefix));
}

/** Request ids are chosen by the client; keep them short and printable so they can live in keys. */
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号应为 8 到 64 位字母、数字、下划线或连字符');

export const envelopeSchema = z.object({
  action: z.string().min(1).max(64),
  payload: z.unknown().optional(),
  requestId: requestIdSchema.optional(),
});
