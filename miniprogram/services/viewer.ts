/**
 * Who is looking at the app: a customer or a staff member (and which role). Cached on the app
 * instance so the custom tab bar can show 管理 to staff without a call of its own.
 *
 * Hiding the tab is convenience only: every admin action is checked again in the cloud function.
 */
import type { StaffRole } from '../../typings';

export interface Viewer {
  isStaff: boolean;
  role: StaffRole | null;
}

/** The shape of our App() instance; app.ts declares it with this type. */
export interface AppShape {
  globalData: { viewer: Viewer | null };
}

type Listener = (viewer: Viewer) => void;

// Tab bar instances come and go with their pages; each watches while it is attached.
const watchers = new Map<object, Listener>();

export function currentViewer(): Viewer | null {
  return getApp<AppShape>().globalData.viewer;
}

/** Called by every page that learns who the viewer is (home.get, staff.me, staff.redeemInvite). */
export function rememberViewer(viewer: Viewer): void {
  const known: Viewer = { isStaff: viewer.isStaff, role: viewer.role };
  getApp<AppShape>().globalData.viewer = known;
  watchers.forEach((listener) => listener(known));
}

/** Calls `listener` now (if the viewer is known) and on every change, until `unwatchViewer(owner)`. */
export function watchViewer(owner: object, listener: Listener): void {
  watchers.set(owner, listener);
  const known = currentViewer();
  if (known) listener(known);
}

export function unwatchViewer(owner: object): void {
  watchers.delete(owner);
}

const ROLE_LABELS: Record<StaffRole, string> = { owner: '店主', admin: '管理员', clerk: '店员' };

export function roleLabel(role: StaffRole | null): string {
  return role ? ROLE_LABELS[role] : '';
}
