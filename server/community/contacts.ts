/**
 * Staff contact codes: each staff member's personal WeChat QR or WeCom 「联系我」 code, shown to the
 * members assigned to them, and to customers an entry has no group for.
 */
import { COLLECTIONS } from '../../database/collections';
import type { NoStaffContactReason, StaffContactCard, StaffContactInput, StaffContactView } from '../../typings';
import { audit } from '../runtime/audit';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { findActiveStaff, roleAtLeast, type StaffDoc } from '../runtime/staff-guard';
import { iso, qrOf, type StaffCall, type StaffContactDoc } from './model';
import type { OwnedMember } from './ownership/model';
import { ensureAssigned } from './ownership/assign';

async function cardOf(staff: StaffDoc, contact: StaffContactDoc): Promise<StaffContactCard> {
  return { staffName: staff.name, kind: contact.kind, qr: await qrOf(contact.qrFileId), note: contact.note };
}

async function viewOf(staff: StaffDoc, contact: StaffContactDoc): Promise<StaffContactView> {
  return { ...(await cardOf(staff, contact)), staffId: staff._id, updatedAt: iso(contact.updatedAt) };
}

export async function setContact(call: StaffCall, caller: StaffDoc, input: StaffContactInput): Promise<StaffContactView> {
  const staffId = input.staffId ?? call.openid;
  if (staffId !== call.openid && !roleAtLeast(caller.role, 'admin')) fail('FORBIDDEN', '只能设置自己的联系码');
  const staff = await findActiveStaff(staffId);
  if (!staff) fail('INVALID_INPUT', undefined, [{ path: 'payload.staffId', message: '找不到这位员工，或已停用' }]);
  const before = await getById<StaffContactDoc>(COLLECTIONS.staffContacts, staffId);
  const doc: StaffContactDoc = { _id: staffId, qrFileId: input.qrFileId, kind: input.kind, note: input.note ?? '', updatedAt: call.now, updatedBy: call.openid };
  const { _id, ...data } = doc;
  await getDb().collection(COLLECTIONS.staffContacts).doc(_id).set({ data });
  await audit({ actor: call.openid, action: 'community.contact.set', target: `${COLLECTIONS.staffContacts}/${_id}`, before, after: data }, call.now);
  return viewOf(staff, doc);
}

export async function getContact(call: StaffCall, caller: StaffDoc, staffId: string | undefined): Promise<StaffContactView | null> {
  const id = staffId ?? call.openid;
  if (id !== call.openid && !roleAtLeast(caller.role, 'admin')) fail('FORBIDDEN', '只能查看自己的联系码');
  const [staff, contact] = await Promise.all([getById<StaffDoc>(COLLECTIONS.staff, id), getById<StaffContactDoc>(COLLECTIONS.staffContacts, id)]);
  return staff && contact ? viewOf(staff, contact) : null;
}

/** The contact card of an active staff member who has set one; null otherwise. */
export async function contactCardOf(staffId: string | null | undefined): Promise<StaffContactCard | null> {
  if (!staffId) return null;
  const [staff, contact] = await Promise.all([findActiveStaff(staffId), getById<StaffContactDoc>(COLLECTIONS.staffContacts, staffId)]);
  return staff && contact ? cardOf(staff, contact) : null;
}

/** A member's own staff member's contact; a member without one yet is assigned one now. */
export async function myContact(openid: string, now: Date): Promise<{ contact: StaffContactCard | null; reason: NoStaffContactReason | null }> {
  const member = await getById<OwnedMember>(COLLECTIONS.members, openid);
  if (!member || member.status === 'deleting') return { contact: null, reason: 'not_member' };
  const staffId = await ensureAssigned(member, now);
  if (!staffId) return { contact: null, reason: 'unassigned' };
  const staff = await findActiveStaff(staffId);
  if (!staff) return { contact: null, reason: 'staff_unavailable' };
  const contact = await getById<StaffContactDoc>(COLLECTIONS.staffContacts, staffId);
  if (!contact) return { contact: null, reason: 'no_contact' };
  return { contact: await cardOf(staff, contact), reason: null };
}
