/** Steps that several page stories share, done through the real cloud functions. */
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import type { ApiResult, StaffInvite, StaffRole } from '../../../typings';
import { openPage, type PageScreen } from './pages';
import { type Navigation, platform } from './wechat';

/** Arranges an existing staff member: the owner invites them and they redeem it (no pages). */
export async function hireStaff(openid: string, name: string, role: Exclude<StaffRole, 'owner'>): Promise<void> {
  const invite = (await platform.runtime.invoke(
    'staff',
    { action: 'staff.invite', payload: { name, role }, requestId: `hire-${openid}` },
    { OPENID: DEMO_OWNER_OPENID },
  )) as ApiResult<StaffInvite>;
  if (!invite.ok) throw new Error(`could not invite ${name}: ${invite.error.message}`);
  const joined = (await platform.runtime.invoke(
    'staff',
    { action: 'staff.redeemInvite', payload: { code: invite.data.code }, requestId: `join-${openid}` },
    { OPENID: openid },
  )) as ApiResult<unknown>;
  if (!joined.ok) throw new Error(`${name} could not join: ${joined.error.message}`);
}

/** Splits a mini program path like `/admin/pages/join/index?code=…` into route and query, as WeChat does. */
export function parsePath(path: string): { route: string; query: Record<string, string> } {
  const [route, search = ''] = path.replace(/^\//, '').split('?');
  const query: Record<string, string> = {};
  for (const pair of search.split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    query[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? '' : pair.slice(at + 1);
  }
  return { route, query };
}

/** Follows the last navigation the app asked for (of `kind`), opening that page as WeChat would. */
export function follow(kind: Navigation['kind']): PageScreen {
  const last = platform.navigations[platform.navigations.length - 1];
  if (last?.kind !== kind) throw new Error(`expected a ${kind}, the last navigation was ${JSON.stringify(last)}`);
  const { route, query } = parsePath(last.url ?? '');
  return openPage(route, query);
}
