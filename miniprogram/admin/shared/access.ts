/**
 * What the signed-in staff member may open in the tab, from `admin.home` (the cloud decides from
 * the role; every action is checked there again). Kept per app launch so pages opened from the home
 * page do not ask again.
 */
import type { AdminArea, AdminHome } from '../../../typings';
import { call } from '../../services/api';
import { rememberViewer } from '../../services/viewer';

export type Gate = 'loading' | 'error' | 'forbidden' | 'denied' | 'ready';

export type Access = { gate: 'ready'; home: AdminHome } | { gate: 'error' | 'forbidden'; message: string };

const known = new WeakMap<object, AdminHome>();

/** `fresh`: ask the cloud even when this launch already knows (the home page, for today's numbers). */
export async function loadAccess(fresh = false): Promise<Access> {
  const app = getApp();
  const cached = known.get(app);
  if (cached && !fresh) return { gate: 'ready', home: cached };
  const res = await call('admin', 'admin.home', {});
  if (!res.ok) {
    if (res.error.code !== 'FORBIDDEN') return { gate: 'error', message: res.error.message };
    rememberViewer({ isStaff: false, role: null });
    return { gate: 'forbidden', message: res.error.message };
  }
  known.set(app, res.data);
  rememberViewer({ isStaff: true, role: res.data.me.role });
  return { gate: 'ready', home: res.data };
}

export type AreaAccess = { gate: 'ready' | 'denied'; message: string; home: AdminHome } | { gate: 'error' | 'forbidden'; message: string; home: null };

/** The gate of a page that belongs to `area`: `denied` when the role does not see it. */
export async function openArea(area: AdminArea): Promise<AreaAccess> {
  const access = await loadAccess();
  if (access.gate !== 'ready') return { gate: access.gate, message: access.message, home: null };
  if (!access.home.areas.includes(area)) return { gate: 'denied', message: '', home: access.home };
  return { gate: 'ready', message: '', home: access.home };
}
