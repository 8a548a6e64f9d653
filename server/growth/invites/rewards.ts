/**
 * Invite rewards, processed by the `growth` timer from the event log, exactly once.
 *
 * - The timer reads closed minutes of the log (as the counters' fold does: a minute is closed two
 *   minutes after it ends, so no event of it can still arrive). Each minute range is read in two
 *   passes: the `invite_signup` events first, then the `order_bind` events, so an invitee's record
 *   exists before their first order is looked at. Pages go in `_id` order within the fixed range;
 *   the cursor (range, pass, last id) is stored after every page, under a lease, so ONE worker does
 *   this at a time and a crash repeats at most one page.
 * - Each invitee has ONE record, `invites/<invitee>`, created by its first sign-up event with the
 *   FIRST inviter; an insert that finds it there changes nothing. Whether it earns anything is
 *   decided then: not for yourself, not along a loop (the invitee is an ancestor of the inviter:
 *   the walk up the invite chain stops after MAX_CHAIN steps), not when another member has the
 *   same phone, not when either side has left. The record outlives an account deletion, so an
 *   account deleted and registered again through another link is not rewarded twice: the deletion
 *   moves it, and every mention of the openid in other records, to the member's keyed pseudonym
 *   (erased.ts, erase.ts), and wherever an openid is looked up or compared here its pseudonym is
 *   too. That costs no read: the pseudonyms go into the same `_id in [...]` queries and counts, and
 *   the loop walk compares them in memory (it skips the members read on a pseudonymous node).
 * - Each reward is a small state machine on the record, every step one conditional write:
 *   pending → reserved (within the caps) | capped | refused | none, then reserved → issued |
 *   failed. The caps are counts of reserved and issued rewards (per inviter per day, per campaign):
 *   exact, because only the lease holder reserves. The coupon goes through the one issuing path
 *   with the requestKey `inv:<invitee>:signup` / `inv:<invitee>:order`, so a step repeated after a
 *   crash returns the same coupon.
 * - After new invites, the campaign's leaderboard is rebuilt (board.ts).
 */
import { COLLECTIONS } from '../../../database/collections';
import { issueCoupon } from '../../coupons/issue';
import { appendEvents, type EventDoc, type EventInput } from '../../events/log';
import { closedBefore, minuteKey } from '../../events/fold';
import type { MemberDoc } from '../../members/model';
import { getById, getDb, insertOrGet } from '../../runtime/db';
import { AppError } from '../../runtime/errors';
import { shanghaiDate } from '../../runtime/shanghai';
import type { Budget } from '../budget';
import { type LeaseFields, RELEASED, takeLease, writeHolding } from '../lease';
import { rebuildBoard } from './board';
import { bothIds, erasedId, isErasedId } from './erased';
import { type CampaignDoc, type InviteDoc, type Refusal, type RewardDoc, type RewardState, runsOn } from './model';
import { NO_CAMPAIGN } from './token';

export const STATE_ID = 'invites';
/** How far up the invite chain a loop is looked for. */
export const MAX_CHAIN = 8;
/** Events per page: each page reads its members (invitees and inviters) in one query of ≤ 1,000. */
const EVENTS_PER_PAGE = 400;
const TAKEN: RewardState[] = ['reserved', 'issued'];

type Kind = 'signup' | 'order';
const PASSES = ['invite_signup', 'order_bind'] as const;

export interface InviteStateDoc extends LeaseFields {
  _id: typeof STATE_ID;
  /** Every minute before this one is processed. */
  nextMinute: string;
  /** The range under way, [nextMinute, rangeTo); null between ranges. */
  rangeTo: string | null;
  pass: 0 | 1;
  lastId: string;
  /** Campaigns whose leaderboard waits for a rebuild. */
  dirty: string[];
  updatedAt: Date;
}

export interface InviteTimerReport {
  state: 'idle' | 'busy' | 'worked';
  events: number;
  invites: number;
  rewards: number;
  caughtUp: boolean;
}

interface Page {
  now: Date;
  campaigns: Map<string, CampaignDoc | null>;
  members: Map<string, MemberDoc>;
  invites: Map<string, InviteDoc>;
  events: EventInput[];
  created: number;
  rewards: number;
  dirty: Set<string>;
}

const invites = () => getDb().collection(COLLECTIONS.invites);

