/**
 * What happens once a group is closed: a completed group's members get the benefit coupon (and the
 * leader the bonus), a failed group's members the consolation coupon if the campaign has one, and
 * members who accepted the result message are told.
 *
 * Exactly once without a lock: every coupon goes through the one issuing path with a deterministic
 * requestKey (`gb:<groupId>:<openid>`, `gbl:…`, `gbc:…`), so issuing again returns the coupon
 * already issued; every message has a dedupe key (`groupbuy-result:<groupId>:<openid>`). Whoever
 * closes the group settles it right away; `benefitsIssued` flips to true only after everything is
 * done, so if that call dies the timer finds the group and settles it again, to the same result.
 *
 * A coupon the issuing path refuses (sold out, template paused) is recorded as a refusal for staff
 * to see, not retried: the campaign checked its templates when it was created.
 */
import { COLLECTIONS } from '../../database/collections';
import { benefitText } from '../coupons/discount';
import { issueCoupon } from '../coupons/issue';
import { getDb } from '../runtime/db';
import { AppError } from '../runtime/errors';
import { platform } from '../runtime/platform';
import { type Award, DETAIL_PAGE, type GroupDoc, type Refusal } from './model';
import { tokenFor } from './token';

/**
 * The WeChat subscribe-message template of the group result (PRIVDOM_GROUPBUY_RESULT_TEMPLATE_ID
 * on the function). Locally a stand-in id, so the outbox shows what would be sent.
 */
export function resultTemplateId(): string | null {
  return process.env.PRIVDOM_GROUPBUY_RESULT_TEMPLATE_ID || (platform().kind === 'local' ? 'local-groupbuy-result' : null);
}

interface Grant {
  openid: string;
  kind: Award['kind'];
  templateId: string;
  requestKey: string;
}

function grantsOf(group: GroupDoc): Grant[] {
  const { terms, _id: id } = group;
  const grants: Grant[] = [];
  if (group.state === 'complete') {
    if (terms.benefit.type === 'coupon') {
      const templateId = terms.benefit.templateId;
      for (const m of group.members) grants.push({ openid: m.openid, kind: 'benefit', templateId, requestKey: `gb:${id}:${m.openid}` });
    }
    if (terms.leaderBonusTemplateId) {
      grants.push({ openid: group.leader, kind: 'leader_bonus', templateId: terms.leaderBonusTemplateId, requestKey: `gbl:${id}:${group.leader}` });
    }
  } else if (group.state === 'failed' && terms.consolationTemplateId) {
    const templateId = terms.consolationTemplateId;
    for (const m of group.members) grants.push({ openid: m.openid, kind: 'consolation', templateId, requestKey: `gbc:${id}:${m.openid}` });
  }
  return grants;
}

/** True when closing this group leaves something to do (coupons to issue or members to tell). */
export function needsSettlement(group: GroupDoc): boolean {
  return grantsOf(group).length > 0 || (!!resultTemplateId() && group.members.some((m) => m.subscribed));
}

async function issueAll(group: GroupDoc, now: Date): Promise<{ awards: Award[]; refusals: Refusal[] }> {
  const awards: Award[] = [];
  const refusals: Refusal[] = [];
  await Promise.all(
    grantsOf(group).map(async (g) => {
      try {
        const { coupon } = await issueCoupon({ templateId: g.templateId, openid: g.openid, source: { type: 'group_buy', ref: group._id }, requestKey: g.requestKey, now });
        awards.push({ openid: g.openid, kind: g.kind, couponId: coupon._id, text: benefitText(coupon) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        refusals.push({ openid: g.openid, kind: g.kind, code: err.code, message: err.message });
      }
    }),
  );
  const order = (a: { openid: string; kind: string }) => `${a.kind}:${a.openid}`;
  awards.sort((a, b) => order(a).localeCompare(order(b)));
  refusals.sort((a, b) => order(a).localeCompare(order(b)));
  return { awards, refusals };
}

const RESULT_NOTES = {
  complete: { withCoupon: '拼团成功，奖励已放入券包', without: '拼团成功，快去看看吧' },
  failed: { withCoupon: '未成团，安慰券已放入券包', without: '未在时限内成团，欢迎再次开团' },
} as const;

function resultMessage(group: GroupDoc, openid: string, awards: Award[]): Record<string, { value: string }> {
  const notes = RESULT_NOTES[group.state === 'complete' ? 'complete' : 'failed'];
  // Keys of the 拼团结果通知 template the store picks: 活动名称 / 拼团结果 / 温馨提示.
  return {
    thing1: { value: group.terms.title.slice(0, 20) },
    phrase2: { value: group.state === 'complete' ? '拼团成功' : '拼团失败' },
    thing3: { value: awards.some((a) => a.openid === openid) ? notes.withCoupon : notes.without },
  };
}

async function tellMembers(group: GroupDoc, awards: Award[]): Promise<number> {
  const templateId = resultTemplateId();
  if (!templateId) return 0;
  const page = `${DETAIL_PAGE}?token=${tokenFor(group._id)}`;
  const sent = await Promise.all(
    group.members
      .filter((m) => m.subscribed)
      .map(async (m) => {
        try {
          return await platform().sendSubscribeMessage({
            toOpenid: m.openid,
            templateId,
            page,
            data: resultMessage(group, m.openid, awards),
            dedupeKey: `groupbuy-result:${group._id}:${m.openid}`,
          });
        } catch (err) {
          // A refused send (43101: the acceptance was used up, ...) is not retried.
          console.error(JSON.stringify({ level: 'error', fn: 'groupbuy', step: 'result-message', group: group._id, error: String((err as { errMsg?: string }).errMsg ?? err) }));
          return false;
        }
      }),
  );
  return sent.filter(Boolean).length;
}

/**
 * Issues a closed group's coupons and tells its members, then records it on the group. Safe to run
 * again (and concurrently): it reaches the same coupons and sends nothing twice.
 */
export async function settleGroup(group: GroupDoc, now: Date): Promise<GroupDoc> {
  if (group.state === 'open' || group.benefitsIssued) return group;
  const { awards, refusals } = await issueAll(group, now);
  await tellMembers(group, awards);
  const patch = { benefitsIssued: true, awards, refusals, settledAt: now, updatedAt: now };
  await getDb()
    .collection(COLLECTIONS.groupBuys)
    .where({ _id: group._id, benefitsIssued: false })
    .update({ data: patch });
  return { ...group, ...patch };
}
