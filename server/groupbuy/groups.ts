/**
 * Opening, joining and closing groups.
 *
 * Taking a seat is ONE conditional write on the group document:
 *
 *   where({ _id, state: 'open', count: c, expiresAt: _.gt(now), 'members.openid': _.neq(openid) })
 *     .update({ count: c + 1, members: _.push([me]), ...(c + 1 === size ? { state: 'complete' } : {}) })
 *
 * It matches only while the group is open, not past its deadline, still at the count this call read,
 * and without this member; so however many press join at once, each seat goes to exactly one of
 * them, nobody gets in twice, and the write that takes the last seat is the one that completes the
 * group. A call whose write matched nothing reads the group again and tries the next seat, or is
 * told the group is full or closed. No transaction and no counter elsewhere: a group holds at most
 * 50 members, so its document is the natural unit of contention.
 *
 * A group past its deadline fails; whoever reads it first (the timer, a detail, a join, a list)
 * closes it with a conditional write (`state: 'open', expiresAt <= now`) and settles it.
 */
import { COLLECTIONS } from '../../database/collections';
import { derivedId } from '../coupons/templates';
import { appendEvents, type EventInput } from '../events/log';
import { displayName, type MemberDoc } from '../members/model';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import type { ActionContext } from '../runtime/define';
import { fail } from '../runtime/errors';
import { loadCampaign, openingRefusal } from './campaigns';
import { releaseJoin, reserveJoin } from './joins';
import { type GroupCampaignDoc, type GroupDoc, type GroupMember, isMemberOf, ms, sortKeyOf } from './model';
import { needsSettlement, settleGroup } from './settle';
import { takeGroupSlot } from './slots';
import { groupIdOf } from './token';

/** Seat attempts beyond the group size: each failed attempt means someone else took a seat. */
const EXTRA_SEAT_ATTEMPTS = 5;

const groups = () => getDb().collection(COLLECTIONS.groupBuys);

export async function loadGroup(groupId: string): Promise<GroupDoc | null> {
  return getById<GroupDoc>(COLLECTIONS.groupBuys, groupId);
}

export async function groupByToken(token: string): Promise<GroupDoc> {
  const groupId = groupIdOf(token);
  const group = groupId ? await loadGroup(groupId) : null;
  if (!group) fail('NOT_FOUND', '找不到这个团，请让好友重新分享');
  return group;
}

/** A store member may take part; anyone else is asked to join the store first. */
export async function loadMember(openid: string): Promise<MemberDoc | null> {
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  return member && member.status !== 'deleting' ? member : null;
}

const NOT_A_MEMBER = '加入会员后即可参与拼团';

export const failEvent = (g: GroupDoc): EventInput => ({ type: 'group_fail', openid: g.leader, ref: g._id });

/**
 * Closes an open group past its deadline (one conditional write) and settles it. Returns the group
 * as it now stands and whether this call closed it (then the caller records the group_fail event).
 */
export async function closeIfExpired(group: GroupDoc, now: Date): Promise<{ group: GroupDoc; closed: boolean }> {
  if (group.state !== 'open' || ms(group.expiresAt) > now.getTime()) return { group, closed: false };
  const failed: GroupDoc = { ...group, state: 'failed', closedAt: now, updatedAt: now };
  // Nothing to issue and nobody to tell: the closing write finishes the group.
  const done = needsSettlement(failed) ? {} : { benefitsIssued: true, settledAt: now };
  const _ = getDb().command;
  const res = await groups()
    .where({ _id: group._id, state: 'open', expiresAt: _.lte(now) })
    .update({ data: { state: 'failed', closedAt: now, updatedAt: now, ...done } });
  if (res.stats.updated !== 1) {
    // Someone else closed it, or its last seat was taken just before the deadline.
    return { group: (await loadGroup(group._id)) ?? group, closed: false };
  }
  return { group: await settleAfterClosing({ ...failed, ...done }, now), closed: true };
}

/**
 * Settles a group this call just closed. A failure here (the database, WeChat) does not undo what
 * the caller did: the group stays marked unsettled and the timer settles it.
 */
async function settleAfterClosing(group: GroupDoc, now: Date): Promise<GroupDoc> {
  try {
    return await settleGroup(group, now);
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', fn: 'groupbuy', step: 'settle', group: group._id, error: err instanceof Error ? err.stack : String(err) }));
    return group;
  }
}

// ---- open -----------------------------------------------------------------------------------------

function newGroup(campaign: GroupCampaignDoc, groupId: string, leader: GroupMember, now: Date): GroupDoc {
  const deadline = Math.min(now.getTime() + campaign.timeLimitHours * 3_600_000, ms(campaign.endsAt));
  return {
    _id: groupId,
    campaignId: campaign._id,
    leader: leader.openid,
    size: campaign.groupSize,
    state: 'open',
    count: 1,
    members: [leader],
    openedAt: now,
    sortKey: sortKeyOf(now, groupId),
    expiresAt: new Date(deadline),
    closedAt: null,
    terms: {
      title: campaign.title,
      productName: campaign.product.name,
      productImage: campaign.product.image,
      benefit: { ...campaign.benefit },
      leaderBonusTemplateId: campaign.leaderBonusTemplateId,
      consolationTemplateId: campaign.consolationTemplateId,
      joinsPerMember: campaign.joinsPerMember,
      opensPerMember: campaign.opensPerMember,
      texts: { ...campaign.texts },
    },
    benefitsIssued: false,
    awards: [],
    refusals: [],
    updatedAt: now,
  };
}

/** Writes the group; a retried open (same request) finds the group it wrote. */
async function insertGroup(group: GroupDoc): Promise<GroupDoc> {
  try {
    await groups().add({ data: { ...group } });
    return group;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await loadGroup(group._id);
    if (!existing) throw err;
    return existing;
  }
}

