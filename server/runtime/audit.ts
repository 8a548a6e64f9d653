/** The audit log: who changed what, when, with the state before and after. */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from './db';

export interface AuditEntry {
  actor: string;
  action: string;
  /** `<collection>/<id>` of what changed. */
  target: string;
  before: unknown;
  after: unknown;
  reason?: string;
}

export async function audit(entry: AuditEntry, at: Date): Promise<void> {
  await getDb()
    .collection(COLLECTIONS.auditLog)
    .add({ data: { ...entry, before: entry.before ?? null, after: entry.after ?? null, at } });
}
