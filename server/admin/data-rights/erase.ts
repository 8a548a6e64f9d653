/**
 * Erasing a member on their request, done by the owner: the member's own deletion path
 * (members/delete.ts), so the result is the same as when they delete the account themselves: the
 * personal data removed, a tombstone with anonymised counts kept. The audit entry names the
 * tombstone, never the member, and keeps the owner's reason (which must not name them either).
 */
import { COLLECTIONS } from '../../../database/collections';
import { eraseMemberRecords } from '../../members/delete';
import type { MemberDoc } from '../../members/model';
import { audit } from '../../runtime/audit';
import { getById, getDb } from '../../runtime/db';
import { fail } from '../../runtime/errors';

export const ERASE_ACTION = 'member.erase';

/** The tombstone of an erasure this request already made (a retry whose answer was lost). */
async function erasedBy(requestId: string): Promise<string | null> {
  const res = await getDb().collection(COLLECTIONS.auditLog).where({ action: ERASE_ACTION, 'after.requestId': requestId }).limit(1).get();
  const [entry] = res.data as { target: string }[];
  return entry ? entry.target.split('/')[1] : null;
}

function refuseIdentifyingReason(reason: string, member: MemberDoc): void {
  const names = /\d{7,}/.test(reason) || (member.nickname.length >= 2 && reason.includes(member.nickname));
  if (names) fail('INVALID_INPUT', undefined, [{ path: 'payload.reason', message: '原因里请不要写会员的昵称、手机号等个人信息' }]);
}

export async function eraseMember(openid: string, reason: string, actor: string, requestId: string, now: Date): Promise<{ erased: true; tombstone: string | null }> {
  const earlier = await erasedBy(requestId);
  if (earlier) return { erased: true, tombstone: earlier };
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  if (!member) fail('NOT_FOUND', '找不到这个会员，可能已被删除');
  refuseIdentifyingReason(reason, member);
  const tombstone = await eraseMemberRecords(openid, now);
  await audit({ actor, action: ERASE_ACTION, target: `${COLLECTIONS.memberTombstones}/${tombstone}`, before: null, after: { requestId }, reason }, now);
  return { erased: true, tombstone };
}
