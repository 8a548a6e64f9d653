/**
 * How the tab's pages load what they show: the area's gate first, then calls whose busy flag and
 * error line live in the page's data, and lists the cloud pages by cursor.
 */
import type { AdminArea, AdminHome, ApiResult } from '../../../typings';
import { type Gate, openArea } from './access';

/** What these helpers use of a page (a `Component` instance). */
export interface PageData<D> {
  data: D;
  setData(data: WechatMiniprogram.IAnyObject): void;
}

/** A page behind an area's gate (`page-state` draws the loading and error ones). */
type Gated = { gate: Gate; gateMessage: string };

type Field<D> = keyof D & string;

/**
 * Shows the loading gate, then opens `area`; when the page may not go on, it shows the refusal or
 * the error and this answers null. The page sets `gate: 'ready'` itself once its data is in.
 */
export async function enterArea<D extends Gated>(page: PageData<D>, area: AdminArea): Promise<AdminHome | null> {
  page.setData({ gate: 'loading' });
  const access = await openArea(area);
  if (access.gate === 'ready') return access.home;
  page.setData({ gate: access.gate, gateMessage: access.message });
  return null;
}

/** `enterArea`, then the call the page cannot show anything without: its failure is the error gate. */
export async function enterWith<D extends Gated, T>(page: PageData<D>, area: AdminArea, request: () => Promise<ApiResult<T>>): Promise<{ home: AdminHome; data: T } | null> {
  const home = await enterArea(page, area);
  if (!home) return null;
  const res = await request();
  if (!res.ok) {
    page.setData({ gate: 'error', gateMessage: res.error.message });
    return null;
  }
  return { home, data: res.data };
}

export interface CallFields<D> {
  /** True while the call runs. */
  busy: Field<D>;
  /** Cleared when the call starts; the refusal's sentence when it fails. */
  error: Field<D>;
}

/**
 * Runs one call inside the page's busy flag and error line; on success the fields `show` answers go
 * in with the flag coming down. True when the call succeeded.
 */
export async function runInto<D, T>(
  page: PageData<D>,
  fields: CallFields<D>,
  request: () => Promise<ApiResult<T>>,
  show: (data: T) => WechatMiniprogram.IAnyObject,
  message: (error: { message: string }) => string = (e) => e.message,
): Promise<boolean> {
  page.setData({ [fields.busy]: true, [fields.error]: '' });
  const res = await request();
  if (!res.ok) {
    page.setData({ [fields.busy]: false, [fields.error]: message(res.error) });
    return false;
  }
  page.setData({ [fields.busy]: false, ...show(res.data) });
  return true;
}

export interface ListFields<D> extends CallFields<D> {
  /** The rows shown. */
  rows: Field<D>;
  /** The cursor of the next page ('' when there is none). */
  next: Field<D>;
}

/**
 * One page of a list the cloud pages by cursor: the first (`more` false) replaces the rows, a later
 * one asks from the stored cursor and appends. `request` gets that cursor ('' for the first page);
 * `read` answers the page's rows and the next cursor.
 */
export function loadListPage<D, T, R>(
  page: PageData<D>,
  fields: ListFields<D>,
  more: boolean,
  request: (cursor: string) => Promise<ApiResult<T>>,
  read: (data: T) => { rows: R[]; next: string | null | undefined },
): Promise<boolean> {
  const cursor = more ? String(page.data[fields.next] || '') : '';
  return runInto(page, fields, () => request(cursor), (data) => {
    const { rows, next } = read(data);
    const before = more ? (page.data[fields.rows] as unknown as R[]) : [];
    return { [fields.rows]: [...before, ...rows], [fields.next]: next ?? '' };
  });
}
