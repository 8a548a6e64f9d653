/** Campaigns are listed newest first across kinds, by their creation time. */
import { getDb } from '../../runtime/db';

export function createdBefore(before: Date | null): Record<string, unknown> {
  return before ? { createdAt: getDb().command.lt(before) } : {};
}
