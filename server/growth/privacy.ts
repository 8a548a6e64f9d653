/**
 * What account deletion removes from growth (called by members/delete.ts next to the other areas'
 * clean-up, after the member's events moved to `anonId`): the member's repurchase-reminder
 * subscriptions and their invite code, so links and posters they shared stop crediting anyone.
 *
 * The `invites` records that name them stay, under their keyed pseudonym instead of the openid
 * (invites/erase.ts): they are what stops an account deleted and registered again from earning its
 * inviter a second reward (re-registration farming) or closing an invite loop unnoticed.
 */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../runtime/db';
import { eraseInviteTraces } from './invites/erase';

export async function forgetGrowthTraces(openid: string, anonId: string): Promise<void> {
  const db = getDb();
  await db.collection(COLLECTIONS.repurchaseReminderCredits).where({ openid }).remove();
  await db.collection(COLLECTIONS.inviteCodes).where({ openid }).remove();
  await eraseInviteTraces(openid, anonId);
}
