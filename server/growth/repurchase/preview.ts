/**
 * How many members a rule would reach, before it is switched on. Mostly count queries (ONE billable
 * read each, whatever they count):
 * - birthday_month, new_product_trial: one count (the birth month's members / the segment);
 * - birthday_day, win_back: one count per day of the coming week (7 reads);
 * - after_order: orders must be read to count members (a member may have several orders), so the
 *   week's due orders are paged, 1,000 per read, at most PREVIEW_PAGES reads (then `capped`).
 * Orders bound later than today are not known yet, so after_order's later days are lower bounds.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { RepurchasePreview, RepurchaseTrigger } from '../../../typings';
import type { OrderDoc } from '../../orders/model';
import { getDb } from '../../runtime/db';
import { shanghaiDate } from '../../runtime/shanghai';
import { addDays, birthdaysCelebratedOn, birthdayRegex, daysFrom } from './periods';
import { dayRange, dueOrdersWhere } from './sources';

export const PREVIEW_DAYS = 7;
export const PREVIEW_PAGES = 20;

interface Tally {
  reads: number;
  count(collection: string, where: Record<string, unknown>): Promise<number>;
}

function tally(): Tally {
  const t: Tally = {
    reads: 0,
    async count(collection, where) {
      t.reads += 1;
      return (await getDb().collection(collection).where(where).count()).total;
    },
  };
  return t;
}

async function afterOrder(trigger: Extract<RepurchaseTrigger, { kind: 'after_order' }>, days: string[], t: Tally) {
  const db = getDb();
  const _ = db.command;
  const where = dueOrdersWhere(trigger, { from: addDays(days[0], -trigger.days), to: addDays(days[days.length - 1], -trigger.days) });
  const byDay = new Map<string, Set<string>>(days.map((d) => [d, new Set()]));
  let cursor = '';
  let capped = false;
  for (;;) {
    if (t.reads >= PREVIEW_PAGES) {
      capped = true;
      break;
    }
    t.reads += 1;
    const res = await db.collection(COLLECTIONS.orders).where({ ...where, _id: _.gt(cursor) }).orderBy('_id', 'asc').limit(1000).field({ boundTo: true, paidAt: true }).get();
    const orders = res.data as OrderDoc[];
    for (const o of orders) byDay.get(addDays(shanghaiDate(new Date(o.paidAt)), trigger.days))?.add(o.boundTo!);
    if (orders.length < 1000) break;
    cursor = orders[orders.length - 1]._id;
  }
  return { upcoming: days.map((day) => ({ day, members: byDay.get(day)!.size })), capped };
}

async function perDay(days: string[], t: Tally, whereOn: (day: string) => Record<string, unknown>) {
  const counts = await Promise.all(days.map((day) => t.count(COLLECTIONS.members, whereOn(day))));
  return days.map((day, i) => ({ day, members: counts[i] }));
}

export async function previewRule(trigger: RepurchaseTrigger, now: Date): Promise<RepurchasePreview> {
  const today = shanghaiDate(now);
  const days = daysFrom(today, addDays(today, PREVIEW_DAYS - 1));
  const t = tally();
  const db = getDb();
  let upcoming: RepurchasePreview['upcoming'] = [];
  let reach = 0;
  let capped = false;
  let note: string;
  switch (trigger.kind) {
    case 'after_order': {
      ({ upcoming, capped } = await afterOrder(trigger, days, t));
      reach = upcoming[0].members;
      const week = upcoming.reduce((sum, d) => sum + d.members, 0);
      note = `今天约 ${reach} 位会员到期，未来 ${PREVIEW_DAYS} 天共约 ${week} 位（按已绑定的订单估算）`;
      break;
    }
    case 'win_back': {
      upcoming = await perDay(days, t, (day) => ({ status: 'active', 'stats.lastOrderAt': dayRange(addDays(day, -trigger.days), addDays(day, -trigger.days)) }));
      reach = upcoming[0].members;
      note = `今天有 ${reach} 位会员满 ${trigger.days} 天未再下单`;
      break;
    }
    case 'birthday_day': {
      upcoming = await perDay(days, t, (day) => ({
        status: 'active',
        birthday: db.RegExp({ regexp: birthdayRegex(birthdaysCelebratedOn(addDays(day, trigger.daysBefore))) }),
      }));
      reach = upcoming[0].members;
      note = `今天有 ${reach} 位会员${trigger.daysBefore ? `将在 ${trigger.daysBefore} 天后` : ''}过生日`;
      break;
    }
    case 'birthday_month':
      reach = await t.count(COLLECTIONS.members, { status: 'active', birthday: db.RegExp({ regexp: birthdayRegex([`${today.slice(5, 7)}-\\d{2}`]) }) });
      note = `本月过生日的会员有 ${reach} 位，每人每年领一次`;
      break;
    case 'new_product_trial':
      reach = await t.count(COLLECTIONS.members, { status: 'active', segments: trigger.segment });
      note = `该分层的会员有 ${reach} 位，每人领一次`;
      break;
  }
  return { reach, upcoming, reads: t.reads, capped, note };
}
