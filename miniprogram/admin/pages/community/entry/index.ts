/**
 * 活码详情 (staff; alert messages link here): the entry's counts, its groups with seats taken,
 * expiry and the last count, and for admins adding a group by its QR image and the alert subscription.
 */
import { call, newRequestId } from '../../../../services/api';
import type { Gate } from '../../../shared/access';
import { errorText } from '../../../shared/format';
import { enterArea } from '../../../shared/load';
import { pickAndUploadQr } from '../upload';
import { type EntryFigures, type GroupRow, parseCapacity, parseCount, toEntryFigures, toGroupRow } from '../view';

type FieldEvent = WechatMiniprogram.Input & { currentTarget: { dataset: { field: 'name' | 'capacity' } } };
type GroupEvent = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    admin: false,
    name: '',
    path: '',
    figures: null as EntryFigures | null,
    groups: [] as GroupRow[],
    adding: false,
    form: { name: '', capacity: '', fileId: '' },
    uploading: false,
    submitting: false,
    formError: '',
    countingId: '',
    countValue: '',
    countError: '',
    alerts: null as { templateId: string; credits: number } | null,
    _entryId: '',
    _addRequestId: '',
    _countRequestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _entryId: query.id ?? '' });
      this.load();
    },
    onRetry() {
      this.load();
    },
    onPullDownRefresh() {
      this.refresh().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      const home = await enterArea(this, 'community');
      if (!home) return;
      const admin = home.abilities.manageCampaigns;
      this.setData({ admin });
      const loaded = await this.refresh();
      if (loaded !== true) return this.setData({ gate: 'error', gateMessage: loaded });
      this.setData({ gate: 'ready' });
      if (admin) this.loadAlerts();
    },
    /** true, or the message of what went wrong. */
    async refresh(): Promise<true | string> {
      const res = await call('community', 'community.entry.get', { entryId: this.data._entryId });
      if (!res.ok) return res.error.message;
      const { entry, groups } = res.data;
      wx.setNavigationBarTitle({ title: entry.name });
      this.setData({ name: entry.name, path: entry.path, figures: toEntryFigures(entry), groups: groups.map(toGroupRow) });
      return true;
    },
    async loadAlerts() {
      const res = await call('community', 'community.alerts.status', {});
      if (res.ok && res.data.templateId) this.setData({ alerts: { templateId: res.data.templateId, credits: res.data.credits } });
    },
    onAddGroup() {
      this.setData({ adding: true, formError: '' });
    },
    onCancelAdd() {
      this.setData({ adding: false, formError: '', form: { name: '', capacity: '', fileId: '' } });
    },
    onField(e: FieldEvent) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, formError: '', _addRequestId: '' });
    },
    async onPickQr() {
      if (this.data.uploading) return;
      this.setData({ uploading: true, formError: '' });
      const picked = await pickAndUploadQr(this.data._entryId);
      if (picked.ok) this.setData({ uploading: false, 'form.fileId': picked.fileId, _addRequestId: '' });
      else this.setData({ uploading: false, formError: picked.message });
    },
    async onSubmitGroup() {
      if (this.data.submitting) return;
      const { form } = this.data;
      const capacity = parseCapacity(form.capacity);
      if (!form.name.trim()) return this.setData({ formError: '请填写群名称' });
      if (capacity === null) return this.setData({ formError: '群容量须为 1–500 的整数' });
      if (!form.fileId) return this.setData({ formError: '请先上传群二维码图片' });
      const requestId = this.data._addRequestId || newRequestId();
      this.setData({ submitting: true, formError: '', _addRequestId: requestId });
      const res = await call(
        'community',
        'community.group.add',
        { entryId: this.data._entryId, name: form.name.trim(), qrFileId: form.fileId, ...(capacity ? { capacity } : {}) },
        { requestId },
      );
      if (!res.ok) return this.setData({ submitting: false, formError: errorText(res.error) });
      this.setData({ submitting: false, adding: false, _addRequestId: '', form: { name: '', capacity: '', fileId: '' } });
      wx.showToast({ title: '已添加群', icon: 'success' });
      await this.refresh();
    },
    onStartCount(e: GroupEvent) {
      this.setData({ countingId: e.currentTarget.dataset.id, countValue: '', countError: '', _countRequestId: '' });
    },
    onCountInput(e: WechatMiniprogram.Input) {
      this.setData({ countValue: e.detail.value, countError: '', _countRequestId: '' });
    },
    onCancelCount() {
      this.setData({ countingId: '', countError: '' });
    },
    async onSaveCount() {
      const memberCount = parseCount(this.data.countValue);
      if (memberCount === null) return this.setData({ countError: '请填写群里现在的人数' });
      const requestId = this.data._countRequestId || newRequestId();
      this.setData({ _countRequestId: requestId });
      const res = await call('community', 'community.group.count', { groupId: this.data.countingId, memberCount }, { requestId });
      if (!res.ok) return this.setData({ countError: errorText(res.error) });
      this.setData({ countingId: '', _countRequestId: '' });
      await this.refresh();
    },
    onPreview(e: GroupEvent) {
      const group = this.data.groups.find((g) => g.id === e.currentTarget.dataset.id);
      if (group) wx.previewImage({ urls: [group.src], showmenu: true });
    },
    /** The subscribe panel must open inside the tap: nothing is awaited before it. */
    onSubscribe() {
      const alerts = this.data.alerts;
      if (!alerts) return;
      wx.requestSubscribeMessage({
        tmplIds: [alerts.templateId],
        success: (res) => this.saveSubscription((res as unknown as Record<string, string>)[alerts.templateId] === 'accept'),
        fail: () => this.saveSubscription(false),
      });
    },
    async saveSubscription(accepted: boolean) {
      const res = await call('community', 'community.alerts.subscribe', { accepted }, { requestId: newRequestId() });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      this.setData({ 'alerts.credits': res.data.credits });
      wx.showToast({ title: accepted ? '已开启一次提醒' : '未开启提醒', icon: 'none' });
    },
    onShareAppMessage() {
      return { title: this.data.name || '加入社群', path: this.data.path };
    },
  },
});
