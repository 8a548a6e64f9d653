/**
 * A member's page (clerk and up): who they are (phone masked), where they came from, who serves
 * them, their orders, coupons, points and timeline. Admins edit the manual tags here.
 */
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import { type Gate, openArea } from '../../shared/access';
import { errorText } from '../../shared/format';
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
    _openid: '',
    _known: [] as string[],
    _tagsRequestId: '',
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
      this.setData({ gate: 'loading' });
      const access = await openArea('members');
      if (access.gate !== 'ready') return this.setData({ gate: access.gate, gateMessage: access.message });
      const res = await call('admin', 'member.page', { openid: this.data._openid });
      if (!res.ok) return this.setData({ gate: 'error', gateMessage: res.error.message });
      const page = res.data;
      this.setData({
        gate: 'ready',
        header: toHeader(page),
        orders: page.orders.map(toOrderRow),
        coupons: page.coupons.map(toCouponRow),
        points: page.points.recent.map(toPointsRow),
        timeline: page.timeline.map(toTimelineRow),
        nextBefore: page.nextBefore ?? '',
        canEditTags: !!access.home && access.home.abilities.editTags,
        tags: page.member.tags,
        _known: page.knownTags,
      });
    },
    onReachBottom() {
      this.loadMore();
    },
    async loadMore() {
      const before = this.data.nextBefore;
      if (!before || this.data.loadingMore) return;
      this.setData({ loadingMore: true, moreError: '' });
      const res = await call('admin', 'member.timeline', { openid: this.data._openid, before });
      if (!res.ok) return this.setData({ loadingMore: false, moreError: res.error.message });
      const offset = this.data.timeline.length;
      this.setData({
        loadingMore: false,
        timeline: [...this.data.timeline, ...res.data.timeline.map((e, i) => toTimelineRow(e, offset + i))],
        nextBefore: res.data.nextBefore ?? '',
      });
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
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
