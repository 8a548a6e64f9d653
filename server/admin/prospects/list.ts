/**
 * One page of the 潜力买家 ranking: one indexed query of a page of rollups and a count, plus one
 * look at members for the page's buyers, so someone who joined since the last refresh is not offered
 * a "join us" offer (they are left out and counted).
 */
import { COLLECTIONS } from '../../../database/collections';
import type { ProspectFilter, ProspectsView } from '../../../typings';
import { iso } from '../../members/model';
import { getDb } from '../../runtime/db';
import { filterQuery, prospectRow, SORT_KEYS, type ProspectDoc } from './model';
import { readProspectPass } from './rollup';

export const LIST_PAGE = 20;
/** Deep pages are for the export: the list stops here. */
export const MAX_OFFSET = 1000;

export async function refreshView(): Promise<ProspectsView['refresh']> {
  const pass = await readProspectPass();
  const last = pass?.last ?? null;
  return {
    computedAt: last ? iso(last.computedAt) : null,
    running: pass?.status === 'running',
    buyers: last?.buyers ?? 0,
    prospects: last?.prospects ?? 0,
    orders: last?.orders ?? 0,
    ordersWithoutPhone: last?.ordersWithoutPhone ?? 0,
  };
}

/** Rollups under the filter in ranking order. */
export function rankedQuery(filter: ProspectFilter, now: Date) {
  const db = getDb();
  let query = db.collection(COLLECTIONS.prospects).where(filterQuery(filter, now, db.command));
  for (const [key, dir] of SORT_KEYS[filter.sort]) query = query.orderBy(key, dir);
  return query;
}

export async function prospectPage(filter: ProspectFilter, offset: number, now: Date): Promise<ProspectsView> {
  const db = getDb();
  const _ = db.command;
  const [page, total, refresh] = await Promise.all([
    rankedQuery(filter, now).skip(offset).limit(LIST_PAGE).get(),
    db.collection(COLLECTIONS.prospects).where(filterQuery(filter, now, _)).count(),
    refreshView(),
  ]);
  const docs = page.data as ProspectDoc[];
  const joined = docs.length
    ? new Set(((await db.collection(COLLECTIONS.members).where({ phoneHash: _.in(docs.map((d) => d._id)) }).limit(LIST_PAGE).field({ phoneHash: true }).get()).data as { phoneHash: string }[]).map((m) => m.phoneHash))
    : new Set<string>();
  const rows = docs.flatMap((d, i) => (joined.has(d._id) ? [] : [prospectRow(d, offset + i + 1)]));
  const next = offset + docs.length;
  return {
    filter,
    total: total.total,
    rows,
    nextOffset: docs.length === LIST_PAGE && next < total.total && next < MAX_OFFSET ? next : null,
    joinedSince: docs.length - rows.length,
    refresh,
  };
}
