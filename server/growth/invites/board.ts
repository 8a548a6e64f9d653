/**
 * The leaderboard of a campaign: its top inviters by invitees who count (no refusal), rebuilt by
 * the growth timer after it processes new invites, with one aggregate over the campaign's invite
 * records, one read of the top inviters' nicknames (stored masked) and two counts. 「我的邀请」 reads
 * the finished board: one read, however many invites the campaign has. An inviter who deleted their
 * account keeps their row and count under their pseudonym, named 已注销用户.
 */
import { COLLECTIONS } from '../../../database/collections';
import { ERASED_NAME } from '../../members/erase-traces';
import type { MemberDoc } from '../../members/model';
import { getDb } from '../../runtime/db';
import { maskName } from '../people';
import { isErasedId } from './erased';
import type { BoardDoc } from './model';

export const BOARD_SIZE = 20;

export async function rebuildBoard(campaignId: string, now: Date): Promise<BoardDoc> {
  const db = getDb();
  const _ = db.command;
  const $ = _.aggregate;
  const [top, invitees, signups, orders] = await Promise.all([
    db
      .collection(COLLECTIONS.invites)
      .aggregate()
      .match({ campaign: campaignId, refusal: null })
      .group({ _id: '$inviter', invited: $.sum(1) })
      .sort({ invited: -1, _id: 1 })
      .limit(BOARD_SIZE)
      .end(),
    db.collection(COLLECTIONS.invites).where({ campaign: campaignId, refusal: null }).count(),
    db.collection(COLLECTIONS.invites).where({ campaign: campaignId, 'signup.state': 'issued' }).count(),
    db.collection(COLLECTIONS.invites).where({ campaign: campaignId, 'order.state': 'issued' }).count(),
  ]);
  const rows = top.list as { _id: string; invited: number }[];
  const live = rows.map((r) => r._id).filter((id) => !isErasedId(id));
  const names = live.length
    ? ((await db.collection(COLLECTIONS.members).where({ _id: _.in(live) }).field({ nickname: true }).limit(live.length).get()).data as MemberDoc[])
    : [];
  const nickname = new Map(names.map((m) => [m._id, m.nickname]));
  const board: Omit<BoardDoc, '_id'> = {
    entries: rows.map((r) => ({ openid: r._id, nickname: isErasedId(r._id) ? ERASED_NAME : maskName(nickname.get(r._id)), invited: r.invited })),
    invitees: invitees.total,
    rewardsIssued: signups.total + orders.total,
    updatedAt: now,
  };
  await db.collection(COLLECTIONS.inviteBoards).doc(campaignId).set({ data: board });
  return { _id: campaignId, ...board };
}
