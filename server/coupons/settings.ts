/** The merchant's coupon settings: how long a redemption can be reversed, when reminders go out. */
import { COLLECTIONS } from '../../database/collections';
import { getById } from '../runtime/db';

export const COUPON_SETTINGS_ID = 'coupon';

export interface CouponSettings {
  reversalWindowHours: number;
  reminderDaysBefore: number;
}

export const DEFAULT_SETTINGS: CouponSettings = { reversalWindowHours: 24, reminderDaysBefore: 3 };

export interface CouponSettingsDoc extends CouponSettings {
  _id: typeof COUPON_SETTINGS_ID;
  updatedAt: Date;
  updatedBy: string;
}

export async function loadSettings(): Promise<CouponSettings> {
  const doc = await getById<CouponSettingsDoc>(COLLECTIONS.settings, COUPON_SETTINGS_ID);
  return doc ? { reversalWindowHours: doc.reversalWindowHours, reminderDaysBefore: doc.reminderDaysBefore } : { ...DEFAULT_SETTINGS };
}

/**
 * The WeChat subscribe-message template of the expiry reminder (PRIVDOM_COUPON_REMINDER_TEMPLATE_ID
 * on the function). Locally a stand-in id, so the outbox shows what would be sent.
 */
export function reminderTemplateId(local: boolean): string | null {
  return process.env.PRIVDOM_COUPON_REMINDER_TEMPLATE_ID || (local ? 'local-coupon-expiry-reminder' : null);
}
