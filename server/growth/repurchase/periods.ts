/**
 * The calendar of repurchase rules, in Shanghai days (YYYY-MM-DD strings, so no time zone can
 * creep in): which days a run covers, which orders or birthdays fall due on them, and the period
 * that makes "at most once per member per rule per period" a deterministic key.
 *
 * Periods:
 * - after_order: the order's paid day (one coupon per member per paid day, whatever N becomes);
 * - win_back: the day of the last order (one per quiet spell);
 * - birthday_month / birthday_day: the year the birthday is celebrated in;
 * - new_product_trial: `once`.
 *
 * Leap days: a 2月29日 birthday is celebrated on 2月28日 in years without 2月29日 (most people born
 * on a leap day celebrate on 28 February; 1 March would fall in another month, which would also
 * move it out of February for the birth-month rule).
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { RepurchaseTrigger } from '../../../typings';

dayjs.extend(utc);

export const TRIAL_PERIOD = 'once';

export const addDays = (day: string, days: number): string => dayjs.utc(day).add(days, 'day').format('YYYY-MM-DD');

export const laterDay = (a: string, b: string): string => (a > b ? a : b);

/** Every day from `from` to `to`, inclusive (empty when from > to). */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The day a birthday (YYYY-MM-DD) is celebrated in `year`. */
export function celebratedIn(birthday: string, year: number): string {
  const monthDay = birthday.slice(5);
  const y = String(year).padStart(4, '0');
  return monthDay === '02-29' && !isLeapYear(year) ? `${y}-02-28` : `${y}-${monthDay}`;
}

/** The MM-DD of every birthday celebrated on `day`. */
export function birthdaysCelebratedOn(day: string): string[] {
  const monthDay = day.slice(5);
  return monthDay === '02-28' && !isLeapYear(Number(day.slice(0, 4))) ? ['02-28', '02-29'] : [monthDay];
}

/**
 * The days whose events a rule looks at when a run covers due days `from`..`to`: the paid days of
 * orders (after_order), the last-order days (win_back), or the celebrated birthdays (birthday_day).
 */
export function eventDays(trigger: RepurchaseTrigger, from: string, to: string): { from: string; to: string } | null {
  switch (trigger.kind) {
    case 'after_order':
    case 'win_back':
      return { from: addDays(from, -trigger.days), to: addDays(to, -trigger.days) };
    case 'birthday_day':
      return { from: addDays(from, trigger.daysBefore), to: addDays(to, trigger.daysBefore) };
    default:
      return null;
  }
}

/**
 * The period in which a member with `birthday` is due on days `from`..`to` for a birthday rule, or
 * null when they are not due. birthday_month looks at the month of `to` (the run's day).
 */
export function birthdayPeriod(trigger: RepurchaseTrigger, birthday: string, from: string, to: string): string | null {
  if (trigger.kind === 'birthday_month') return birthday.slice(5, 7) === to.slice(5, 7) ? to.slice(0, 4) : null;
  if (trigger.kind !== 'birthday_day') return null;
  const window = eventDays(trigger, from, to)!;
  for (const year of new Set([Number(window.from.slice(0, 4)), Number(window.to.slice(0, 4))])) {
    const day = celebratedIn(birthday, year);
    if (day >= window.from && day <= window.to) return String(year);
  }
  return null;
}

/** The MM-DD patterns (regex alternatives) of birthdays a birthday rule may reach on days `from`..`to`. */
export function birthdayPatterns(trigger: RepurchaseTrigger, from: string, to: string): string[] {
  if (trigger.kind === 'birthday_month') return [`${to.slice(5, 7)}-\\d{2}`];
  if (trigger.kind !== 'birthday_day') return [];
  const window = eventDays(trigger, from, to)!;
  return [...new Set(daysFrom(window.from, window.to).flatMap(birthdaysCelebratedOn))];
}

/** A regex over `birthday` (YYYY-MM-DD) matching any of the MM-DD patterns. */
export const birthdayRegex = (patterns: string[]): string => `^\\d{4}-(${patterns.join('|')})$`;
