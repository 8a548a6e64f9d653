/** The audit log for admins: who changed what and when, with the state before and after. */
import { COLLECTIONS } from '../../database/collections';
import type { AuditView } from '../../typings';
import type { AuditEntry } from '../runtime/audit';
import { getDb } from '../runtime/db';
import type { StaffDoc } from '../runtime/staff-guard';
import { cutPage } from './paging';

export const AUDIT_PAGE = 20;

interface AuditDoc extends AuditEntry {
  _id: string;
  at: Date;
}

export async function auditPage(before: string | undefined, target: string | undefined): Promise<{ entries: AuditView[]; nextBefore: string | null }> {
  const db = getDb();
  const _ = db.command;
  const where: Record<string, unknown> = {};
  if (target) where.target = target;
  if (before) where.at = _.lt(new Date(before));
  const res = await db.collection(COLLECTIONS.auditLog).where(where).orderBy('at', 'desc').limit(AUDIT_PAGE + 1).get();
  const { page, nextBefore } = cutPage(res.data as AuditDoc[], AUDIT_PAGE, (d) => new Date(d.at));
  const actors = [...new Set(page.map((d) => d.actor))];
  const staff = actors.length ? ((await db.collection(COLLECTIONS.staff).where({ _id: _.in(actors) }).limit(actors.length).field({ name: true }).get()).data as Pick<StaffDoc, '_id' | 'name'>[]) : [];
  const names = new Map(staff.map((s) => [s._id, s.name]));
  return {
    entries: page.map((d) => ({
      id: d._id,
      at: new Date(d.at).toISOString(),
      actor: d.actor,
      actorName: names.get(d.actor) ?? null,
      action: d.action,
      target: d.target,
      before: d.before ?? null,
      after: d.after ?? null,
      reason: d.reason ?? null,
    })),
    nextBefore: nextBefore ? nextBefore.toISOString() : null,
  };
}