async function loadState(now: Date): Promise<InviteStateDoc | null> {
  const state = await getById<InviteStateDoc>(COLLECTIONS.growthState, STATE_ID);
  if (state) return state;
  // Nothing can earn a reward before the first campaign existed: start there.
  const first = await getDb().collection(COLLECTIONS.inviteCampaigns).orderBy('createdAt', 'asc').limit(1).get();
  const campaign = first.data[0] as CampaignDoc | undefined;
  if (!campaign) return null;
  const doc: InviteStateDoc = {
    _id: STATE_ID,
    nextMinute: minuteKey(new Date(campaign.createdAt)),
    rangeTo: null,
    pass: 0,
    lastId: '',
    dirty: [],
    updatedAt: now,
    leaseUntil: RELEASED,
    leaseHolder: null,
  };
  return (await insertOrGet<InviteStateDoc>(COLLECTIONS.growthState, doc)).doc;
}

export async function processInvites(now: Date, budget: Budget): Promise<InviteTimerReport> {
  const report: InviteTimerReport = { state: 'idle', events: 0, invites: 0, rewards: 0, caughtUp: true };
  const state = await loadState(now);
  if (!state) return report;
  const closed = closedBefore(now);
  if (!state.rangeTo && state.nextMinute >= closed && state.dirty.length === 0) return report;
  const holder = await takeLease(COLLECTIONS.growthState, STATE_ID, now);
  if (!holder) return { ...report, state: 'busy' };
  report.state = 'worked';

  let { nextMinute, rangeTo, pass, lastId } = state;
  const dirty = new Set(state.dirty);
  while (rangeTo || nextMinute < closed) {
    rangeTo ??= closed;
    const res = await getDb()
      .collection(COLLECTIONS.events)
      .where({ minute: getDb().command.gte(nextMinute).and(getDb().command.lt(rangeTo)), type: PASSES[pass], _id: getDb().command.gt(lastId) })
      .orderBy('_id', 'asc')
      .limit(EVENTS_PER_PAGE)
      .get();
    const events = res.data as (EventDoc & { _id: string })[];
    const page = await handlePage(events, pass === 0 ? 'signup' : 'order', now);
    report.events += events.length;
    report.invites += page.created;
    report.rewards += page.rewards;
    page.dirty.forEach((c) => dirty.add(c));
    if (events.length === EVENTS_PER_PAGE) lastId = events[events.length - 1]._id;
    else if (pass === 0) [pass, lastId] = [1, ''];
    else [nextMinute, rangeTo, pass, lastId] = [rangeTo, null, 0, ''];
    const saved = await writeHolding(COLLECTIONS.growthState, STATE_ID, holder, { nextMinute, rangeTo, pass, lastId, dirty: [...dirty], updatedAt: now });
    if (!saved) return { ...report, caughtUp: false };
    if (budget.outOfTime()) break;
  }
  for (const campaign of dirty) await rebuildBoard(campaign, now);
  report.caughtUp = !rangeTo && nextMinute >= closed;
  await writeHolding(COLLECTIONS.growthState, STATE_ID, holder, { dirty: [], leaseUntil: RELEASED, leaseHolder: null });
  return report;
}

// ---- one page ---------------------------------------------------------------------------------

const parseRef = (ref: string | undefined): { campaign: string | null; inviter: string } | null => {
  const m = /^([0-9a-z]{6}):(.+)$/.exec(ref ?? '');
  return m ? { campaign: m[1] === NO_CAMPAIGN ? null : m[1], inviter: m[2] } : null;
};

async function byIds<T extends { _id: string }>(collection: string, ids: string[], field?: Record<string, boolean>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const part = unique.slice(i, i + 1000);
    let query = getDb().collection(collection).where({ _id: getDb().command.in(part) }).limit(part.length);
    if (field) query = query.field(field);
    for (const doc of (await query.get()).data as T[]) out.set(doc._id, doc);
  }
  return out;
}

const MEMBER_FIELDS = { status: true, phoneHash: true, attribution: true, joinedAt: true };

/** The invitee's record: under their openid, or under their pseudonym if they deleted an account before. */
const recordOf = (page: Page, invitee: string): InviteDoc | undefined => page.invites.get(invitee) ?? page.invites.get(erasedId(invitee));

