/**
 * A member's page (clerk and up): who they are (phone masked), where they came from, who serves
 * them, their orders, coupons, points and timeline. Admins edit the manual tags here; the owner
 * answers the member's data rights here (export everything held about them; erase them on request).
 */
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterWith, loadListPage } from '../../shared/load';
import { type CouponRow, type HeaderView, type OrderRow, type PointsRow, suggestionsOf, type TimelineRow, toCouponRow, toHeader, toOrderRow, toPointsRow, toTimelineRow } from './view';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    header: null as HeaderView | null,
    orders: [] as OrderRow[],
    coupons: [] as CouponRow[],
    points: [] as PointsRow[],
    timeline: [] as TimelineRow[],
    nextBefore: '',
    loadingMore: false,
    moreError: '',
    canEditTags: false,
    tags: [] as string[],
    editing: false,
    draft: [] as string[],
    suggestions: [] as string[],
    newTag: '',
    saving: false,
    tagError: '',
    canExportData: false,
    canErase: false,
    dataExport: null as { line: string; url: string } | null,
    exportingData: false,
    erasing: false,
    eraseOpen: false,
    eraseReason: '',
    eraseConfirm: '',
    eraseError: '',
    erased: false,
    _openid: '',
    _known: [] as string[],
    _tagsRequestId: '',
    _eraseRequestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _openid: queryParam(query, 'openid') });
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      const opened = await enterWith(this, 'members', () => call('admin', 'member.page', { openid: this.data._openid }));
      if (!opened) return;
      const { data: page, home } = opened;
      this.setData({
        gate: 'ready',
        header: toHeader(page),
        orders: page.orders.map(toOrderRow),
        coupons: page.coupons.map(toCouponRow),
        points: page.points.recent.map(toPointsRow),
        timeline: page.timeline.map(toTimelineRow),
        nextBefore: page.nextBefore ?? '',
        canEditTags: home.abilities.editTags,
        canExportData: home.abilities.exportMemberData,
        canErase: home.abilities.eraseMember,
        tags: page.member.tags,
        _known: page.knownTags,
      });
    },
    onReachBottom() {
      this.loadMore();
    },
    async loadMore() {
      if (!this.data.nextBefore || this.data.loadingMore) return;
      await loadListPage(
        this,
        { rows: 'timeline', next: 'nextBefore', busy: 'loadingMore', error: 'moreError' },
        true,
        (before) => call('admin', 'member.timeline', { openid: this.data._openid, before }),
        (page) => {
          const offset = this.data.timeline.length;
          return { rows: page.timeline.map((e, i) => toTimelineRow(e, offset + i)), next: page.nextBefore };
        },
      );
    },

    // ---- tags (admins) -------------------------------------------------------------------------

    onEditTags() {
      const draft = [...this.data.tags];
      this.setData({ editing: true, draft, suggestions: suggestionsOf(this.data._known, draft), newTag: '', tagError: '', _tagsRequestId: '' });
    },
    setDraft(draft: string[]) {
      // Another set of tags is another intent: it gets its own request id.
      this.setData({ draft, suggestions: suggestionsOf(this.data._known, draft), tagError: '', _tagsRequestId: '' });
    },
    onTagInput(e: WechatMiniprogram.Input) {
      this.setData({ newTag: e.detail.value, tagError: '' });
    },
    onAddTag() {
      const tag = this.data.newTag.trim();
      if (!tag) return this.setData({ tagError: '请输入标签' });
      this.setData({ newTag: '' });
      if (!this.data.draft.includes(tag)) this.setDraft([...this.data.draft, tag]);
    },
    onSuggest(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { tag: string }>) {
      this.setDraft([...this.data.draft, e.currentTarget.dataset.tag]);
    },
    onRemoveTag(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { tag: string }>) {
      this.setDraft(this.data.draft.filter((t) => t !== e.currentTarget.dataset.tag));
    },
    onCancelTags() {
      this.setData({ editing: false, tagError: '' });
    },
    async onSaveTags() {
      if (this.data.saving) return;
      const requestId = this.data._tagsRequestId || newRequestId();
      this.setData({ saving: true, tagError: '', _tagsRequestId: requestId });
      const res = await call('admin', 'member.tags.set', { openid: this.data._openid, tags: this.data.draft }, { requestId });
      if (!res.ok) return this.setData({ saving: false, tagError: errorText(res.error) });
      this.setData({ saving: false, editing: false, tags: res.data.tags, _tagsRequestId: '' });
      wx.showToast({ title: '标签已保存', icon: 'success' });
    },

    // ---- data rights (owner) -------------------------------------------------------------------

    async onExportData() {
      if (this.data.exportingData) return;
      const { confirm } = await wx.showModal({
        title: '导出会员全部数据',
        content: '文件含完整手机号等个人信息，仅用于答复会员本人的查询；导出会记入操作日志，文件一天后自动删除。',
        confirmText: '导出',
      });
      if (!confirm) return;
      this.setData({ exportingData: true, dataExport: null });
      const res = await call('admin', 'member.dataExport', { openid: this.data._openid }, { requestId: newRequestId() });
      if (!res.ok) {
        this.setData({ exportingData: false });
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      this.setData({ exportingData: false, dataExport: { line: `已生成 ${res.data.fileName}，链接约 1 小时内有效`, url: res.data.fileUrl } });
    },
    onCopyDataLink() {
      if (this.data.dataExport) wx.setClipboardData({ data: this.data.dataExport.url });
    },
    onOpenErase() {
      this.setData({ eraseOpen: true, eraseReason: '', eraseConfirm: '', eraseError: '', _eraseRequestId: '' });
    },
    onCancelErase() {
      this.setData({ eraseOpen: false, eraseError: '' });
    },
    onEraseInput(e: WechatMiniprogram.Input & { currentTarget: { dataset: { field: 'eraseReason' | 'eraseConfirm' } } }) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value, eraseError: '', _eraseRequestId: '' });
    },
    async onErase() {
      if (this.data.erasing) return;
      const { confirm } = await wx.showModal({ title: '删除会员', content: '删除后无法恢复：个人信息全部删除，只保留不能识别到本人的统计数字。', confirmText: '删除' });
      if (!confirm) return;
      const requestId = this.data._eraseRequestId || newRequestId();
      this.setData({ erasing: true, eraseError: '', _eraseRequestId: requestId });
      const payload = { openid: this.data._openid, reason: this.data.eraseReason, confirm: this.data.eraseConfirm };
      const res = await call('admin', 'member.erase', payload, { requestId });
      if (!res.ok) return this.setData({ erasing: false, eraseError: errorText(res.error) });
      this.setData({ erasing: false, erased: true, eraseOpen: false });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
