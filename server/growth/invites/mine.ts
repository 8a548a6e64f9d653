/**
 * 「我的邀请」: the people I brought (masked), the rewards I earned, and the campaign's leaderboard.
 * Reads: me, the campaign, one page of invitees (index `inviter_joinedAt` on members), their invite
 * records, three counts and the finished leaderboard: eight, whatever the numbers. An invitee who
 * deleted an account before has their record under their pseudonym: it is fetched in the same read.
 * What a member earned before deleting an account is not theirs any more: counts go by openid only.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { MyInvites } from '../../../typings';
import { loadActiveMember } from '../../members/home';
import { iso, type MemberDoc } from '../../members/model';
import { getById, getDb } from '../../runtime/db';
import { maskName } from '../people';
import { currentCampaign } from './campaigns';
import { bothIds, erasedId } from './erased';
import { type BoardDoc, type InviteDoc, rewardStatus, summaryOf } from './model';

export const INVITEES_PAGE = 20;

export async function myInvites(openid: string, cursor: string | undefined, now: Date): Promise<MyInvites> {
  const db = getDb();
  const _ = db.command;
  await loadActiveMember(openid);
  const offset = cursor ? Number(cursor) : 0;
  const mine = { 'attribution.inviter': openid };
  const [campaign, page, invited, signupRewards, orderRewards] = await Promise.all([
    currentCampaign(now),
    db.collection(COLLECTIONS.members).where(mine).orderBy('joinedAt', 'desc').orderBy('_id', 'asc').skip(offset).limit(INVITEES_PAGE + 1).field({ nickname: true, avatar: true, joinedAt: true }).get(),
    db.collection(COLLECTIONS.members).where(mine).count(),
    db.collection(COLLECTIONS.invites).where({ inviter: openid, 'signup.state': 'issued' }).count(),
    db.collection(COLLECTIONS.invites).where({ inviter: openid, 'order.state': 'issued' }).count(),
  ]);
  const people = (page.data as MemberDoc[]).slice(0, INVITEES_PAGE);
  const [records, board] = await Promise.all([
    people.length ? db.collection(COLLECTIONS.invites).where({ _id: _.in(people.flatMap((p) => bothIds(p._id))) }).limit(people.length * 2).get() : { data: [] },
    campaign ? getById<BoardDoc>(COLLECTIONS.inviteBoards, campaign._id) : null,
  ]);
  const recordOf = new Map((records.data as InviteDoc[]).map((r) => [r._id, r]));
  const entries = (board?.entries ?? []).map((e, i) => ({ rank: i + 1, nickname: e.nickname, invited: e.invited, isMe: e.openid === openid }));
  return {
    campaign: campaign ? summaryOf(campaign) : null,
    stats: { invited: invited.total, signupRewards: signupRewards.total, orderRewards: orderRewards.total },
    invitees: people.map((p) => {
      const record = recordOf.get(p._id) ?? recordOf.get(erasedId(p._id));
      // Credited to someone else first (an account registered again through my link): not mine.
      const notMine = !!record && (record.inviter !== openid || !!record.refusal);
      return {
        nickname: maskName(p.nickname),
        avatar: p.avatar,
        joinedAt: iso(p.joinedAt),
        signup: notMine ? 'not_eligible' : rewardStatus(record?.signup),
        order: notMine ? 'not_eligible' : record?.order ? rewardStatus(record.order) : 'pending',
      };
    }),
    nextCursor: page.data.length > INVITEES_PAGE ? String(offset + INVITEES_PAGE) : null,
    leaderboard: { entries, updatedAt: board ? iso(board.updatedAt) : null, myRank: entries.find((e) => e.isMe)?.rank ?? null },
  };
}
