/**
 * The repurchase reminder: a subscribe message (复购提醒) sent with a repurchase coupon, only to
 * members who accepted it in the mini program (wx.requestSubscribeMessage). Each acceptance is a
 * credit; a reminder spends one with a conditional write that records what it paid for
 * (`grantKey` `<ruleId>:<period>:<openid>`), then queues the message under the dedupe key
 * `rp:<grantKey>`. A rerun after a crash at any step finds the credit spent for that grant and the
 * message already queued: nothing goes out twice and no second credit is spent.
 *
 * Message keys of the template the store picks (复购提醒 / 优惠券到账提醒): thing1 券名称,
 * thing2 温馨提示 (the rule's reminder line), time3 到期时间.
 */
import { COLLECTIONS } from '../../../database/collections';
import { COUPON_DETAIL_PAGE } from '../../coupons/model';
import { derivedId } from '../../coupons/templates';
import { getDb, insertOrGet } from '../../runtime/db';
import { platform } from '../../runtime/platform';
import { shanghaiMinute } from '../../runtime/shanghai';

/** Unused credits kept per member; more acceptances add nothing. */
export const MAX_CREDITS = 3;
/** Members whose credits one query reads (each has at most MAX_CREDITS unused plus spent ones). */
const OPENIDS_PER_READ = 200;

export interface ReminderCreditDoc {
  _id: string;
  openid: string;
  state: 'unused' | 'used';
  createdAt: Date;
  grantKey?: string;
  usedAt?: Date;
}

/** PRIVDOM_REPURCHASE_REMINDER_TEMPLATE_ID on the function; locally a stand-in so the outbox shows it. */
export function reminderTemplateId(): string | null {
  return process.env.PRIVDOM_REPURCHASE_REMINDER_TEMPLATE_ID || (platform().kind === 'local' ? 'local-repurchase-reminder' : null);
}

export async function unusedCredits(openid: string): Promise<number> {
  return (await getDb().collection(COLLECTIONS.repurchaseReminderCredits).where({ openid, state: 'unused' }).count()).total;
}

export async function subscribe(openid: string, accepted: boolean, requestId: string, now: Date): Promise<{ credits: number }> {
  const unused = await unusedCredits(openid);
  if (!accepted || unused >= MAX_CREDITS) return { credits: unused };
  // One document per acceptance, keyed by the request: a retried call adds nothing.
  const { created } = await insertOrGet<ReminderCreditDoc>(COLLECTIONS.repurchaseReminderCredits, {
    _id: derivedId('rr', openid, requestId),
    openid,
    state: 'unused',
    createdAt: now,
  });
  return { credits: unused + (created ? 1 : 0) };
}

export interface IssuedGrant {
  openid: string;
  ruleId: string;
  period: string;
  line: string;
  coupon: { _id: string; title: string; expiresAt: Date | string };
}

export const grantKeyOf = (g: Pick<IssuedGrant, 'openid' | 'ruleId' | 'period'>): string => `${g.ruleId}:${g.period}:${g.openid}`;

async function creditsOf(grants: IssuedGrant[]): Promise<ReminderCreditDoc[]> {
  const _ = getDb().command;
  const out: ReminderCreditDoc[] = [];
  for (let i = 0; i < grants.length; i += OPENIDS_PER_READ) {
    const part = grants.slice(i, i + OPENIDS_PER_READ);
    const res = await getDb()
      .collection(COLLECTIONS.repurchaseReminderCredits)
      .where(_.or([{ openid: _.in([...new Set(part.map((g) => g.openid))]), state: 'unused' }, { grantKey: _.in(part.map(grantKeyOf)) }]))
      .limit(1000)
      .get();
    out.push(...(res.data as ReminderCreditDoc[]));
  }
  return out;
}

/** Reminds the grants whose members hold a credit; returns the grants reminded now. */
export async function remind(grants: IssuedGrant[], templateId: string, now: Date): Promise<IssuedGrant[]> {
  if (grants.length === 0) return [];
  const credits = await creditsOf(grants);
  const spentFor = new Set(credits.filter((c) => c.grantKey).map((c) => c.grantKey!));
  const unused = new Map<string, ReminderCreditDoc[]>();
  for (const c of credits) if (c.state === 'unused') unused.set(c.openid, [...(unused.get(c.openid) ?? []), c]);

  const reminded: IssuedGrant[] = [];
  for (const grant of grants) {
    const grantKey = grantKeyOf(grant);
    if (!spentFor.has(grantKey)) {
      const credit = unused.get(grant.openid)?.shift();
      if (!credit) continue; // never accepted: stay quiet
      const spent = await getDb()
        .collection(COLLECTIONS.repurchaseReminderCredits)
        .where({ _id: credit._id, state: 'unused' })
        .update({ data: { state: 'used', grantKey, usedAt: now } });
      if (spent.stats.updated !== 1) continue;
    }
    if (await send(grant, grantKey, templateId)) reminded.push(grant);
  }
  return reminded;
}

/** True when queued now; false when an earlier attempt queued it (or WeChat refused it). */
async function send(grant: IssuedGrant, grantKey: string, templateId: string): Promise<boolean> {
  try {
    return await platform().sendSubscribeMessage({
      toOpenid: grant.openid,
      templateId,
      page: `${COUPON_DETAIL_PAGE}?id=${grant.coupon._id}`,
      data: {
        thing1: { value: grant.coupon.title.slice(0, 20) },
        thing2: { value: grant.line.slice(0, 20) },
        time3: { value: shanghaiMinute(new Date(grant.coupon.expiresAt)) },
      },
      dedupeKey: `rp:${grantKey}`,
    });
  } catch (err) {
    // A refused send (43101: no subscription left, ...) is not retried: the credit was spent.
    console.error(JSON.stringify({ level: 'error', fn: 'growth', timer: 'repurchase-reminder', grantKey, error: String((err as { errMsg?: string }).errMsg ?? err) }));
    return false;
  }
}
