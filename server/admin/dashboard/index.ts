/** `dashboard.get` and the home page's today line: day counters plus the one snapshot document. */
import type { AdminHome, Dashboard, DashboardRange } from '../../../typings';
import { daysBetween } from '../../events/counters';
import { inShanghai } from '../../runtime/shanghai';
import { readSnapshot } from '../state';
import { dashboardOf } from './figures';
import { readCountedDays } from './read';

const RANGE_DAYS: Record<DashboardRange, number> = { today: 1, '7d': 7, '30d': 30 };

/** The Shanghai days of a range ending today, oldest first. */
export function daysOf(range: DashboardRange, now: Date): string[] {
  const today = inShanghai(now);
  return daysBetween(today.subtract(RANGE_DAYS[range] - 1, 'day').format('YYYY-MM-DD'), today.format('YYYY-MM-DD'));
}

export async function dashboard(range: DashboardRange, now: Date): Promise<Dashboard> {
  const [counted, snapshot] = await Promise.all([readCountedDays(daysOf(range, now)), readSnapshot()]);
  return dashboardOf({ range, days: counted.days, snapshot, docsRead: counted.docs + (snapshot ? 1 : 0) });
}

export async function todayLine(now: Date): Promise<AdminHome['today']> {
  const [day] = (await readCountedDays(daysOf('today', now))).days;
  const n = (type: string) => day.byType[type]?.n ?? 0;
  return { day: day.day, scans: n('card_scan'), signups: n('member_signup'), orders: n('order_bind'), orderFen: day.byType.order_bind?.fen ?? 0 };
}
