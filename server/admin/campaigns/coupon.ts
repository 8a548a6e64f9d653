/** Coupon templates as campaigns: claimed, left, redeemed; paused and ended by their own module. */
import { COLLECTIONS } from '../../../database/collections';
import type { CouponTemplateView } from '../../../typings';
import { setTemplateStatus, topUpTemplate } from '../../coupons/manage';
import { benefitText } from '../../coupons/discount';
import { termsOf, type TemplateDoc, toTemplateView } from '../../coupons/model';
import { loadTemplate, stockCounts, templateView } from '../../coupons/templates';
import { issuingEndsAt } from '../../coupons/validity';
import { claimable } from '../../coupons/wallet';
import { isoOrNull } from '../../runtime/schedule';
import { type CampaignKind, count, type Listed, statusOf, TARGET } from './kind';
import { newestFirst } from './paging';

function listed(t: TemplateDoc, view: CouponTemplateView, now: Date): Listed {
  // The validity's last day ends issuing too, when it comes before the schedule's end.
  const validityEnd = issuingEndsAt(t.validity);
  const endsAt = [t.endsAt ? new Date(t.endsAt) : null, validityEnd].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return {
    row: {
      type: 'coupon',
      id: t._id,
      title: t.title,
      subtitle: `${benefitText(termsOf(t))}${t.publicClaim === false ? ' · 仅活动发放' : ''}`,
      status: statusOf(t.status, { startsAt: t.startsAt, endsAt }, now),
      startsAt: isoOrNull(t.startsAt),
      endsAt: isoOrNull(endsAt),
      figures: [count('已领', view.issued), count('剩余', view.remaining), count('已核销', view.redeemed)],
      createdAt: view.createdAt,
    },
    stock: t.totalStock !== null,
  };
}

export const couponKind: CampaignKind = {
  type: 'coupon',
  async page(before, limit, now) {
    const templates = await newestFirst<TemplateDoc>(COLLECTIONS.couponTemplates, before, limit);
    const counts = await stockCounts(templates.map((t) => t._id));
    return templates.map((t) => listed(t, toTemplateView(t, counts.get(t._id)!), now));
  },
  async get(id, now) {
    const template = await loadTemplate(id);
    const coupon = await templateView(template);
    return { listed: listed(template, coupon, now), detail: { type: 'coupon', coupon } };
  },
  async command(ctx, id, command) {
    await setTemplateStatus(ctx, id, TARGET[command]);
  },
  async topUp(ctx, id, quantity) {
    await topUpTemplate(ctx, id, quantity);
  },
  async preview(ctx, id) {
    return { type: 'coupon', claimable: await claimable(ctx.openid, id, ctx.now), note: '按你本人的顾客身份预览：是否会员、已领几张都按你自己计算，不会领取' };
  },
};
