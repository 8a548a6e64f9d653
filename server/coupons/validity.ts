/** Coupon validity windows, in Shanghai business days (see runtime/shanghai.ts). */
import type { Validity } from '../../typings';
import { endOfShanghaiDate, endOfShanghaiDay, startOfShanghaiDate } from '../runtime/shanghai';

export { endOfShanghaiDay, isCalendarDate, shanghaiHour, shanghaiMinute } from '../runtime/shanghai';

/**
 * The window of a coupon issued at `claimedAt`. Relative validity counts the claim day as day 1;
 * fixed validity runs from the start of `startDate` to the end of `endDate`.
 */
export function windowFor(validity: Validity, claimedAt: Date): { validFrom: Date; expiresAt: Date } {
  if (validity.type === 'relative') {
    return { validFrom: claimedAt, expiresAt: endOfShanghaiDay(claimedAt, validity.days - 1) };
  }
  return { validFrom: startOfShanghaiDate(validity.startDate), expiresAt: endOfShanghaiDate(validity.endDate) };
}

/** When a template stops issuing: the end of a fixed window; never for relative validity. */
export function issuingEndsAt(validity: Validity): Date | null {
  return validity.type === 'fixed' ? endOfShanghaiDate(validity.endDate) : null;
}
