/**
 * Staff membership: who I am, the team list, one-time invitations, and revocation. Invitations are
 * signed so they cannot be guessed, and redeemed with a conditional update so each works once.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import type { StaffApi, StaffRole } from '../../typings';
import { audit } from '../runtime/audit';
import { getById, getDb, insertOrGet } from '../runtime/db';
import type { ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { sign, verify } from '../runtime/signing';
import { STAFF_COLLECTION, type StaffDoc } from '../runtime/staff-guard';
import { INVITE_PAGE, toStaffMember, type InviteDoc } from './model';

type Actions = { [K in keyof StaffApi]: ActionSpec<StaffApi[K]['req'], StaffApi[K]['res']> };

const INVITE_PURPOSE = 'staff-invite';
const name = z.string().trim().min(1, '请填写姓名').max(20, '姓名最多 20 个字');
const openid = z.string().min(1).max(64);

function inviteCode(id: string): string {
  return `${id}.${sign(INVITE_PURPOSE, id)}`;
}

function parseInviteCode(code: string): string {
  const [id, signature, extra] = code.split('.');
  if (extra !== undefined || !id || !signature || !verify(INVITE_PURPOSE, id, signature)) {
    fail('NOT_FOUND', '邀请码无效，请向店长重新索取');
  }
  return id;
}

/** Who may grant or take away which role: owners manage admins and clerks, admins manage clerks. */
function mayManage(actor: StaffRole, target: StaffRole): boolean {
  return target !== 'owner' && (actor === 'owner' || (actor === 'admin' && target === 'clerk'));
}

export const staffActions: Actions = {
  'staff.me': {
    input: z.strictObject({}),
    async handler(ctx) {
      const doc = await getById<StaffDoc>(STAFF_COLLECTION, ctx.openid);
      return { openid: ctx.openid, member: doc && doc.status === 'active' ? toStaffMember(doc) : null };
    },
  },

  'staff.list': {
    input: z.strictObject({ includeRevoked: z.boolean().optional() }),
    staff: 'admin',
    async handler(_ctx, input) {
      const db = getDb();
      const query = input.includeRevoked ? {} : { status: 'active' };
      const res = await db.collection(STAFF_COLLECTION).where(query).orderBy('joinedAt', 'asc').limit(1000).get();
      return { members: (res.data as StaffDoc[]).map(toStaffMember) };
    },
  },

  'staff.invite': {
    input: z.strictObject({
      name,
      role: z.enum(['admin', 'clerk']),
      validHours: z.number().int().min(1).max(24 * 7).optional(),
    }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      if (!mayManage(ctx.staff!.role, input.role)) fail('FORBIDDEN', '只有店主可以邀请管理员');
      // Derived from inviter + request id: a retried call finds the invite it already made.
      const id = createHash('sha256').update(`${ctx.openid}\n${ctx.requestId}`).digest('hex').slice(0, 20);
      const { doc } = await insertOrGet<InviteDoc>(COLLECTIONS.staffInvites, {
        _id: id,
        role: input.role,
        name: input.name,
        createdBy: ctx.openid,
        createdAt: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + (input.validHours ?? 72) * 3600_000),
        usedBy: null,
        usedAt: null,
      });
      const code = inviteCode(doc._id);
      return {
        code,
        role: doc.role,
        name: doc.name,
        expiresAt: new Date(doc.expiresAt).toISOString(),
        path: `${INVITE_PAGE}?code=${encodeURIComponent(code)}`,
      };
    },
  },

  'staff.redeemInvite': {
    input: z.strictObject({ code: z.string().min(3).max(80) }),
    mutates: true,
    async handler(ctx, input) {
      const id = parseInviteCode(input.code);
      const invite = await getById<InviteDoc>(COLLECTIONS.staffInvites, id);
      if (!invite) fail('NOT_FOUND', '邀请码无效，请向店长重新索取');
      const existing = await getById<StaffDoc>(STAFF_COLLECTION, ctx.openid);
      if (existing?.status === 'active' && invite.usedBy !== ctx.openid) fail('CONFLICT', '你已经是店铺员工');

      if (invite.usedBy !== ctx.openid) {
        if (invite.usedBy) fail('ALREADY_USED', '这个邀请码已被使用');
        if (new Date(invite.expiresAt).getTime() <= ctx.now.getTime()) fail('EXPIRED', '邀请码已过期，请向店长重新索取');
        const _ = getDb().command;
        const claimed = await getDb()
          .collection(COLLECTIONS.staffInvites)
          .where({ _id: id, usedBy: null, expiresAt: _.gt(ctx.now) })
          .update({ data: { usedBy: ctx.openid, usedAt: ctx.now } });
        if (claimed.stats.updated !== 1) fail('ALREADY_USED', '这个邀请码已被使用');
      }
      // The invite is ours from here on; a retry after a crash lands here again and finishes.
      const member: StaffDoc = {
        _id: ctx.openid,
        name: invite.name,
        role: invite.role,
        status: 'active',
        joinedAt: ctx.now,
        invitedBy: invite.createdBy,
      };
      const { _id, ...data } = member;
      if (existing?.status === 'active') return { member: toStaffMember(existing) };
      await getDb().collection(STAFF_COLLECTION).doc(_id).set({ data });
      await audit({ actor: ctx.openid, action: 'staff.join', target: `staff/${_id}`, before: existing, after: data }, ctx.now);
      return { member: toStaffMember(member) };
    },
  },

  'staff.revoke': {
    input: z.strictObject({ openid, reason: z.string().trim().min(1, '请填写原因').max(200) }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      if (input.openid === ctx.openid) fail('FORBIDDEN', '不能停用自己的账号');
      const target = await getById<StaffDoc>(STAFF_COLLECTION, input.openid);
      if (!target) fail('NOT_FOUND', '找不到这位员工');
      if (!mayManage(ctx.staff!.role, target.role)) fail('FORBIDDEN', '当前角色不能停用这位员工');
      if (target.status === 'revoked') return { member: toStaffMember(target) };
      const after = { status: 'revoked' as const, revokedAt: ctx.now, revokedBy: ctx.openid, revokeReason: input.reason };
      await getDb().collection(STAFF_COLLECTION).doc(input.openid).update({ data: after });
      await audit(
        { actor: ctx.openid, action: 'staff.revoke', target: `staff/${input.openid}`, before: target, after, reason: input.reason },
        ctx.now,
      );
      return { member: toStaffMember({ ...target, ...after }) };
    },
  },
};