async function handlePage(events: (EventDoc & { _id: string })[], kind: Kind, now: Date): Promise<Page> {
  const page: Page = { now, campaigns: new Map(), members: new Map(), invites: new Map(), events: [], created: 0, rewards: 0, dirty: new Set() };
  if (events.length === 0) return page;
  if (kind === 'signup') {
    // The earliest sign-ups of a page come first: they are the ones the daily cap leaves rewarded.
    const parsed = events
      .map((e) => ({ e, ref: parseRef(e.ref) }))
      .filter((x) => x.ref)
      .sort((a, b) => new Date(a.e.at).getTime() - new Date(b.e.at).getTime());
    page.members = await byIds<MemberDoc>(COLLECTIONS.members, parsed.flatMap((x) => [x.e.openid, x.ref!.inviter]), MEMBER_FIELDS);
    page.invites = await byIds<InviteDoc>(COLLECTIONS.invites, parsed.flatMap((x) => bothIds(x.e.openid)));
    for (const { e, ref } of parsed) {
      const invite = recordOf(page, e.openid) ?? (await createInvite(page, e.openid, ref!.inviter, ref!.campaign, new Date(e.at), e.day));
      await drive(page, invite, 'signup');
    }
  } else {
    page.members = await byIds<MemberDoc>(COLLECTIONS.members, events.map((e) => e.openid), MEMBER_FIELDS);
    const invited = events.filter((e) => page.members.get(e.openid)?.attribution?.inviter);
    if (invited.length === 0) return page;
    const inviters = invited.map((e) => page.members.get(e.openid)!.attribution.inviter!).filter((id) => !page.members.has(id));
    for (const [id, m] of await byIds<MemberDoc>(COLLECTIONS.members, inviters, MEMBER_FIELDS)) page.members.set(id, m);
    page.invites = await byIds<InviteDoc>(COLLECTIONS.invites, invited.flatMap((e) => bothIds(e.openid)));
    for (const e of invited) {
      const { inviter, campaign, at } = page.members.get(e.openid)!.attribution;
      // The sign-up event was lost (a crash after the member was written): the record starts here.
      const invite = recordOf(page, e.openid) ?? (await createInvite(page, e.openid, inviter!, campaign ?? null, new Date(at), shanghaiDate(new Date(at))));
      const withOrder = await recordFirstOrder(page, invite, e);
      await drive(page, withOrder, 'order');
    }
  }
  if (page.events.length) await appendEvents(page.events, now);
  return page;
}

async function campaignOf(page: Page, id: string | null): Promise<CampaignDoc | null> {
  if (!id) return null;
  if (!page.campaigns.has(id)) page.campaigns.set(id, await getById<CampaignDoc>(COLLECTIONS.inviteCampaigns, id));
  return page.campaigns.get(id)!;
}

// ---- the invite record --------------------------------------------------------------------------

/**
 * True when `invitee` is an ancestor of `inviter` in the invite chain (within MAX_CHAIN steps). A node
 * named by pseudonym is a deleted account: its record sits under that pseudonym, and it has no member.
 */
async function inLoop(invitee: string, inviter: string): Promise<boolean> {
  const self = bothIds(invitee);
  let node = inviter;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const record = await getById<InviteDoc>(COLLECTIONS.invites, node);
    const parent = record ? record.inviter : isErasedId(node) ? null : ((await getById<MemberDoc>(COLLECTIONS.members, node))?.attribution?.inviter ?? null);
    if (!parent) return false;
    if (self.includes(parent)) return true;
    node = parent;
  }
  return false;
}

async function phoneSeen(member: MemberDoc): Promise<boolean> {
  if (!member.phoneHash) return false;
  const _ = getDb().command;
  return (await getDb().collection(COLLECTIONS.members).where({ phoneHash: member.phoneHash, _id: _.neq(member._id) }).count()).total > 0;
}

async function refusalOf(page: Page, invitee: string, inviter: string): Promise<Refusal | null> {
  if (bothIds(invitee).includes(inviter)) return 'self';
  const member = page.members.get(invitee);
  if (!member || member.status !== 'active') return 'invitee_gone';
  if (!page.members.get(inviter)) return 'inviter_gone';
  if (await inLoop(invitee, inviter)) return 'loop';
  if (await phoneSeen(member)) return 'phone_seen';
  return null;
}

const reward = (state: RewardState, day: string, at: Date, reason: string | null = null, ref: string | null = null): RewardDoc => ({ state, day, reason, couponId: null, ref, at });

async function createInvite(page: Page, invitee: string, inviter: string, campaign: string | null, joinedAt: Date, day: string): Promise<InviteDoc> {
  const refusal = await refusalOf(page, invitee, inviter);
  const doc: InviteDoc = {
    _id: invitee,
    inviter,
    campaign,
    joinedAt,
    refusal,
    signup: refusal ? reward('refused', day, page.now, refusal) : reward('pending', day, page.now),
    order: null,
    createdAt: page.now,
    updatedAt: page.now,
  };
  const { doc: stored, created } = await insertOrGet<InviteDoc>(COLLECTIONS.invites, doc);
  if (created) {
    page.created += 1;
    if (stored.campaign && !stored.refusal) page.dirty.add(stored.campaign);
  }
  page.invites.set(invitee, stored);
  return stored;
}

