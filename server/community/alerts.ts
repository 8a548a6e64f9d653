/**
 * Alerts to admins (subscribe messages; the outbox locally) when an entry is about to show no group:
 * - `expiring`: the last open group's code expires within 24 hours;
 * - `low_room`: less than a tenth of the seats of its valid groups is left;
 * - `exhausted`: no open group is left (customers are shown a contact code).
 *
 * WeChat subscriptions are one-time: each time an admin accepts, they get one credit, and each
 * alert spends one. An alert goes out once per kind, entry, admin and Shanghai day. Delivery is a
 * document per (alert, admin, day): pending → spent (a credit paid for it, marked on the credit)
 * → sent (the platform's outbox dedupes on the same key). A rerun after a crash at any step spends
 * no second credit and sends nothing twice.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../database/collections';
import { getDb, insertOrGet } from '../runtime/db';
import { platform } from '../runtime/platform';
import { shanghaiDate, shanghaiMinute } from '../runtime/shanghai';
import { roleAtLeast, STAFF_COLLECTION, type StaffDoc } from '../runtime/staff-guard';
import { ENTRY_ADMIN_PAGE, type EntryDoc, type GroupDoc, QR_VALID_MS } from './model';

export type AlertKind = 'expiring' | 'low_room' | 'exhausted';

export const EXPIRING_WITHIN_MS = 24 * 3600_000;
export const LOW_ROOM_SHARE = 0.1;

const NOTES: Record<AlertKind, string> = {
  expiring: '最后的群码即将过期，请上传新群码',
  low_room: '剩余名额不足一成，请添加新群',
  exhausted: '暂无可用群，顾客只能看到员工码',
};

interface CreditDoc {
  _id: string;
  openid: string;
  state: 'unused' | 'used';
  createdAt: Date;
  deliveryId?: string;
  usedAt?: Date;
}

interface DeliveryDoc {
  _id: string;
  dedupeKey: string;
  kind: AlertKind;
  entryId: string;
  openid: string;
  day: string;
  state: 'pending' | 'spent' | 'sent' | 'failed';
  at: Date;
}

interface Alert {
  kind: AlertKind;
  entry: EntryDoc;
  /** For people: the moment it is about (the expiry, or now). */
  at: Date;
}

/**
 * The WeChat subscribe-message template of the alerts (PRIVDOM_COMMUNITY_ALERT_TEMPLATE_ID on the
 * function), e.g. 「社群提醒」 with thing1 入口名称, thing2 提醒内容, time3 时间. Locally a stand-in.
 */
export function alertTemplateId(local = platform().kind === 'local'): string | null {
  return process.env.PRIVDOM_COMMUNITY_ALERT_TEMPLATE_ID || (local ? 'local-community-alert' : null);
}

async function unusedCredits(openid: string): Promise<number> {
  return (await getDb().collection(COLLECTIONS.communityAlertCredits).where({ state: 'unused', openid }).count()).total;
}

export async function alertStatus(openid: string): Promise<{ templateId: string | null; credits: number }> {
  return { templateId: alertTemplateId(), credits: await unusedCredits(openid) };
}

/** One credit per accepted subscription; the request id keeps a retried call from adding two. */
export async function subscribeAlerts(openid: string, requestId: string, accepted: boolean, now: Date): Promise<{ credits: number }> {
  if (accepted) {
    const id = `cal_${createHash('sha256').update(`${openid}\n${requestId}`).digest('hex').slice(0, 20)}`;
    await insertOrGet<CreditDoc>(COLLECTIONS.communityAlertCredits, { _id: id, openid, state: 'unused', createdAt: now });
  }
  return { credits: await unusedCredits(openid) };
}

/** What each active entry needs an alert for, from its groups of the last 7 days. */
async function alertsDue(now: Date): Promise<Alert[]> {
  const db = getDb();
  const _ = db.command;
  const entries = (await db.collection(COLLECTIONS.communityEntries).where({ status: 'active' }).limit(100).get()).data as EntryDoc[];
  if (entries.length === 0) return [];
  const recent = (
    await db
      .collection(COLLECTIONS.communityGroups)
      .where({ entryId: _.in(entries.map((e) => e._id)), status: 'active', expiresAt: _.gt(new Date(now.getTime() - QR_VALID_MS)) })
      .limit(1000)
      .get()
  ).data as GroupDoc[];
  const alerts: Alert[] = [];
  for (const entry of entries) {
    const groups = recent.filter((g) => g.entryId === entry._id);
    if (groups.length === 0) continue; // never had groups, or dormant for a week: nothing to warn about
    const valid = groups.filter((g) => new Date(g.expiresAt).getTime() > now.getTime());
    const open = valid.filter((g) => g.taken < g.capacity);
    if (open.length === 0) {
      alerts.push({ kind: 'exhausted', entry, at: now });
      continue;
    }
    const seats = valid.reduce((n, g) => n + g.capacity, 0);
    const left = open.reduce((n, g) => n + (g.capacity - g.taken), 0);
    if (left < seats * LOW_ROOM_SHARE) alerts.push({ kind: 'low_room', entry, at: now });
    const lastUntil = Math.max(...open.map((g) => new Date(g.expiresAt).getTime()));
    if (lastUntil - now.getTime() < EXPIRING_WITHIN_MS) alerts.push({ kind: 'expiring', entry, at: new Date(lastUntil) });
  }
  return alerts;
}

