/**
 * 包裹卡批次 (admin and up): the batches with what they brought in, and a form for a new batch (channel,
 * product, quantity, claim deadline, the founder's letter, the benefit coupon and the staff member its
 * customers belong to). A new batch is prepared in steps, then opens on its own page for printing.
 */
import type { CardBatchInput } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { stepUntilDone } from '../../shared/steps';
import { enterWith } from '../../shared/load';
import { type BatchForm, type BatchRow, benefitOptions, CHANNELS, type Option, parseQuantity, staffOptions, toBatchRow } from './view';

type FieldEvent = WechatMiniprogram.Input & { currentTarget: { dataset: { field: 'product' | 'quantity' | 'letter' } } };
type PickEvent = WechatMiniprogram.PickerChange & { currentTarget: { dataset: { field: 'validUntil' | 'benefitIndex' | 'staffIndex' } } };

/** Today in Shanghai, for the date picker's start. */
function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    listError: '',
    batches: [] as BatchRow[],
    creating: false,
    channels: CHANNELS,
    benefits: [] as Option[],
    staff: [] as Option[],
    today: '',
    form: { channel: 'taobao', product: '', quantity: '', validUntil: '', letter: '', benefitIndex: 0, staffIndex: 0 } as BatchForm,
    submitting: false,
    progress: '',
    formError: '',
    _createRequestId: '',
  },
  methods: {
    onLoad() {
      this.load();
    },
    onShow() {
      if (this.data.gate === 'ready') this.loadList();
    },
    onRetry() {
      this.load();
    },
    async load() {
      const opened = await enterWith(this, 'cards', () => call('card', 'card.batch.list', {}));
      if (!opened) return;
      const { batches, defaultLetter } = opened.data;
      this.setData({ gate: 'ready', batches: batches.map(toBatchRow), 'form.letter': this.data.form.letter || defaultLetter, today: shanghaiToday() });
    },
    async loadList() {
      const res = await call('card', 'card.batch.list', {});
      if (!res.ok) return this.setData({ listError: res.error.message });
      this.setData({ listError: '', batches: res.data.batches.map(toBatchRow) });
    },
    async onNewBatch() {
      this.setData({ creating: true, formError: '' });
      const [templates, staff] = await Promise.all([call('coupon', 'coupon.template.list', { status: 'active' }), call('staff', 'staff.list', {})]);
      if (!templates.ok || !staff.ok) return this.setData({ formError: '福利券或员工列表没能加载，请稍后重试' });
      this.setData({ benefits: benefitOptions(templates.data.templates), staff: staffOptions(staff.data.members) });
    },
    onCancel() {
      this.setData({ creating: false, formError: '' });
    },
    onPickChannel(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { channel: BatchForm['channel'] }>) {
      this.setData({ 'form.channel': e.currentTarget.dataset.channel, _createRequestId: '' });
    },
    onField(e: FieldEvent) {
      // A changed form is another batch: it gets its own request id.
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, formError: '', _createRequestId: '' });
    },
    onPick(e: PickEvent) {
      const field = e.currentTarget.dataset.field;
      const value = field === 'validUntil' ? String(e.detail.value) : Number(e.detail.value);
      this.setData({ [`form.${field}`]: value, formError: '', _createRequestId: '' });
    },
    async onCreate() {
      if (this.data.submitting) return;
      const { form, benefits, staff } = this.data;
      const quantity = parseQuantity(form.quantity);
      if (!form.product.trim()) return this.setData({ formError: '请填写商品或备注' });
      if (quantity === null) return this.setData({ formError: '请填写印制张数（1–50000）' });
      if (!form.validUntil) return this.setData({ formError: '请选择领取截止日期' });
      const input: CardBatchInput = {
        channel: form.channel,
        product: form.product.trim(),
        quantity,
        validUntil: form.validUntil,
        letter: form.letter,
        templateId: benefits[form.benefitIndex]?.value || null,
        ownerStaffId: staff[form.staffIndex]?.value || null,
      };
      const requestId = this.data._createRequestId || newRequestId();
      this.setData({ submitting: true, formError: '', progress: '', _createRequestId: requestId });
      const first = await call('card', 'card.batch.create', input, { requestId });
      const { result: res, gaveUp } = await stepUntilDone(
        first,
        (batch) => call('card', 'card.batch.prepare', { batchId: batch.id }, { requestId: newRequestId() }),
        (batch) => ({ status: batch.status === 'preparing' ? 'running' : batch.status, progress: batch.prepared }),
        (batch) => this.setData({ progress: `正在准备卡片福利 ${batch.prepared} / ${batch.quantity}` }),
      );
      if (!res.ok) return this.setData({ submitting: false, progress: '', formError: errorText(res.error) });
      if (gaveUp) wx.showToast({ title: '卡片福利仍在准备，稍后可导出', icon: 'none' });
      this.setData({ submitting: false, progress: '', creating: false, _createRequestId: '' });
      wx.navigateTo({ url: `/admin/pages/card/index?id=${res.data.id}` });
    },
    onOpenBatch(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>) {
      wx.navigateTo({ url: `/admin/pages/card/index?id=${e.currentTarget.dataset.id}` });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
