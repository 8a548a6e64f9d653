/** Repurchase rules as campaigns: the trigger and its coupon; switched on, paused and ended by their module. */
import { COLLECTIONS } from '../../../database/collections';
import type { RepurchaseRuleView } from '../../../typings';
import { benefitText } from '../../coupons/discount';
import { termsOf, type TemplateDoc } from '../../coupons/model';
import { loadTemplate } from '../../coupons/templates';
import { type RuleDoc, toRuleView, triggerSummary } from '../../growth/repurchase/model';
import { loadRule, setRuleStatus, templateTitles } from '../../growth/repurchase/rules';
import { isoOrNull } from '../../runtime/schedule';
import { type CampaignKind, type Listed, statusOf, TARGET } from './kind';
import { newestFirst } from './paging';

function listed(r: RuleDoc, view: RepurchaseRuleView, now: Date): Listed {
  return {
    row: {
      type: 'repurchase',
      id: r._id,
      title: r.name,
      subtitle: view.summary,
      status: statusOf(r.status, r, now),
      startsAt: isoOrNull(r.startsAt),
      endsAt: isoOrNull(r.endsAt),
      figures: [
        { label: '发放', value: view.templateTitle },
        { label: '提醒', value: r.reminder ? '有' : '无' },
      ],
      createdAt: view.createdAt,
    },
    stock: false,
  };
}

export const repurchaseKind: CampaignKind = {
  type: 'repurchase',
  async page(before, limit, now) {
    const rules = await newestFirst<RuleDoc>(COLLECTIONS.repurchaseRules, before, limit);
    const titles = await templateTitles(rules.map((r) => r.templateId));
    return rules.map((r) => listed(r, toRuleView(r, titles.get(r.templateId) ?? '（券已删除）'), now));
  },
  async get(id, now) {
    const rule = await loadRule(id);
    const view = toRuleView(rule, (await templateTitles([rule.templateId])).get(rule.templateId) ?? '（券已删除）');
    return { listed: listed(rule, view, now), detail: { type: 'repurchase', rule: view } };
  },
  async command(ctx, id, command) {
    await setRuleStatus(ctx, id, TARGET[command]);
  },
  async preview(_ctx, id) {
    const rule = await loadRule(id);
    const template: TemplateDoc = await loadTemplate(rule.templateId);
    return {
      type: 'repurchase',
      coupon: { title: template.title, benefit: benefitText(termsOf(template)), rules: template.rules },
      reminder: rule.reminder,
      when: triggerSummary(rule.trigger),
      note: '规则触达的会员会收到这张券；接受了提醒的会员还会收到一条订阅消息',
    };
  },
};
