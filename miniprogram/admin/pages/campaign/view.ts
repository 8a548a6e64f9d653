/** What the campaign page renders: the form's shown fields with their values and problems, and a preview as text. */
import type { ApiError, CampaignPreview, CampaignType, CouponTemplateView } from '../../../../typings';
import { errorText } from '../../shared/format';
import { fieldOfPath, FIELDS, type FieldDef, isShown, type Option, type Values } from './fields';

export type { Option };

export interface FieldView extends Omit<FieldDef, 'showIf' | 'initial'> {
  value: string;
  locked: boolean;
  /** Pickers and choices: the label of the chosen option. */
  display: string;
  /** What to fix, next to the field. */
  error: string;
}

export function templateOptions(templates: CouponTemplateView[]): Option[] {
  return [{ value: '', label: '不发券' }, ...templates.filter((t) => t.status === 'active').map((t) => ({ value: t.id, label: t.title }))];
}

function displayOf(f: FieldDef, value: string, templates: Option[]): string {
  if (f.kind === 'template') return templates.find((o) => o.value === value)?.label ?? '请选择';
  if (f.kind === 'choice') return f.options?.find((o) => o.value === value)?.label ?? value;
  if (f.kind === 'switch') return value === 'true' ? '是' : '否';
  return '';
}

/** `editing`: an existing campaign, whose launched-for-good fields are locked. */
export function fieldViews(type: CampaignType, values: Values, editing: boolean, templates: Option[], errors: Record<string, string> = {}): FieldView[] {
  return FIELDS[type]
    .filter((f) => isShown(f, values))
    .map(({ showIf: _s, initial: _i, ...f }) => ({
      ...f,
      value: values[f.key] ?? '',
      locked: editing && !f.editable,
      display: displayOf(f, values[f.key] ?? '', templates),
      error: errors[f.key] ?? '',
    }));
}

export const FIX_FIELDS = '请按红字提示修改后再提交';

/** The cloud's field problems next to their fields; the rest as one message under the form. */
export function placeProblems(type: CampaignType, values: Values, error: ApiError): { errors: Record<string, string>; formError: string } {
  const errors: Record<string, string> = {};
  let rest = '';
  for (const issue of error.fields ?? []) {
    const key = fieldOfPath(type, issue.path, values);
    if (key && !errors[key]) errors[key] = issue.message;
    else if (!key && !rest) rest = issue.message;
  }
  if (!Object.keys(errors).length) return { errors, formError: errorText(error) };
  return { errors, formError: rest || FIX_FIELDS };
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
