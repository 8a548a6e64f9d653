/** `staff`: who works for the store and what they may do. */

/** owner > admin > clerk. */
export type StaffRole = 'owner' | 'admin' | 'clerk';

export interface StaffMember {
  openid: string;
  name: string;
  role: StaffRole;
  status: 'active' | 'revoked';
  joinedAt: string;
}

export interface StaffInvite {
  /** The one-time code to hand over (QR or text). */
  code: string;
  role: Exclude<StaffRole, 'owner'>;
  name: string;
  expiresAt: string;
  /** Mini program path that redeems it. */
  path: string;
}

export interface StaffApi {
  /** Any caller: their own user id (to hand to the owner) and staff record, if any. */
  'staff.me': { req: Record<string, never>; res: { openid: string; member: StaffMember | null } };
  'staff.list': { req: { includeRevoked?: boolean }; res: { members: StaffMember[] } };
  'staff.invite': { req: { name: string; role: Exclude<StaffRole, 'owner'>; validHours?: number }; res: StaffInvite };
  'staff.redeemInvite': { req: { code: string }; res: { member: StaffMember } };
  'staff.revoke': { req: { openid: string; reason: string }; res: { member: StaffMember } };
}
