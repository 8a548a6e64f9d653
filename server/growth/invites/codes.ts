/**
 * A member's invite code and who a code belongs to. The code is derived from the openid (see
 * token.ts), so it is stored once, on the first link or poster, and looked up with one read by id.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { InviteJoinStatus } from '../../../typings';
import { getById, insertOrGet } from '../../runtime/db';
import type { CodeDoc } from './model';
import { inviteCodeOf, parseInviteToken } from './token';

const MAX_ATTEMPTS = 4;

/** The member's code document, created on first use. */
export async function ensureCode(openid: string, now: Date): Promise<CodeDoc> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const code = inviteCodeOf(openid, attempt);
    const existing = await getById<CodeDoc>(COLLECTIONS.inviteCodes, code);
    const doc = existing ?? (await insertOrGet<CodeDoc>(COLLECTIONS.inviteCodes, { _id: code, openid, createdAt: now })).doc;
    if (doc.openid === openid) return doc;
  }
  throw new Error(`invite code collisions for ${openid}`);
}

export type InviteAtJoin =
  | { status: 'credited'; inviter: string; campaignId: string | null }
  | { status: Exclude<InviteJoinStatus, 'credited'> };

/**
 * Who a token sent by a joining customer credits: ONE read (the code) for a well-signed token,
 * none for a forged one. Whether the inviter is still a member, and everything about rewards, is
 * the growth timer's business: joining stays cheap.
 */
export async function inviterOfToken(token: string, openid: string): Promise<InviteAtJoin> {
  const facts = parseInviteToken(token);
  if (!facts) return { status: 'invalid' };
  const code = await getById<CodeDoc>(COLLECTIONS.inviteCodes, facts.code);
  if (!code) return { status: 'invalid' };
  if (code.openid === openid) return { status: 'self' };
  return { status: 'credited', inviter: code.openid, campaignId: facts.campaignId };
}
