/**
 * 社群活码 (staff): the store's entries with their counts (tap one for its groups), a new entry
 * (admins), and my own contact code, which customers see when no group is usable.
 */
import type { CommunityEntryPurpose } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterArea } from '../../shared/load';
import { pickAndUploadQr } from './upload';
import { type EntryRow, PURPOSES, toEntryRow } from './view';

type IdEvent = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    admin: false,
    entries: [] as EntryRow[],
    purposes: PURPOSES,
    creating: false,
    form: { name: '', purpose: 'card_batch' as CommunityEntryPurpose, welcome: '' },
    submitting: false,
    formError: '',
    contact: { src: '', kind: 'wechat' as 'wechat' | 'wecom', note: '' },
    contactSaving: false,
    contactError: '',
    _createRequestId: '',
  },
  methods: {
    onLoad() {
      this.load();
    },
    onShow() {
      if (this.data.gate === 'ready') this.loadEntries();
    },
    onRetry() {
      this.load();
    },
    async load() {
      const home = await enterArea(this, 'community');
      if (!home) return;
      const [entries, contact] = await Promise.all([call('community', 'community.entry.list', {}), call('community', 'community.contact.get', {})]);
      if (!entries.ok) return this.setData({ gate: 'error', gateMessage: entries.error.message });
      const mine = contact.ok ? contact.data.contact : null;
      this.setData({
        gate: 'ready',
        admin: home.abilities.manageCampaigns,
        entries: entries.data.entries.map(toEntryRow),
        contact: mine ? { src: mine.qr.src, kind: mine.kind, note: mine.note } : this.data.contact,
      });
    },
    async loadEntries() {
      const res = await call('community', 'community.entry.list', {});
      if (res.ok) this.setData({ entries: res.data.entries.map(toEntryRow) });
    },
    onOpenEntry(e: IdEvent) {
      wx.navigateTo({ url: `/admin/pages/community/entry/index?id=${e.currentTarget.dataset.id}` });
    },
    onNewEntry() {
      this.setData({ creating: true, formError: '' });
    },
    onCancel() {
      this.setData({ creating: false, formError: '' });
    },
    onField(e: WechatMiniprogram.Input & { currentTarget: { dataset: { field: 'name' | 'welcome' } } }) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, formError: '', _createRequestId: '' });
    },
    onPickPurpose(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { purpose: CommunityEntryPurpose }>) {
      this.setData({ 'form.purpose': e.currentTarget.dataset.purpose, _createRequestId: '' });
    },
    async onCreate() {
      if (this.data.submitting) return;
      const { name, purpose, welcome } = this.data.form;
      if (!name.trim()) return this.setData({ formError: '请填写入口名称' });
      const requestId = this.data._createRequestId || newRequestId();
      this.setData({ submitting: true, formError: '', _createRequestId: requestId });
      const res = await call('community', 'community.entry.create', { name: name.trim(), purpose, welcome: welcome.trim() }, { requestId });
      if (!res.ok) return this.setData({ submitting: false, formError: errorText(res.error) });
      this.setData({ submitting: false, creating: false, _createRequestId: '', form: { name: '', purpose: 'card_batch', welcome: '' } });
      wx.navigateTo({ url: `/admin/pages/community/entry/index?id=${res.data.id}` });
    },
    onPickKind(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { kind: 'wechat' | 'wecom' }>) {
      this.setData({ 'contact.kind': e.currentTarget.dataset.kind });
    },
    onContactNote(e: WechatMiniprogram.Input) {
      this.setData({ 'contact.note': e.detail.value });
    },
    async onUploadContact() {
      if (this.data.contactSaving) return;
      this.setData({ contactSaving: true, contactError: '' });
      const picked = await pickAndUploadQr();
      if (!picked.ok) return this.setData({ contactSaving: false, contactError: picked.message });
      const { kind, note } = this.data.contact;
      const res = await call('community', 'community.contact.set', { qrFileId: picked.fileId, kind, note: note.trim() }, { requestId: newRequestId() });
      if (!res.ok) return this.setData({ contactSaving: false, contactError: errorText(res.error) });
      this.setData({ contactSaving: false, contact: { src: res.data.qr.src, kind: res.data.kind, note: res.data.note } });
      wx.showToast({ title: '已保存我的二维码', icon: 'success' });
    },
  },
});
