/**
 * Steps of the 活动 stories done on the pages as the owner would (open the tab, make one, pause it
 * after confirming), and what a customer gets from the cloud meanwhile, and the whole database to
 * show that something wrote nothing.
 */
import { COLLECTIONS } from '../../../database/collections';
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import { getDb } from '../../../server/runtime/db';
import type { ActionName, ApiResult, FunctionName, RequestOf, ResponseOf } from '../../../typings';
import { openPage, type PageScreen, type Screen } from './pages';
import { follow } from './story';
import { platform } from './wechat';

export const LIST = 'admin/pages/campaigns/index';
export const CAMPAIGN = 'admin/pages/campaign/index';

/** The owner opens 活动, taps 新建活动 and picks the kind `kindLabel` on the form. */
export async function ownerStartsNew(kindLabel: string): Promise<PageScreen> {
  platform.actAs(DEMO_OWNER_OPENID);
  const list = openPage(LIST);
  await list.waitFor('新建活动');
  await list.tap('新建活动');
  const form = follow('navigateTo');
  await form.waitFor('新建活动');
  await form.tap(kindLabel);
  return form;
}

/** Types each value into the form's field of that key (`#f-<key>`), top to bottom. */
export async function fills(form: Screen, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) await form.type(`#f-${key}`, value);
}

/** Picks the coupon titled `title` in the coupon picker `selector` (e.g. `#f-templateId`). */
export async function pickCoupon(form: Screen, selector: string, title: string): Promise<void> {
  const index = (form.comp.data.templates as { label: string }[]).findIndex((o) => o.label === title);
  if (index < 0) throw new Error(`no coupon ${title} to pick; the picker offers ${JSON.stringify(form.comp.data.templates)}`);
  await form.pick(selector, String(index));
}

/** Taps 创建 and waits for the campaign's own card on top (its title and status); returns its id. */
export async function createsIt(form: Screen, title: string, status: string): Promise<string> {
  await form.tap('创建');
  await form.waitFor(`${title} ${status}`);
  return form.comp.data.id as string;
}

/** The owner taps `label` (暂停 / 恢复 / 结束), confirms the dialog, and the page shows `title status`. */
export async function confirms(page: Screen, label: '暂停' | '恢复' | '结束', title: string, status: string): Promise<void> {
  platform.willAnswerModal('confirm');
  const shown = platform.modals.length;
  await page.tap(label);
  await page.waitFor(`${title} ${status}`);
  expect(platform.modals.slice(shown)).toEqual([expect.objectContaining({ title: `${label}活动`, confirmText: label })]);
}

/** The owner types `quantity` under 补充库存, taps it, confirms, and the page shows `figure` (e.g. 剩余 69). */
export async function topsUp(page: Screen, title: string, quantity: number, figure: string): Promise<void> {
  platform.willAnswerModal('confirm');
  const shown = platform.modals.length;
  await page.type('#quantity', String(quantity));
  await page.tap('补充库存');
  await page.waitFor(figure);
  expect(platform.modals.slice(shown)).toEqual([expect.objectContaining({ title: '补充库存', content: `为「${title}」补充 ${quantity}？` })]);
}

/** The owner's 活动 list shows the campaign with `status` (its title and status tag side by side). */
export async function listShows(title: string, status: string): Promise<PageScreen> {
  platform.actAs(DEMO_OWNER_OPENID);
  const list = openPage(LIST);
  await list.waitFor(`${title} ${status}`);
  return list;
}

/** A customer's call to the cloud as their app makes it; the answer, refused or not. */
export async function customerAsks<F extends FunctionName, A extends ActionName<F>>(openid: string, fn: F, action: A, payload: RequestOf<F, A>): Promise<ApiResult<ResponseOf<F, A>>> {
  const requestId = `customer-${Math.random().toString(36).slice(2, 12)}`;
  return (await platform.runtime.invoke(fn, { action, payload, requestId }, { OPENID: openid })) as ApiResult<ResponseOf<F, A>>;
}

/** Every document of every collection, to compare before and after something that must write nothing. */
export async function everyDocument(): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const name of Object.values(COLLECTIONS)) {
    all[name] = (await getDb().collection(name).limit(1000).get()).data;
  }
  return all;
}