/** The invitee's first bound order starts the order reward; later orders change nothing. */
async function recordFirstOrder(page: Page, invite: InviteDoc, e: EventDoc): Promise<InviteDoc> {
  if (invite.order) return invite;
  const order = invite.refusal ? reward('refused', e.day, page.now, invite.refusal, e.ref ?? null) : reward('pending', e.day, page.now, null, e.ref ?? null);
  const res = await invites().where({ _id: invite._id, order: null }).update({ data: { order: getDb().command.set(order), updatedAt: page.now } });
  const next = res.stats.updated === 1 ? { ...invite, order } : ((await getById<InviteDoc>(COLLECTIONS.invites, invite._id)) ?? invite);
  if (res.stats.updated === 1) page.events.push({ type: 'invite_order', openid: e.openid, channel: 'invite', ref: invite.inviter });
  page.invites.set(invite._id, next);
  return next;
}

// ---- the reward state machine -----------------------------------------------------------------

/** Moves `kind`'s reward from `from` to `to` (one conditional write); false when it was not in `from`. */
async function move(page: Page, invite: InviteDoc, kind: Kind, from: RewardState, to: RewardState, extra: Partial<RewardDoc> = {}): Promise<boolean> {
  const res = await invites()
    .where({ _id: invite._id, [`${kind}.state`]: from })
    .update({ data: { [kind]: { state: to, at: page.now, ...extra }, updatedAt: page.now } });
  if (res.stats.updated === 1) {
    const current = invite[kind]!;
    page.invites.set(invite._id, { ...invite, [kind]: { ...current, state: to, at: page.now, ...extra } });
  }
  return res.stats.updated === 1;
}

/** Null when one more reward fits the caps, else which cap is full. */
async function capFull(invite: InviteDoc, kind: Kind, campaign: CampaignDoc): Promise<'daily' | 'campaign' | null> {
  const _ = getDb().command;
  const day = invite[kind]!.day;
  // An inviter who deleted an account and came back shares the cap with the records of the old one.
  const daily = (await invites().where({ inviter: _.in(bothIds(invite.inviter)), [`${kind}.day`]: day, [`${kind}.state`]: _.in(TAKEN) }).count()).total;
  if (daily >= (kind === 'signup' ? campaign.signupDailyCap : campaign.orderDailyCap)) return 'daily';
  if (campaign.totalRewardCap === null) return null;
  const [signups, orders] = await Promise.all([
    invites().where({ campaign: campaign._id, 'signup.state': _.in(TAKEN) }).count(),
    invites().where({ campaign: campaign._id, 'order.state': _.in(TAKEN) }).count(),
  ]);
  return signups.total + orders.total >= campaign.totalRewardCap ? 'campaign' : null;
}

async function drive(page: Page, start: InviteDoc, kind: Kind): Promise<void> {
  let invite = start;
  const campaign = await campaignOf(page, invite.campaign);
  const templateId = kind === 'signup' ? campaign?.signupRewardTemplateId : campaign?.orderRewardTemplateId;
  // The inviter deleted their account after the record was written: nobody to give the coupon to.
  const inviterGone = isErasedId(invite.inviter);
  if (invite[kind]?.state === 'pending') {
    const day = invite[kind]!.day;
    if (!campaign || !templateId) await move(page, invite, kind, 'pending', 'none', { reason: 'no_reward' });
    else if (inviterGone) await move(page, invite, kind, 'pending', 'refused', { reason: 'inviter_gone' });
    else if (!runsOn(campaign, day)) await move(page, invite, kind, 'pending', 'refused', { reason: 'campaign_inactive' });
    else {
      const full = await capFull(invite, kind, campaign);
      await move(page, invite, kind, 'pending', full ? 'capped' : 'reserved', { reason: full });
    }
    invite = page.invites.get(invite._id)!;
  }
  if (invite[kind]?.state !== 'reserved' || !templateId) return;
  if (inviterGone) {
    await move(page, invite, kind, 'reserved', 'failed', { reason: 'inviter_gone' });
    return;
  }
  try {
    const { coupon } = await issueCoupon({
      templateId,
      openid: invite.inviter,
      source: { type: 'invite', ref: invite._id },
      requestKey: `inv:${invite._id}:${kind}`,
      now: page.now,
    });
    if (await move(page, invite, kind, 'reserved', 'issued', { couponId: coupon._id })) {
      page.rewards += 1;
      page.dirty.add(campaign!._id);
      page.events.push({ type: 'invite_reward', openid: invite.inviter, channel: 'invite', ref: `${kind}:${invite._id}` });
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await move(page, invite, kind, 'reserved', 'failed', { reason: err.code });
  }
}
