/** What the 店铺管理 page renders, mapped from the contract's types. */
import type { ApiError, StaffInvite, StaffMember, StaffRole } from '../../../../typings';
import { roleLabel } from '../../../services/viewer';
import { formatDate, formatDateTime } from '../../../utils/format';

export type InviteRole = Exclude<StaffRole, 'owner'>;

export interface MemberRow {
  openid: string;
  name: string;
  roleLabel: string;
  joinedOn: string;
}

export interface InviteView {
  code: string;
  path: string;
  name: string;
  roleLabel: string;
  expiresAt: string;
}

export interface RoleOption {
  value: InviteRole;
  label: string;
}

/** Owners invite admins and clerks; admins invite clerks (the cloud function enforces the same). */
export function invitableRoles(role: StaffRole): RoleOption[] {
  const roles: InviteRole[] = role === 'owner' ? ['clerk', 'admin'] : ['clerk'];
  return roles.map((value) => ({ value, label: roleLabel(value) }));
}

export function toMemberRow({ openid, name, role, joinedAt }: StaffMember): MemberRow {
  return { openid, name, roleLabel: roleLabel(role), joinedOn: formatDate(joinedAt) };
}

export function toInviteView({ code, path, name, role, expiresAt }: StaffInvite): InviteView {
  return { code, path, name, roleLabel: roleLabel(role), expiresAt: formatDateTime(expiresAt) };
}

/** The sentence to show: the first field problem when the input was refused, else the message. */
export function errorText(error: ApiError): string {
  return error.fields && error.fields.length ? error.fields[0].message : error.message;
}
