/** What the campaign page renders: the form's fields with their values, and a preview as text. */
import type { CampaignPreview, CampaignType, CouponTemplateView } from '../../../../typings';
import { FIELDS, type FieldDef, type Values } from './fields';

export interface FieldView extends FieldDef {
  value: string;
  locked: boolean;
  /** For template pickers: the label of the chosen option. */
  display: string;
}

export interface Option {
  value: string;
  label: string;
}

export function templateOptions(templates: CouponTemplateView[]): Option[] {
  return [{ value: '', label: '不发券' }, ...templates.filter((t) => t.status === 'active').map((t) => ({ value: t.id, label: t.title }))];
}

/** `editing`: an existing campaign, whose launched-for-good fields are locked. */
export function fieldViews(type: CampaignType, values: Values, editing: boolean, templates: Option[]): FieldView[] {
  return FIELDS[type].map((f) => ({
    ...f,
    value: values[f.key] ?? '',
    locked: editing && !f.editable,
    display: f.kind === 'template' ? (templates.find((o) => o.value === values[f.key])?.label ?? '请选择') : '',
  }));
}

export interface PreviewView {
  note: string;
  lines: string[];
}

/** The customer's page in a few lines: the heading, the benefit and whether they could take part now. */
export function previewView(p: CampaignPreview): PreviewView {
  switch (p.type) {
    case 'coupon':
      return { note: p.note, lines: [p.claimable.template.title, p.claimable.benefit, p.claimable.canClaim ? '顾客可以领取' : `顾客看到：${p.claimable.reason}`] };
    case 'card':
      return { note: p.note, lines: [p.scan.card?.letter.split('\n')[0] ?? '', p.scan.card?.benefit ? `福利 ${p.scan.card.benefit}` : '仅感谢信', `顾客看到：${p.scan.message}`] };
    case 'groupbuy':
      return { note: p.note, lines: [p.page.campaign.title, p.page.campaign.benefitText, p.page.open.can ? '顾客可以开团' : `顾客看到：${p.page.open.reason}`] };
    case 'invite':
      return { note: p.note, lines: p.landing.campaign ? [p.landing.campaign.title, p.landing.campaign.signupReward ? `注册奖励 ${p.landing.campaign.signupReward}` : '无注册奖励', p.landing.campaign.rules] : ['好友看不到活动'] };
    case 'community': {
      const o = p.open;
      const what = o.kind === 'group' ? `群二维码：${o.group.name}` : o.kind === 'contact' ? `客服二维码：${o.contact.staffName}` : `顾客看到：${o.message}`;
      return { note: p.note, lines: [o.entry.name, o.entry.welcome, what].filter(Boolean) };
    }
    case 'repurchase':
      return { note: p.note, lines: [p.when, `${p.coupon.title} ${p.coupon.benefit}`, p.reminder ? `提醒：${p.reminder}` : '不发提醒'] };
  }
}
