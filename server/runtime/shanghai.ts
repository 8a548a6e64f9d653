/**
 * Business days are Shanghai days. Functions run in UTC, so every day boundary is computed in
 * Asia/Shanghai explicitly.
 *
 * Asia/Shanghai has kept a fixed +08:00 without daylight saving since 1991, so dayjs works in that
 * fixed offset (utc plugin). The timezone plugin's `tz()` gives the same answers (a test checks it
 * over every hour of a year) but formats through `toLocaleString` on every call, which cost about a
 * quarter of a coupon claim's CPU time.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

export const SHANGHAI_OFFSET_MINUTES = 8 * 60;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const inShanghai = (at: Date) => dayjs(at).utcOffset(SHANGHAI_OFFSET_MINUTES);

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  return DATE.test(s) && dayjs.utc(s).isValid() && dayjs.utc(s).format('YYYY-MM-DD') === s;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Day ends already computed, by `<Shanghai day number>:<days>`; a busy day asks for the same few. */
const dayEnds = new Map<string, number>();

/** 23:59:59.999 Shanghai time of the day `at` falls on, plus `days` days. */
export function endOfShanghaiDay(at: Date, days = 0): Date {
  const key = `${Math.floor((at.getTime() + SHANGHAI_OFFSET_MINUTES * 60_000) / DAY_MS)}:${days}`;
  let end = dayEnds.get(key);
  if (end === undefined) {
    end = inShanghai(at).add(days, 'day').endOf('day').valueOf();
    if (dayEnds.size >= 1024) dayEnds.clear();
    dayEnds.set(key, end);
  }
  return new Date(end);
}

export function startOfShanghaiDate(date: string): Date {
  return dayjs(`${date}T00:00:00.000+08:00`).toDate();
}

export function endOfShanghaiDate(date: string): Date {
  return dayjs(`${date}T23:59:59.999+08:00`).toDate();
}

let lastMinute = { n: NaN, key: '' };

/**
 * The Shanghai minute `at` falls in, `YYYY-MM-DDTHH:mm`: the unit events are folded in. Claims ask
 * for it thousands of times a minute, so the last answer is kept.
 */
export function shanghaiMinuteKey(at: Date): string {
  const n = Math.floor(at.getTime() / 60_000);
  if (n !== lastMinute.n) lastMinute = { n, key: inShanghai(at).format('YYYY-MM-DDTHH:mm') };
  return lastMinute.key;
}

/** Hour of the day in Shanghai, 0–23. */
export function shanghaiHour(at: Date): number {
  return inShanghai(at).hour();
}

/** The Shanghai calendar day `at` falls on: 2026-01-31. */
export function shanghaiDate(at: Date): string {
  return inShanghai(at).format('YYYY-MM-DD');
}

/** For people: 2026-01-31 23:59. */
export function shanghaiMinute(at: Date): string {
  return inShanghai(at).format('YYYY-MM-DD HH:mm');
}
