/**
 * What an account deletion does to the invite records: every place that names the member by openid
 * names them by their pseudonym (erased.ts) instead, so the records keep working for the rules
 * (first inviter, loops, caps, leaderboards) without holding the openid.
 *
 * - As an invitee: their record `invites/<openid>` moves to `invites/<pseudonym>` (copy first, then
 *   the old one removed), and their inviter's reward coupons and `invite_reward` events about them
 *   follow (source, request key, claim key; the event's ref).
 * - As an inviter: the `inviter` of their invitees' records, the `attribution.inviter` of their
 *   invitees' member documents, and the refs of those invitees' `invite_signup` / `invite_order`
 *   events; their rows on the leaderboards keep their counts under the pseudonym.
 * - Their own invite events (already moved to the anonymous id) name the people on the other side
 *   by pseudonym too: once anonymous, nobody could find them again to erase those people later.
 *   Their own reward coupons are renamed by members/delete.ts in the write that anonymises them.
 *
 * Everything goes a page at a time (a member may have invited thousands), each page changes its
 * documents away from the query (or moves a cursor over the member's own events), and every write
 * is conditional on the old value: running it again, or after a crash, finishes the job and
 * changes nothing done.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { CouponDoc } from '../../coupons/model';
import type { EventDoc } from '../../events/log';
import { ERASED_NAME } from '../../members/erase-traces';
import { getById, getDb, insertOrGet } from '../../runtime/db';
import { erasedId, isErasedId } from './erased';
import type { BoardDoc, InviteDoc } from './model';

const PAGE = 100;
const INVITE_EVENTS = ['invite_signup', 'invite_order', 'invite_reward'];

/**
 * The ref of an invite event with the person it names pseudonymised (only `who`, when given); null
 * when there is nothing to change. invite_signup `<campaign>:<inviter>`, invite_order `<inviter>`,
 * invite_reward `<kind>:<invitee>`.
 */
export function renamedRef(type: string, ref: string | undefined, who?: string): string | null {
  if (!ref || !INVITE_EVENTS.includes(type)) return null;
  const cut = type === 'invite_order' ? -1 : ref.indexOf(':');
  const [head, id] = cut < 0 ? ['', ref] : [ref.slice(0, cut + 1), ref.slice(cut + 1)];
  if (!id || isErasedId(id) || (who !== undefined && id !== who)) return null;
  return `${head}${erasedId(id)}`;
}

/** An invite reward coupon's fields with the invitee pseudonymised; null for other coupons or when done. */
export function renamedReward(c: Pick<CouponDoc, 'source' | 'requestKey'>): Pick<CouponDoc, 'source' | 'requestKey'> | null {
  if (c.source.type !== 'invite' || isErasedId(c.source.ref)) return null;
  const ref = erasedId(c.source.ref);
  const m = /^inv:(.+):(signup|order)$/.exec(c.requestKey);
  return { source: { type: 'invite', ref }, requestKey: m && m[1] === c.source.ref ? `inv:${ref}:${m[2]}` : c.requestKey };
}

/** The coupons and reward events `inviter` was given for inviting `invitee`. */
async function renameRewardsFor(inviter: string, invitee: string): Promise<void> {
  const db = getDb();
  const coupons = (await db.collection(COLLECTIONS.coupons).where({ holder: inviter, 'source.type': 'invite', 'source.ref': invitee }).get()).data as CouponDoc[];
  for (const c of coupons) {
    const renamed = renamedReward(c)!;
    const claimKey = `${c.claimKey.slice(0, c.claimKey.length - c.requestKey.length)}${renamed.requestKey}`;
    await db.collection(COLLECTIONS.coupons).where({ _id: c._id, 'source.ref': invitee }).update({ data: { ...renamed, claimKey } });
  }
  for (const kind of ['signup', 'order']) {
    await db
      .collection(COLLECTIONS.events)
      .where({ openid: inviter, type: 'invite_reward', ref: `${kind}:${invitee}` })
      .update({ data: { ref: `${kind}:${erasedId(invitee)}` } });
  }
}

