/**
 * What account deletion removes from growth (to be called by members/delete.ts next to the other
 * areas' clean-up): the member's repurchase-reminder subscriptions and their invite code, so links
 * and posters they shared stop crediting anyone.
 *
 * Kept on purpose: the `invites` record of someone who was invited (the inviter and the reward
 * states, keyed by the openid). It is what stops an account deleted and registered again from
 * earning its inviter a second reward (re-registration farming), and it holds no personal data
 * beyond the two WeChat identifiers.
 */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../runtime/db';

export async function forgetGrowthTraces(openid: string): Promise<void> {
  const db = getDb();
  await db.collection(COLLECTIONS.repurchaseReminderCredits).where({ openid }).remove();
  await db.collection(COLLECTIONS.inviteCodes).where({ openid }).remove();
}
