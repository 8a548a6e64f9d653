/** What the join page renders: the privacy notice in brief, and the result of joining. */
import type { JoinResult, PrivacyNotice } from '../../../../typings';
import { shanghaiDate } from '../../../components/coupon-card/text';
import { type OutcomeView, toOutcome } from '../../entry/outcome';

export interface NoticeView {
  title: string;
  effectiveDate: string;
  /** What is collected, in the notice's own words; the full notice is one tap away. */
  summary: string;
}

export interface JoinedView {
  title: string;
  phone: string;
  devPhone: boolean;
  /** What became of the card's benefit; null when the customer came without a card (or it had none). */
  outcome: OutcomeView | null;
}

export function toNoticeView(notice: PrivacyNotice): NoticeView {
  return { title: notice.title, effectiveDate: notice.effectiveDate, summary: notice.sections[0]?.body ?? '' };
}

/**
 * `repeated`: this intent had been sent before (its answer was lost), so "already a member" is this
 * very sign-up and reads as a success.
 */
export function toJoinedView(res: JoinResult, repeated: boolean): JoinedView {
  const card = res.card && res.card.status !== 'no_benefit' ? toOutcome(res.card, repeated) : null;
  return {
    title: res.created || repeated ? '加入成功' : '你已经是会员了',
    phone: res.member.phoneMasked,
    devPhone: res.member.phoneIsDevelopment,
    outcome: card,
  };
}

/** Today in Shanghai, the latest birthday the picker offers. */
export function today(): string {
  return shanghaiDate(new Date().toISOString());
}
