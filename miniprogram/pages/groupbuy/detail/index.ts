/**
 * 拼团详情 (`?token=…`, opened from a shared chat card, 开团 or 我的拼团): who has joined, the
 * countdown, one button (join, join the store first, or invite friends) and, once over, the outcome.
 * The countdown runs from the server's clock, not the phone's.
 */
import type { ErrorCode, GroupView } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import { askForReminder } from '../../coupon/reminder';
import { joinUrl } from '../../member/links';
import { campaignUrl, countdownText, type GroupDetailView, toGroupDetailView } from '../view';

type Status = 'loading' | 'error' | 'gone' | 'ready';

/** A made-up or damaged token reads as NOT_FOUND. */
const GONE: ErrorCode[] = ['NOT_FOUND', 'INVALID_INPUT'];
/** Refusals that mean the group changed since it was shown: show it as it now stands. */
const STALE: ErrorCode[] = ['SOLD_OUT', 'EXPIRED', 'CONFLICT', 'FORBIDDEN', 'LIMIT_REACHED'];

/** Countdown timers per page instance (not data: nothing to render). */
const tickers = new WeakMap<object, number>();

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    group: null as GroupDetailView | null,
    countdown: '',
    joining: false,
    joinError: '',
    _token: '',
    _sharePath: '',
    _shareTitle: '',
    _resultTemplateId: '',
    /** Deadline in the phone's clock: expiresAt shifted by how far the phone is off the server. */
    _deadline: 0,
    /** One id per join intent: a retry after a lost answer joins once. */
    _joinRequestId: '',
    /** Gone to join the store: the group is read again on the way back. */
    _away: false,
  },
  lifetimes: {
    detached() {
      this.stopTicking();
    },
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const token = queryParam(query, 'token');
      if (!token) return this.setData({ status: 'gone' });
      this.setData({ _token: token });
      this.load();
    },
    onShow() {
      if (!this.data._away) return;
      this.setData({ _away: false });
      this.load(true);
    },
    onUnload() {
      this.stopTicking();
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },
    async load(quiet = false) {
      if (!quiet || this.data.status !== 'ready') this.setData({ status: 'loading' });
      const res = await call('groupbuy', 'groupbuy.detail', { token: this.data._token });
      if (!res.ok) {
        if (GONE.includes(res.error.code)) return this.setData({ status: 'gone' });
        if (quiet && this.data.status === 'ready') return wx.showToast({ title: res.error.message, icon: 'none' });
        return this.setData({ status: 'error', errorMessage: res.error.message });
      }
      this.show(res.data);
    },
    show(group: GroupView) {
      const offset = Date.parse(group.serverTime) - Date.now();
      const deadline = Date.parse(group.expiresAt) - offset;
      this.setData({
        status: 'ready',
        group: toGroupDetailView(group),
        countdown: group.state === 'open' ? countdownText(deadline - Date.now()) : '',
        _sharePath: group.sharePath,
        _shareTitle: `${group.campaign.title}｜${group.headline}`,
        _resultTemplateId: group.resultTemplateId ?? '',
        _deadline: deadline,
      });
      if (group.state === 'open') this.startTicking();
      else this.stopTicking();
    },
    startTicking() {
      if (tickers.has(this)) return;
      const id = setInterval(() => this.tick(), 1000) as unknown as number;
      tickers.set(this, id);
    },
    stopTicking() {
      const id = tickers.get(this);
      if (id !== undefined) clearInterval(id);
      tickers.delete(this);
    },
    tick() {
      const left = this.data._deadline - Date.now();
      if (left > 0) return this.setData({ countdown: countdownText(left) });
      // The deadline passed: reading the group again closes it on the server and shows the outcome.
      this.stopTicking();
      this.setData({ countdown: '' });
      this.load(true);
    },
    onAction() {
      const { group, joining } = this.data;
      if (!group || joining) return;
      if (group.action === 'join') {
        this.join();
      } else if (group.action === 'member') {
        this.setData({ _away: true });
        wx.navigateTo({ url: joinUrl() });
      }
    },
    async join() {
      const requestId = this.data._joinRequestId || newRequestId();
      // Synchronously, before anything is awaited: WeChat opens its panel only from the tap itself.
      const tmplId = this.data._resultTemplateId;
      const asking = tmplId ? askForReminder(tmplId) : Promise.resolve(false);
      this.setData({ joining: true, joinError: '', _joinRequestId: requestId });
      const subscribed = await asking;
      const res = await call('groupbuy', 'groupbuy.join', { token: this.data._token, subscribed }, { requestId });
      if (!res.ok) {
        const stale = STALE.includes(res.error.code);
        this.setData({ joining: false, joinError: res.error.message, _joinRequestId: stale ? '' : requestId });
        if (GONE.includes(res.error.code)) this.setData({ status: 'gone' });
        else if (stale) this.load(true);
        return;
      }
      this.setData({ joining: false, _joinRequestId: '' });
      this.show(res.data.group);
      wx.showToast({ title: res.data.alreadyJoined ? '你已在团里' : '参团成功', icon: 'success' });
    },
    onOpenCampaign() {
      const campaignId = this.data.group?.campaignId;
      if (campaignId) wx.navigateTo({ url: campaignUrl(campaignId) });
    },
    onShareAppMessage() {
      const { _sharePath: path, _shareTitle: title } = this.data;
      return path ? { title, path } : { title: '一起拼团', path: '/pages/home/index' };
    },
  },
});