/** Admins who can be alerted: active, admin or owner, with a credit or an alert already paid for. */
async function recipients(): Promise<string[]> {
  const db = getDb();
  const [credits, paid, admins] = await Promise.all([
    db.collection(COLLECTIONS.communityAlertCredits).where({ state: 'unused' }).field({ openid: true }).limit(1000).get(),
    db.collection(COLLECTIONS.communityAlertDeliveries).where({ state: 'spent' }).field({ openid: true }).limit(1000).get(),
    db.collection(STAFF_COLLECTION).where({ status: 'active' }).limit(1000).get(),
  ]);
  const wanted = new Set([...(credits.data as { openid: string }[]), ...(paid.data as { openid: string }[])].map((d) => d.openid));
  return (admins.data as StaffDoc[]).filter((s) => roleAtLeast(s.role, 'admin') && wanted.has(s._id)).map((s) => s._id);
}

/** Pays for the delivery with one of the admin's credits (or finds the one an earlier run spent). */
async function payFor(delivery: DeliveryDoc, now: Date): Promise<boolean> {
  const credits = getDb().collection(COLLECTIONS.communityAlertCredits);
  const spentBefore = await credits.where({ deliveryId: delivery._id }).limit(1).get();
  if (spentBefore.data.length === 0) {
    const unused = (await credits.where({ state: 'unused', openid: delivery.openid }).limit(5).get()).data as CreditDoc[];
    let paid = false;
    for (const credit of unused) {
      const res = await credits.where({ _id: credit._id, state: 'unused' }).update({ data: { state: 'used', deliveryId: delivery._id, usedAt: now } });
      if ((paid = res.stats.updated === 1)) break;
    }
    if (!paid) return false;
  }
  await getDb()
    .collection(COLLECTIONS.communityAlertDeliveries)
    .where({ _id: delivery._id, state: 'pending' })
    .update({ data: { state: 'spent' } });
  return true;
}

async function deliver(alert: Alert, openid: string, templateId: string, now: Date): Promise<boolean> {
  const day = shanghaiDate(now);
  const dedupeKey = `community-alert:${alert.kind}:${alert.entry._id}:${openid}:${day}`;
  const id = `dl_${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 24)}`;
  const { doc } = await insertOrGet<DeliveryDoc>(COLLECTIONS.communityAlertDeliveries, {
    _id: id,
    dedupeKey,
    kind: alert.kind,
    entryId: alert.entry._id,
    openid,
    day,
    state: 'pending',
    at: now,
  });
  if (doc.state === 'sent' || doc.state === 'failed') return false;
  if (doc.state === 'pending' && !(await payFor(doc, now))) return false;

  let state: DeliveryDoc['state'] = 'sent';
  let queued = false;
  try {
    queued = await platform().sendSubscribeMessage({
      toOpenid: openid,
      templateId,
      page: `${ENTRY_ADMIN_PAGE}?id=${alert.entry._id}`,
      data: {
        thing1: { value: alert.entry.name.slice(0, 20) },
        thing2: { value: NOTES[alert.kind] },
        time3: { value: shanghaiMinute(alert.at) },
      },
      dedupeKey,
    });
  } catch (err) {
    // Refused by WeChat (no subscription left, ...): the credit is spent; do not retry.
    state = 'failed';
    console.error(JSON.stringify({ level: 'error', fn: 'community', timer: 'alerts', delivery: id, error: String((err as { errMsg?: string }).errMsg ?? err) }));
  }
  await getDb().collection(COLLECTIONS.communityAlertDeliveries).doc(id).update({ data: { state } });
  return queued;
}

/** Sends what is due; answers how many messages were queued now. */
export async function alertPass(now: Date, outOfTime: () => boolean): Promise<number> {
  const templateId = alertTemplateId();
  if (!templateId) return 0;
  const alerts = await alertsDue(now);
  if (alerts.length === 0) return 0;
  const admins = await recipients();
  let sent = 0;
  for (const alert of alerts) {
    for (const openid of admins) {
      if (await deliver(alert, openid, templateId, now)) sent++;
    }
    if (outOfTime()) break;
  }
  return sent;
}
