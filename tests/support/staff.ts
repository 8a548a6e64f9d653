/** Puts staff in place the way a store does: the bootstrap command makes the owner, invites do the rest. */
import tcb from '@cloudbase/node-sdk';
import type { StaffRole } from '../../typings';
import { bootstrapOwner } from '../../scripts/bootstrap-owner';
import { ok, rid, type TestRuntime } from './runtime';

export async function makeOwner(t: TestRuntime, openid = 'owner-1'): Promise<string> {
  const db = tcb.init({ env: 'local' }).database();
  await bootstrapOwner(db as never, openid, '店主', true, new Date(t.rt.clock.now()));
  return openid;
}

/** `inviter` invites `openid` with `role` and the invitee redeems it. */
export async function makeStaff(t: TestRuntime, inviter: string, openid: string, role: Exclude<StaffRole, 'owner'>): Promise<string> {
  const invite = ok(await t.call(inviter, 'staff', 'staff.invite', { name: `员工${openid}`, role }, rid('inv')));
  ok(await t.call(openid, 'staff', 'staff.redeemInvite', { code: invite.code }, rid('redeem')));
  return openid;
}
