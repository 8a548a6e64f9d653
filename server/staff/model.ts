import type { StaffMember } from '../../typings';
import type { StaffDoc } from '../runtime/staff-guard';

export function toStaffMember(doc: StaffDoc): StaffMember {
  return {
    openid: doc._id,
    name: doc.name,
    role: doc.role,
    status: doc.status,
    joinedAt: new Date(doc.joinedAt).toISOString(),
  };
}

export interface InviteDoc {
  _id: string;
  role: 'admin' | 'clerk';
  name: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
}

/** The path in the mini program that redeems an invite. */
export const INVITE_PAGE = '/admin/pages/join/index';