async function renameOwnRecord(openid: string): Promise<void> {
  const db = getDb();
  const pseudonym = erasedId(openid);
  const record = (await getById<InviteDoc>(COLLECTIONS.invites, openid)) ?? (await getById<InviteDoc>(COLLECTIONS.invites, pseudonym));
  if (!record) return;
  if (!isErasedId(record.inviter)) await renameRewardsFor(record.inviter, openid);
  if (record._id !== openid) return;
  // A record already under the pseudonym (a returning member's first one) wins: it came first.
  await insertOrGet<InviteDoc>(COLLECTIONS.invites, { ...record, _id: pseudonym });
  await db.collection(COLLECTIONS.invites).where({ _id: openid }).remove();
}

/** One page of the records that name `openid` as the inviter; false when none is left. */
export async function renameInviterPage(openid: string): Promise<boolean> {
  const db = getDb();
  const _ = db.command;
  const res = await db.collection(COLLECTIONS.invites).where({ inviter: openid }).limit(PAGE).field({ _id: true }).get();
  if (res.data.length === 0) return false;
  const ids = (res.data as { _id: string }[]).map((d) => d._id);
  await db.collection(COLLECTIONS.invites).where({ _id: _.in(ids), inviter: openid }).update({ data: { inviter: erasedId(openid) } });
  return true;
}

/** One page of the members `openid` invited, their events first; false when none is left. */
export async function renameInviteesPage(openid: string): Promise<boolean> {
  const db = getDb();
  const _ = db.command;
  const res = await db.collection(COLLECTIONS.members).where({ 'attribution.inviter': openid }).limit(PAGE).field({ _id: true }).get();
  if (res.data.length === 0) return false;
  const ids = (res.data as { _id: string }[]).map((d) => d._id);
  const events = await db
    .collection(COLLECTIONS.events)
    .where({ openid: _.in(ids), type: _.in(['invite_signup', 'invite_order']) })
    .limit(1000)
    .field({ type: true, ref: true })
    .get();
  const renames = new Map<string, { type: string; ref: string; to: string }>();
  for (const e of events.data as EventDoc[]) {
    const to = renamedRef(e.type, e.ref, openid);
    if (to) renames.set(`${e.type}\n${e.ref}`, { type: e.type, ref: e.ref!, to });
  }
  for (const { type, ref, to } of renames.values()) {
    await db.collection(COLLECTIONS.events).where({ openid: _.in(ids), type, ref }).update({ data: { ref: to } });
  }
  await db
    .collection(COLLECTIONS.members)
    .where({ _id: _.in(ids), 'attribution.inviter': openid })
    .update({ data: { attribution: { inviter: erasedId(openid) } } });
  return true;
}

/** The member's own invite events (under their anonymous id) name the other side by pseudonym. */
async function renameOwnEvents(anonId: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  for (let after = ''; ; ) {
    const res = await db
      .collection(COLLECTIONS.events)
      .where({ openid: anonId, type: _.in(INVITE_EVENTS), _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .limit(PAGE)
      .field({ type: true, ref: true })
      .get();
    const events = res.data as (EventDoc & { _id: string })[];
    for (const e of events) {
      const to = renamedRef(e.type, e.ref);
      if (to) await db.collection(COLLECTIONS.events).where({ _id: e._id, ref: e.ref }).update({ data: { ref: to } });
    }
    if (events.length < PAGE) return;
    after = events[events.length - 1]._id;
  }
}

/** Their leaderboard rows keep their counts, under the pseudonym and without a name. */
async function renameBoardRows(openid: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  const pseudonym = erasedId(openid);
  for (;;) {
    const res = await db.collection(COLLECTIONS.inviteBoards).where({ 'entries.openid': openid }).limit(PAGE).get();
    if (res.data.length === 0) return;
    for (const b of res.data as BoardDoc[]) {
      const entries: BoardDoc['entries'] = [];
      for (const e of b.entries) {
        const row = e.openid === openid || e.openid === pseudonym ? { openid: pseudonym, nickname: ERASED_NAME, invited: e.invited } : e;
        const same = entries.find((x) => x.openid === row.openid);
        if (same) same.invited += row.invited;
        else entries.push({ ...row });
      }
      await db.collection(COLLECTIONS.inviteBoards).doc(b._id).update({ data: { entries: _.set(entries) } });
    }
  }
}

export async function eraseInviteTraces(openid: string, anonId: string): Promise<void> {
  await renameOwnRecord(openid);
  while (await renameInviterPage(openid));
  while (await renameInviteesPage(openid));
  await renameOwnEvents(anonId);
  await renameBoardRows(openid);
}
