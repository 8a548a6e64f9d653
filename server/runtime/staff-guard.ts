/**
 * The one guard every admin action passes: the caller must be an active staff member whose role
 * ranks at least as high as the action asks. Read from the database on every call, so a revoked
 * member loses access at once.
 */
import type { StaffRole } from '../../typings';
import { getById } from './db';
import { fail } from './errors';

export const STAFF_COLLECTION = 'staff';

export interface StaffDoc {
  _id: string; // openid
  name: string;
  role: StaffRole;
  status: 'active' | 'revoked';
  joinedAt: Date;
  invitedBy: string | null;
  revokedAt?: Date;
  revokedBy?: string;
  revokeReason?: string;
}

const RANK: Record<StaffRole, number> = { clerk: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: StaffRole, required: StaffRole): boolean {
  return RANK[role] >= RANK[required];
}

export async function findActiveStaff(openid: string): Promise<StaffDoc | null> {
  const staff = await getById<StaffDoc>(STAFF_COLLECTION, openid);
  return staff && staff.status === 'active' ? staff : null;
}

export async function requireStaff(openid: string, required: StaffRole): Promise<StaffDoc> {
  const staff = await findActiveStaff(openid);
  if (!staff) fail('FORBIDDEN', '仅限店铺员工使用');
  if (!roleAtLeast(staff.role, required)) fail('FORBIDDEN', '当前角色没有权限进行此操作');
  return staff;
}
