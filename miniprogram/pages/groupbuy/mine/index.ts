/** 我的拼团: groups the caller leads or joined, newest first, 20 a page (more on reaching the bottom). */
import { call } from '../../../services/api';
import { detailUrl, type GroupLineView, toGroupLineView } from '../view';

type Status = 'loading' | 'error' | 'empty' | 'ready';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    groups: [] as GroupLineView[],
    hasMore: false,
    loadingMore: false,
    moreError: '',
    _cursor: '',
    _loaded: false,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onShow() {
      // Back from a group: its state may have changed (joined, filled, over).
      if (this.data._loaded) this.load(true);
    },
    onRetry() {
      this.load();
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ status: 'loading' });
      const res = await call('groupbuy', 'groupbuy.mine', {});
      if (!res.ok) {
        if (quiet && this.data.status === 'ready') return;
        return this.setData({ status: 'error', errorMessage: res.error.message });
      }
      const { groups, nextCursor } = res.data;
      this.setData({
        status: groups.length ? 'ready' : 'empty',
        groups: groups.map(toGroupLineView),
        hasMore: !!nextCursor,
        moreError: '',
        _cursor: nextCursor ?? '',
        _loaded: true,
      });
    },
    onReachBottom() {
      this.loadMore();
    },
    async loadMore() {
      const { hasMore, loadingMore, _cursor: cursor } = this.data;
      if (!hasMore || loadingMore || !cursor) return;
      this.setData({ loadingMore: true, moreError: '' });
      const res = await call('groupbuy', 'groupbuy.mine', { cursor });
      if (!res.ok) return this.setData({ loadingMore: false, moreError: res.error.message });
      const start = this.data.groups.length;
      const update: Record<string, unknown> = { loadingMore: false, hasMore: !!res.data.nextCursor, _cursor: res.data.nextCursor ?? '' };
      res.data.groups.forEach((g, i) => {
        update[`groups[${start + i}]`] = toGroupLineView(g);
      });
      this.setData(update);
    },
    onOpenGroup(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { token: string }>) {
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.token) });
    },
  },
});
