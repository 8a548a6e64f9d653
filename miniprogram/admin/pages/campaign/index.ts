/**
 * One campaign: a new one of a kind, or an existing one to edit (only what may change after launch;
 * the page says which), schedule, pause, resume, end, top up (after a confirmation) and preview as a
 * customer sees it. Card batches are made on their own page (they are printed).
 */
import type { CampaignCommand, CampaignRow, CampaignType } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { confirmed } from '../../shared/confirm';
import { errorText } from '../../shared/format';
import { enterArea } from '../../shared/load';
import { CONFIRM, TABS } from '../campaigns/view';
import { EDIT_NOTES, initialValues, type Values } from './fields';
import { createCampaign, problemsBeforeSending, updateCampaign } from './submit';
import { valuesOf } from './values';
import { type FieldView, fieldViews, FIX_FIELDS, type Option, placeProblems, type PreviewView, previewView, templateOptions } from './view';

type TapEvent<D extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, D>;
type FieldEvent = WechatMiniprogram.CustomEvent<{ value: string | number | boolean }, Record<string, never>, { key: string }>;

const CARDS_URL = '/admin/pages/cards/index';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    type: 'coupon' as CampaignType,
    id: '',
    kinds: TABS.filter((t) => t.value !== ''),
    row: null as CampaignRow | null,
    fields: [] as FieldView[],
    templates: [] as Option[],
    editNote: '',
    formError: '',
    saving: false,
    quantity: '',
    preview: null as PreviewView | null,
    _values: {} as Values,
    _errors: {} as Record<string, string>,
    _was: {} as Values,
    _requestId: '',
  },
  methods: {
    onLoad(query: { type?: CampaignType; id?: string }) {
      this.setData({ type: query.type ?? 'coupon', id: query.id ?? '' });
      // Card batches are printed: they are made on their own page.
      if (this.data.type === 'card' && !this.data.id) {
        wx.redirectTo({ url: CARDS_URL });
        return;
      }
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      if (!(await enterArea(this, 'campaigns'))) return;
      const templates = await call('coupon', 'coupon.template.list', { status: 'active' });
      this.setData({ templates: templateOptions(templates.ok ? templates.data.templates : []) });
      if (!this.data.id) return this.showForm(initialValues(this.data.type), false, 'ready');
      const res = await call('admin', 'campaign.get', { type: this.data.type, id: this.data.id });
      if (!res.ok) return this.setData({ gate: 'error', gateMessage: res.error.message });
      this.setData({ row: res.data.row, editNote: EDIT_NOTES[this.data.type] });
      this.showForm(valuesOf(res.data.detail), true, 'ready');
    },
    showForm(values: Values, editing: boolean, gate: Gate) {
      this.setData({ gate, fields: fieldViews(this.data.type, values, editing, this.data.templates), _values: values, _was: { ...values }, _errors: {}, formError: '', _requestId: '' });
    },
    /** The form after a change or a refusal. A changed form is another request. */
    showValues(values: Values, errors: Record<string, string>, formError = '') {
      this.setData({ fields: fieldViews(this.data.type, values, !!this.data.id, this.data.templates, errors), _values: values, _errors: errors, formError, _requestId: '' });
    },
    onKind(e: TapEvent<{ type: CampaignType }>) {
      this.setData({ type: e.currentTarget.dataset.type });
      if (this.data.type === 'card') {
        wx.redirectTo({ url: CARDS_URL });
        return;
      }
      this.showForm(initialValues(this.data.type), false, 'ready');
    },
    onField(e: FieldEvent) {
      const { key } = e.currentTarget.dataset;
      const field = this.data.fields.find((f) => f.key === key);
      const value = field?.kind === 'template' ? (this.data.templates[Number(e.detail.value)]?.value ?? '') : String(e.detail.value);
      this.change(key, value);
    },
    onChoice(e: TapEvent<{ key: string; value: string }>) {
      this.change(e.currentTarget.dataset.key, e.currentTarget.dataset.value);
    },
    change(key: string, value: string) {
      const { [key]: _fixed, ...errors } = this.data._errors;
      this.showValues({ ...this.data._values, [key]: value }, errors);
    },
    async onSave() {
      if (this.data.saving) return;
      const { type, id, _values: values } = this.data;
      const problems = problemsBeforeSending(type, values);
      if (Object.keys(problems).length) return this.showValues(values, problems, FIX_FIELDS);
      const requestId = this.data._requestId || newRequestId();
      this.setData({ saving: true, formError: '', _requestId: requestId });
      const res = id ? await updateCampaign(type, id, values, this.data._was, requestId) : await createCampaign(type, values, requestId);
      if (!res.ok) {
        const { errors, formError } = placeProblems(type, values, res.error);
        this.setData({ saving: false, fields: fieldViews(type, values, !!id, this.data.templates, errors), _errors: errors, formError });
        return;
      }
      this.setData({ saving: false, id: res.data.id, _requestId: '' });
      wx.showToast({ title: id ? '已保存' : '已创建', icon: 'none' });
      await this.load();
    },
    async onCommand(e: TapEvent<{ command: CampaignCommand }>) {
      const { command } = e.currentTarget.dataset;
      const { type, id, row } = this.data;
      if (!row || !(await confirmed(CONFIRM[command](row.title)))) return;
      const res = await call('admin', 'campaign.setStatus', { type, id, command }, { requestId: newRequestId() });
      if (!res.ok) return this.setData({ formError: errorText(res.error) });
      this.setData({ row: res.data, formError: '' });
    },
    onQuantity(e: WechatMiniprogram.Input) {
      this.setData({ quantity: e.detail.value });
    },
    async onTopUp() {
      const { type, id, row } = this.data;
      const quantity = Number(this.data.quantity);
      if (!row || !(await confirmed({ title: '补充库存', content: `为「${row.title}」补充 ${this.data.quantity || 0}？`, confirmText: '补充' }))) return;
      const res = await call('admin', 'campaign.topUp', { type, id, quantity }, { requestId: newRequestId() });
      if (!res.ok) return this.setData({ formError: errorText(res.error) });
      this.setData({ row: res.data, quantity: '', formError: '' });
    },
    async onPreview() {
      const res = await call('admin', 'campaign.preview', { type: this.data.type, id: this.data.id });
      if (!res.ok) return this.setData({ formError: errorText(res.error) });
      this.setData({ preview: previewView(res.data) });
    },
  },
});
