/**
 * 邀请好友: the member's invite link (shared to a chat), their poster (saved to the album for
 * Moments), and 我的邀请: who joined through them, the rewards, and the campaign's leaderboard.
 */
import type { ErrorCode } from '../../../typings';
import { call } from '../../services/api';
import { joinUrl } from '../member/links';
import { type InviteCampaignView, type InviteeView, moreInvitees, type MyInvitesView, toInviteCampaignView, toMyInvitesView } from './view';

type Status = 'loading' | 'error' | 'not_member' | 'ready';
type PosterStatus = 'none' | 'making' | 'ready' | 'failed';

/** invite.link answers these to callers who are not members. */
const NOT_MEMBER: ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    campaign: null as InviteCampaignView | null,
    mine: null as MyInvitesView | null,
    hasMore: false,
    loadingMore: false,
    poster: 'none' as PosterStatus,
    posterUrl: '',
    posterNote: '',
    posterError: '',
    saving: false,
    _sharePath: '',
    _shareTitle: '',
    _cursor: '',
    _away: false,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onShow() {
      if (!this.data._away) return;
      this.setData({ _away: false });
      this.load();
    },
    onRetry() {
      this.load();
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ status: 'loading' });
      const [link, mine] = await Promise.all([call('growth', 'invite.link', {}), call('growth', 'invite.mine', {})]);
      if (!link.ok) {
        if (NOT_MEMBER.includes(link.error.code)) return this.setData({ status: 'not_member' });
        return this.setData({ status: 'error', errorMessage: link.error.message });
      }
      if (!mine.ok) return this.setData({ status: 'error', errorMessage: mine.error.message });
      this.setData({
        status: 'ready',
        campaign: toInviteCampaignView(link.data.campaign),
        mine: toMyInvitesView(mine.data),
        hasMore: !!mine.data.nextCursor,
        _cursor: mine.data.nextCursor ?? '',
        _sharePath: link.data.sharePath,
        _shareTitle: link.data.shareTitle,
      });
    },
    onReachBottom() {
      this.loadMore();
    },
    async loadMore() {
      const { hasMore, loadingMore, _cursor: cursor, mine } = this.data;
      if (!hasMore || loadingMore || !cursor || !mine) return;
      this.setData({ loadingMore: true });
      const res = await call('growth', 'invite.mine', { cursor });
      if (!res.ok) {
        this.setData({ loadingMore: false });
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      const start = mine.invitees.length;
      const update: Record<string, InviteeView | boolean | string> = { loadingMore: false, hasMore: !!res.data.nextCursor, _cursor: res.data.nextCursor ?? '' };
      moreInvitees(res.data, start).forEach((invitee, i) => {
        update[`mine.invitees[${start + i}]`] = invitee;
      });
      this.setData(update);
    },
    async onMakePoster() {
      if (this.data.poster === 'making') return;
      this.setData({ poster: 'making', posterError: '' });
      const res = await call('growth', 'invite.poster', {});
      if (!res.ok) return this.setData({ poster: 'failed', posterError: res.error.message });
      this.setData({
        poster: 'ready',
        posterUrl: res.data.url,
        posterNote: res.data.standIn ? '本地测试环境：海报上是普通二维码，不是微信小程序码' : '',
      });
    },
    onSavePoster() {
      const { posterUrl: url, saving } = this.data;
      if (!url || saving) return;
      this.setData({ saving: true });
      const done = (title: string) => {
        this.setData({ saving: false });
        wx.showToast({ title, icon: 'none' });
      };
      wx.downloadFile({
        url,
        success: (file) => {
          if (file.statusCode !== 200) return done('海报下载失败，请重试');
          wx.saveImageToPhotosAlbum({
            filePath: file.tempFilePath,
            success: () => done('已保存到相册'),
            // Declined the album permission (or closed it): say how to allow it.
            fail: () => done('未能保存，请在设置中允许保存到相册'),
          });
        },
        fail: () => done('海报下载失败，请重试'),
      });
    },
    onJoin() {
      this.setData({ _away: true });
      wx.navigateTo({ url: joinUrl() });
    },
    onShareAppMessage() {
      const { _sharePath: path, _shareTitle: title } = this.data;
      return path ? { title, path } : { title: '邀请你加入会员', path: '/pages/home/index' };
    },
  },
});