export async function openGroup(ctx: ActionContext, campaignId: string, subscribed: boolean): Promise<{ group: GroupDoc; campaign: GroupCampaignDoc; alreadyOpened: boolean }> {
  const { openid, now } = ctx;
  const groupId = derivedId('gb', campaignId, openid, ctx.requestId);
  const [earlier, campaign] = await Promise.all([loadGroup(groupId), loadCampaign(campaignId)]);
  if (earlier) return { group: earlier, campaign, alreadyOpened: true };
  const refusal = openingRefusal(campaign, now);
  if (refusal) throw refusal;
  const member = await loadMember(openid);
  if (!member) fail('FORBIDDEN', NOT_A_MEMBER);

  await reserveJoin({ campaignId, groupId, openid, role: 'leader', now }, campaign);
  if (campaign.maxGroups !== null && !(await takeGroupSlot(campaignId, groupId, now))) {
    await releaseJoin(groupId, openid);
    fail('SOLD_OUT', '来晚了，本次活动的团已经开满了');
  }
  const leader: GroupMember = { openid, nickname: displayName(member), avatar: member.avatar ?? null, seat: 1, joinedAt: now, subscribed };
  const group = await insertGroup(newGroup(campaign, groupId, leader, now));
  await appendEvents([{ type: 'group_open', openid, ref: groupId }], now);
  return { group, campaign, alreadyOpened: false };
}

// ---- join -----------------------------------------------------------------------------------------

/** Records the call's events (a group it closed on the way), then refuses: the group is full or over. */
async function refuse(group: GroupDoc, events: EventInput[], now: Date): Promise<never> {
  await appendEvents(events, now);
  if (group.state === 'failed') fail('EXPIRED', '这个团已经结束了，可以自己开一个新团');
  fail('SOLD_OUT', '来晚了，这个团已经满员');
}

/** The caller was in the group already (a retry or a double tap): nothing to do but the events. */
async function alreadyIn(group: GroupDoc, events: EventInput[], now: Date): Promise<{ group: GroupDoc; alreadyJoined: boolean }> {
  await appendEvents(events, now);
  return { group, alreadyJoined: true };
}

/**
 * One conditional write: takes seat count + 1, completing the group when it is the last. Returns
 * the group as written, or null when it matched nothing. (Tests call it alone to leave a group as a
 * call that died right after it would.)
 */
export async function takeSeat(group: GroupDoc, me: Omit<GroupMember, 'seat'>, now: Date): Promise<GroupDoc | null> {
  const _ = getDb().command;
  const seated: GroupMember = { ...me, seat: group.count + 1 };
  const members = [...group.members, seated];
  let change: Partial<GroupDoc> = { count: seated.seat, updatedAt: now };
  if (seated.seat === group.size) {
    change = { ...change, state: 'complete', closedAt: now };
    // Nothing to issue and nobody to tell (a group price, no bonus): the completing write finishes it.
    if (!needsSettlement({ ...group, ...change, members })) change = { ...change, benefitsIssued: true, settledAt: now };
  }
  const res = await groups()
    .where({ _id: group._id, state: 'open', count: group.count, expiresAt: _.gt(now), 'members.openid': _.neq(me.openid) })
    .update({ data: { ...change, members: _.push([seated]) } });
  return res.stats.updated === 1 ? { ...group, ...change, members } : null;
}

export async function joinGroup(ctx: ActionContext, token: string, subscribed: boolean): Promise<{ group: GroupDoc; alreadyJoined: boolean }> {
  const { openid, now } = ctx;
  const events: EventInput[] = [];
  let group = await groupByToken(token);
  const expired = await closeIfExpired(group, now);
  group = expired.group;
  if (expired.closed) events.push(failEvent(group));
  if (isMemberOf(group, openid)) return alreadyIn(group, events, now);
  if (group.state !== 'open' || group.count >= group.size) return refuse(group, events, now);

  const member = await loadMember(openid);
  if (!member) fail('FORBIDDEN', NOT_A_MEMBER);
  await reserveJoin({ campaignId: group.campaignId, groupId: group._id, openid, role: 'member', now }, group.terms);
  const me = { openid, nickname: displayName(member), avatar: member.avatar ?? null, joinedAt: now, subscribed };

  for (let attempt = 0; attempt < group.size + EXTRA_SEAT_ATTEMPTS; attempt++) {
    const seated = await takeSeat(group, me, now);
    if (seated) return { group: await afterSeat(seated, openid, events, now), alreadyJoined: false };
    const fresh = await loadGroup(group._id);
    if (!fresh) fail('NOT_FOUND', '找不到这个团，请让好友重新分享');
    const closing = await closeIfExpired(fresh, now);
    group = closing.group;
    if (closing.closed) events.push(failEvent(group));
    if (isMemberOf(group, openid)) return alreadyIn(group, events, now);
    if (group.state !== 'open' || group.count >= group.size) {
      await releaseJoin(group._id, openid);
      return refuse(group, events, now);
    }
  }
  fail('CONFLICT', '参团的人太多了，请稍后再试');
}

/** After taking a seat: settle a group this seat completed, record the events. */
async function afterSeat(group: GroupDoc, openid: string, events: EventInput[], now: Date): Promise<GroupDoc> {
  events.push({ type: 'group_join', openid, ref: group._id });
  let settled = group;
  if (group.state === 'complete') {
    events.push({ type: 'group_complete', openid: group.leader, ref: group._id });
    settled = await settleAfterClosing(group, now);
  }
  await appendEvents(events, now);
  return settled;
}
