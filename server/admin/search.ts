/**
 * Staff find a member by phone (last four digits, or all eleven), by platform order number, or by
 * the start of the nickname. Every way is one or two index reads, so it stays quick at any size:
 *
 * - last four: `phoneLast4` (with `joinedAt`, newest first) for members the admin timer has seen,
 *   plus `phoneLast4: null` members (joined since its last run, a few minutes at most) matched on
 *   their masked number (new-members.ts);
 * - eleven digits: the keyed `phoneHash` the member was stored with;
 * - order number: the order's `_id` is `<platform>:<number>`, so one read by `_id` over the
 *   platforms, then the members the orders are bound to;
 * - nickname: a range on the `nicknameKey` index ([prefix, prefix with its last character + 1)),
 *   both sides with ASCII letters in lower case, so 「amy」 finds 「Amy」 (members/model.ts).
 */
import { COLLECTIONS } from '../../database/collections';
import type { MemberSearchBy, MemberSearchResult } from '../../typings';
import { phoneHash } from '../members/crypto';
import { loadLevelRules } from '../members/levels';
import { nicknameKey } from '../members/model';
import { ORDER_PLATFORMS, orderIdOf, type OrderDoc } from '../orders/model';
import { getDb } from '../runtime/db';
import { type AdminMemberDoc, memberRow } from './member-view';

export const SEARCH_LIMIT = 20;

const byNewest = (a: AdminMemberDoc, b: AdminMemberDoc): number => new Date(b.joinedAt).getTime() - new Date(a.joinedAt).getTime();

/** The first string after every string that starts with `prefix` (in UTF-16 and UTF-8 order alike). */
export function prefixEnd(prefix: string): string | null {
  const last = prefix.charCodeAt(prefix.length - 1);
  // Past the end of a code unit range the next unit would sort differently in the two orders.
  if (last === 0xd7ff || last === 0xdbff || last === 0xdfff || last === 0xffff) return null;
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

async function byPhone(q: string): Promise<AdminMemberDoc[]> {
  const db = getDb();
  const members = db.collection(COLLECTIONS.members);
  if (/^1\d{10}$/.test(q)) {
    const res = await members.where({ phoneHash: phoneHash('86', q), status: 'active' }).limit(SEARCH_LIMIT).get();
    return res.data as AdminMemberDoc[];
  }
  const [seen, fresh] = await Promise.all([
    members.where({ phoneLast4: q, status: 'active' }).orderBy('joinedAt', 'desc').limit(SEARCH_LIMIT).get(),
    members
      .where({ phoneLast4: null, status: 'active', phoneMasked: db.RegExp({ regexp: `${q}$` }) })
      .limit(SEARCH_LIMIT)
      .get(),
  ]);
  return [...(fresh.data as AdminMemberDoc[]), ...(seen.data as AdminMemberDoc[])].sort(byNewest).slice(0, SEARCH_LIMIT);
}

async function byOrder(orderNo: string): Promise<{ members: AdminMemberDoc[]; note: string | null }> {
  const db = getDb();
  const _ = db.command;
  const ids = ORDER_PLATFORMS.map((p) => orderIdOf(p, orderNo));
  const orders = (await db.collection(COLLECTIONS.orders).where({ _id: _.in(ids) }).limit(ids.length).field({ boundTo: true, bindState: true }).get()).data as Pick<OrderDoc, '_id' | 'boundTo' | 'bindState'>[];
  if (orders.length === 0) return { members: [], note: '没有找到这个订单号，请确认订单已导入' };
  const owners = [...new Set(orders.filter((o) => o.bindState === 'bound' && o.boundTo).map((o) => o.boundTo as string))];
  if (owners.length === 0) return { members: [], note: '订单已导入，但还没有会员绑定' };
  const res = await db.collection(COLLECTIONS.members).where({ _id: _.in(owners), status: 'active' }).limit(owners.length).get();
  return { members: (res.data as AdminMemberDoc[]).sort(byNewest), note: null };
}

async function byNickname(q: string): Promise<AdminMemberDoc[]> {
  const db = getDb();
  const _ = db.command;
  const prefix = nicknameKey(q);
  const end = prefixEnd(prefix);
  const range = end === null ? _.gte(prefix) : _.gte(prefix).and(_.lt(end));
  const res = await db.collection(COLLECTIONS.members).where({ nicknameKey: range, status: 'active' }).orderBy('nicknameKey', 'asc').limit(SEARCH_LIMIT * 2).get();
  return (res.data as AdminMemberDoc[]).filter((m) => (m.nicknameKey ?? '').startsWith(prefix)).slice(0, SEARCH_LIMIT);
}

function search(by: MemberSearchBy, q: string): Promise<{ members: AdminMemberDoc[]; note: string | null }> {
  switch (by) {
    case 'phone':
      return byPhone(q).then((members) => ({ members, note: null }));
    case 'orderNo':
      return byOrder(q);
    case 'nickname':
      return byNickname(q).then((members) => ({ members, note: null }));
  }
}

/** `q` is already checked for its kind (schemas.ts): 4 or 11 digits for `phone`. */
export async function findMembers(by: MemberSearchBy, q: string): Promise<MemberSearchResult> {
  const [rules, found] = await Promise.all([loadLevelRules(), search(by, q)]);
  const note = found.note ?? (found.members.length === SEARCH_LIMIT ? `只显示前 ${SEARCH_LIMIT} 位，请输入更完整的信息` : null);
  return { members: found.members.map((m) => memberRow(m, rules)), note };
}
