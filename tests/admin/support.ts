/** Shared steps of the admin tab stories: a staffed store, members who joined for real, the timers. */
import type { ApiResult, JoinRequest } from '../../typings';
import { joinAs } from '../members/support';
import { ok, rid, type TestRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';

export interface Staffed {
  owner: string;
  admin: string;
  clerk: string;
}

/** An owner (bootstrap command), an admin and a clerk (invited), as a store sets itself up. */
export async function staffedStore(t: TestRuntime): Promise<Staffed> {
  const owner = await makeOwner(t, 'owner-lao-zhou');
  const admin = await makeStaff(t, owner, 'admin-xiao-wu', 'admin');
  const clerk = await makeStaff(t, owner, 'clerk-xiao-li', 'clerk');
  return { owner, admin, clerk };
}

/** A customer joins in one tap with a (development) phone number and a nickname. */
export async function customerJoins(t: TestRuntime, openid: string, phone: string, nickname: string, extra: Partial<JoinRequest> = {}): Promise<void> {
  await joinAs(t, openid, { phoneCode: `dev:${phone}`, nickname, ...extra });
}

/** The admin function's timer, as CloudBase fires it (imports, then the tab's upkeep). */
export async function adminTimer(t: TestRuntime): Promise<Record<string, unknown>> {
  const res = (await t.rt.fireTimer('admin', 'continueImports')) as ApiResult<Record<string, unknown>>;
  return ok(res);
}

/** The member function's timer: folds the event log into the day counters. */
export async function foldTimer(t: TestRuntime): Promise<void> {
  ok((await t.rt.fireTimer('member', 'foldEvents')) as ApiResult<unknown>);
}

export { ok, rid };
