/**
 * The per-member cap across groups, with unique keys instead of a counter.
 *
 * Before taking a seat, a member's join document `<groupId>:<openid>` is inserted with capKey
 * `<campaignId>:<openid>#<k>`, k = 1..joinsPerMember, under a unique index: at most
 * joinsPerMember of them can exist, however many joins run at once; a leader's document also
 * carries openKey `<campaignId>:<openid>#open<m>`, m = 1..opensPerMember, unique too (members
 * carry `j:<_id>`). A duplicate key means "this very join is already reserved" (a double tap: it
 * shares the reservation, and the seat-taking write lets only one of them in) or "that number is
 * taken" (try the lowest free one, or refuse at the cap).
 *
 * A join that is refused for good (the group is full or closed) removes its reservation. One whose
 * call died before taking the seat leaves a reservation its group never lists; when a member hits
 * the cap, such reservations are dropped if their group can no longer take them (closed) or they
 * are older than any call can run (the function's timeout is 60 s; an open reserves before it
 * writes the group, so a reservation without a group is dropped only when old).
 */
import { COLLECTIONS } from '../../database/collections';
import { getDb, isDuplicateKey } from '../runtime/db';
import { fail } from '../runtime/errors';
import { capKeyOf, type GroupDoc, isMemberOf, type JoinDoc, joinIdOf, openKeyOf, sortKeyOf } from './model';

const STALE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 6;

export interface Reservation {
  campaignId: string;
  groupId: string;
  openid: string;
  role: JoinDoc['role'];
  now: Date;
}

/** The campaign's per-member caps. */
export interface Caps {
  joinsPerMember: number;
  opensPerMember: number;
}

const joins = () => getDb().collection(COLLECTIONS.groupBuyJoins);

export async function joinsOfMember(campaignId: string, openid: string): Promise<JoinDoc[]> {
  const res = await joins().where({ openid, campaignId }).limit(100).get();
  return res.data as JoinDoc[];
}

function lowestFree(taken: number[]): number {
  const held = new Set(taken);
  let n = 1;
  while (held.has(n)) n++;
  return n;
}

const numberAfter = (key: string, marker: string): number => Number(key.slice(key.lastIndexOf(marker) + marker.length));

/** Why the member can take no further place, or null. */
function capRefusal(mine: JoinDoc[], r: Reservation, caps: Caps): string | null {
  if (mine.length >= caps.joinsPerMember) {
    return caps.joinsPerMember === 1 ? '每人限参与 1 个团，你已经参与过了' : `每人最多参与 ${caps.joinsPerMember} 个团，你已达到上限`;
  }
  if (r.role === 'leader' && mine.filter((j) => j.role === 'leader').length >= caps.opensPerMember) {
    return caps.opensPerMember === 1 ? '每人限开 1 个团，你已经开过团了' : `每人最多开 ${caps.opensPerMember} 个团，你已达到上限`;
  }
  return null;
}

/** Reserves one of the member's places for this group; LIMIT_REACHED when the caps are reached. */
export async function reserveJoin(r: Reservation, caps: Caps): Promise<void> {
  const id = joinIdOf(r.groupId, r.openid);
  let k = 1;
  let m = 1;
  let repaired = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc: JoinDoc = {
      _id: id,
      campaignId: r.campaignId,
      groupId: r.groupId,
      openid: r.openid,
      role: r.role,
      capKey: capKeyOf(r.campaignId, r.openid, k),
      openKey: r.role === 'leader' ? openKeyOf(r.campaignId, r.openid, m) : `j:${id}`,
      sortKey: sortKeyOf(r.now, r.groupId),
      at: r.now,
    };
    try {
      await joins().add({ data: { ...doc } });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    let mine = await joinsOfMember(r.campaignId, r.openid);
    if (mine.some((j) => j._id === id)) return;
    if (capRefusal(mine, r, caps) && !repaired) {
      mine = await dropStale(mine, r.now);
      repaired = true;
    }
    const refusal = capRefusal(mine, r, caps);
    if (refusal) fail('LIMIT_REACHED', refusal);
    k = lowestFree(mine.map((j) => numberAfter(j.capKey, '#')));
    m = lowestFree(mine.filter((j) => j.role === 'leader').map((j) => numberAfter(j.openKey, '#open')));
  }
  fail('CONFLICT', '参团的人太多了，请稍后再试');
}

/** Gives the place back after a refusal for good (the group filled up or closed). */
export async function releaseJoin(groupId: string, openid: string): Promise<void> {
  await joins().doc(joinIdOf(groupId, openid)).remove();
}

/** Drops reservations whose call died before taking the seat; returns the ones kept. */
async function dropStale(mine: JoinDoc[], now: Date): Promise<JoinDoc[]> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.groupBuys)
    .where({ _id: _.in(mine.map((j) => j.groupId)) })
    .field({ _id: true, state: true, members: true })
    .limit(100)
    .get();
  const groups = new Map((res.data as Pick<GroupDoc, '_id' | 'state' | 'members'>[]).map((g) => [g._id, g]));
  const kept: JoinDoc[] = [];
  for (const j of mine) {
    const group = groups.get(j.groupId);
    const old = now.getTime() - new Date(j.at).getTime() > STALE_MS;
    // No group yet: an open may be writing it right now, so only an old one is dead.
    const dead = group ? !isMemberOf(group, j.openid) && (group.state !== 'open' || old) : old;
    if (dead) await joins().doc(j._id).remove();
    else kept.push(j);
  }
  return kept;
}
