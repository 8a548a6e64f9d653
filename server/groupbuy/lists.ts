/**
 * Reads over several groups: 「我的拼团」, a campaign's page for a customer, and staff's list of a
 * campaign's groups. Each closes the expired open groups it shows (see groups.ts), so no list ever
 * shows a group as open past its deadline.
 */
import { COLLECTIONS } from '../../database/collections';
import type { AdminGroupView, Eligibility, GroupBuyCampaignPage, GroupState, GroupSummary } from '../../typings';
import { appendEvents } from '../events/log';
import { getDb } from '../runtime/db';
import { campaignSummary, loadCampaign, openingRefusal } from './campaigns';
import { closeIfExpired, failEvent, loadMember } from './groups';
import { joinsOfMember } from './joins';
import { type GroupDoc, isMemberOf, type JoinDoc } from './model';
import { resultTemplateId } from './settle';
import { adminGroupView, groupSummary } from './views';

const MINE_PAGE = 20;
const ADMIN_PAGE = 50;

async function loadGroups(ids: string[]): Promise<GroupDoc[]> {
  if (ids.length === 0) return [];
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.groupBuys)
    .where({ _id: _.in([...new Set(ids)]) })
    .limit(1000)
    .get();
  return res.data as GroupDoc[];
}

/** Closes the expired open groups among `list` (one event write for all); returns the list as it now stands. */
async function closeExpired(list: GroupDoc[], now: Date): Promise<GroupDoc[]> {
  const results = await Promise.all(list.map((g) => closeIfExpired(g, now)));
  await appendEvents(results.filter((r) => r.closed).map((r) => failEvent(r.group)), now);
  return results.map((r) => r.group);
}

export async function myGroups(openid: string, cursor: string | undefined, now: Date): Promise<{ groups: GroupSummary[]; nextCursor: string | null }> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.groupBuyJoins)
    .where(cursor ? { openid, sortKey: _.lt(cursor) } : { openid })
    .orderBy('sortKey', 'desc')
    .limit(MINE_PAGE + 1)
    .get();
  const docs = res.data as JoinDoc[];
  const shown = docs.slice(0, MINE_PAGE);
  // A reservation whose seat was never taken (a refused or dying join) is not a group of mine.
  const mine = (await loadGroups(shown.map((j) => j.groupId))).filter((g) => isMemberOf(g, openid));
  const byId = new Map((await closeExpired(mine, now)).map((g) => [g._id, g]));
  return {
    groups: shown.filter((j) => byId.has(j.groupId)).map((j) => groupSummary(byId.get(j.groupId)!, j, now)),
    nextCursor: docs.length > MINE_PAGE ? shown[shown.length - 1].sortKey : null,
  };
}

export async function campaignPage(openid: string, campaignId: string, now: Date): Promise<GroupBuyCampaignPage> {
  const campaign = await loadCampaign(campaignId);
  const [member, joins] = await Promise.all([loadMember(openid), joinsOfMember(campaignId, openid)]);
  const mine = (await loadGroups(joins.map((j) => j.groupId))).filter((g) => isMemberOf(g, openid));
  const current = await closeExpired(mine, now);
  const refusal = openingRefusal(campaign, now);
  let open: Eligibility = { can: true, reason: null, reasonCode: null };
  if (refusal) open = { can: false, reason: refusal.message, reasonCode: refusal.code };
  else if (!member) open = { can: false, reason: '加入会员后即可开团', reasonCode: 'FORBIDDEN' };
  else if (current.length >= campaign.joinsPerMember) {
    open = { can: false, reason: `每人最多参与 ${campaign.joinsPerMember} 个团，你已达到上限`, reasonCode: 'LIMIT_REACHED' };
  } else if (current.filter((g) => g.leader === openid).length >= campaign.opensPerMember) {
    open = { can: false, reason: `每人最多开 ${campaign.opensPerMember} 个团，你已达到上限`, reasonCode: 'LIMIT_REACHED' };
  }
  const joinOf = new Map(joins.map((j) => [j.groupId, j]));
  return {
    campaign: campaignSummary(campaign),
    open,
    myOpenGroups: current
      .filter((g) => g.state === 'open')
      .map((g) => groupSummary(g, joinOf.get(g._id)!, now))
      .sort((a, b) => b.joinedAt.localeCompare(a.joinedAt)),
    resultTemplateId: resultTemplateId(),
  };
}

export async function campaignGroups(
  campaignId: string,
  state: GroupState | undefined,
  cursor: string | undefined,
  now: Date,
): Promise<{ groups: AdminGroupView[]; nextCursor: string | null }> {
  await loadCampaign(campaignId);
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.groupBuys)
    .where({ campaignId, ...(state ? { state } : {}), ...(cursor ? { sortKey: _.lt(cursor) } : {}) })
    .orderBy('sortKey', 'desc')
    .limit(ADMIN_PAGE + 1)
    .get();
  const docs = res.data as GroupDoc[];
  const shown = docs.slice(0, ADMIN_PAGE);
  const current = await closeExpired(shown, now);
  return {
    groups: current.map((g) => adminGroupView(g, now)),
    nextCursor: docs.length > ADMIN_PAGE ? shown[shown.length - 1].sortKey : null,
  };
}
