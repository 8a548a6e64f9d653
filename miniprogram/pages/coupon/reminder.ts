/**
 * The expiry reminder, a WeChat subscribe message. WeChat opens its panel only from a tap handler
 * and only before the handler's first asynchronous step (phones refuse later calls with "can only be
 * invoked by user TAP gesture"; DevTools does not), so `askForReminder` must run first in a tap.
 * Each acceptance is then reported to the cloud, where it pays for one reminder.
 */
import type { ApiResult } from '../../../typings';
import { call } from '../../services/api';

/** What the page says about the reminder. `none`: not offered (no template configured, or not asked). */
export type ReminderStatus = 'none' | 'saving' | 'on' | 'declined' | 'failed';

/** Opens WeChat's subscribe panel for `tmplId`; true when the person accepted. Call it synchronously in a tap. */
export function askForReminder(tmplId: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: [tmplId],
      success: (res) => resolve(res[tmplId] === 'accept'),
      fail: (err) => {
        // Declined for good in 设置, the main switch off, or an old client: no reminder, no fuss.
        console.warn('[reminder] subscribe panel failed', err);
        resolve(false);
      },
    });
  });
}

/** Tells the cloud the person accepted for coupons of `templateId`; retry with the same request id. */
export function reportReminder(templateId: string, requestId: string): Promise<ApiResult<{ credits: number }>> {
  return call('coupon', 'coupon.subscribeReminder', { templateId, accepted: true }, { requestId });
}
