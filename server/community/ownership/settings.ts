/** The merchant's rule for assigning new members, and the staff who take turns. */
import { COLLECTIONS } from '../../../database/collections';
import type { OwnershipSettings } from '../../../typings';
import { audit } from '../../runtime/audit';
import { getById, getDb } from '../../runtime/db';
import { fail } from '../../runtime/errors';
import { STAFF_COLLECTION, type StaffDoc } from '../../runtime/staff-guard';
import { OWNERSHIP_SETTINGS_ID, type OwnershipSettingsDoc } from './model';

export const DEFAULT_OWNERSHIP: OwnershipSettings = { rule: 'inviter_then_round_robin', pool: [] };

export async function loadOwnershipSettings(): Promise<OwnershipSettings> {
  const doc = await getById<OwnershipSettingsDoc>(COLLECTIONS.settings, OWNERSHIP_SETTINGS_ID);
  return doc ? { rule: doc.rule, pool: doc.pool } : { ...DEFAULT_OWNERSHIP, pool: [] };
}

export async function saveOwnershipSettings(actor: string, input: OwnershipSettings, now: Date): Promise<OwnershipSettings> {
  const pool = [...new Set(input.pool)];
  if (pool.length > 0) {
    const _ = getDb().command;
    const res = await getDb()
      .collection(STAFF_COLLECTION)
      .where({ _id: _.in(pool), status: 'active' })
      .limit(1000)
      .get();
    const active = new Set((res.data as StaffDoc[]).map((s) => s._id));
    const issues = pool.flatMap((id, i) => (active.has(id) ? [] : [{ path: `payload.pool.${i}`, message: '找不到这位员工，或已停用' }]));
    if (issues.length > 0) fail('INVALID_INPUT', undefined, issues);
  }
  const before = await loadOwnershipSettings();
  const after: OwnershipSettings = { rule: input.rule, pool };
  await getDb()
    .collection(COLLECTIONS.settings)
    .doc(OWNERSHIP_SETTINGS_ID)
    .set({ data: { ...after, updatedAt: now, updatedBy: actor } });
  await audit({ actor, action: 'ownership.settings.set', target: `${COLLECTIONS.settings}/${OWNERSHIP_SETTINGS_ID}`, before, after }, now);
  return after;
}
