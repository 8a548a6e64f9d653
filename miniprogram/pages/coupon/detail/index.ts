/**
 * One of my coupons (`?id=…`, from 券包, after a claim, or from an expiry reminder): the code and its
 * QR for staff to scan while it can be used, its state once it cannot, and the rules.
 */
import type { ErrorCode } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import { askForReminder, reportReminder, type ReminderStatus } from '../reminder';
import { type DetailView, toDetailView } from './view';

type Status = 'loading' | 'error' | 'gone' | 'ready';

/** Someone else's coupon reads as not found; so does a malformed id. */
const GONE: ErrorCode[] = ['NOT_FOUND', 'INVALID_INPUT'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    coupon: null as DetailView | null,
    /** Whether 到期提醒 can be offered (the store configured the message, the coupon is usable). */
    canRemind: false,
    reminder: 'none' as ReminderStatus,
    reminderError: '',
    _id: '',
    _templateId: '',
    _reminderTemplateId: '',
    _reminderRequestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const id = queryParam(query, 'id');
      if (!id) return this.setData({ status: 'gone' });
      this.setData({ _id: id });
      this.load();
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },
    async load(quiet = false) {
      if (!quiet || this.data.status !== 'ready') this.setData({ status: 'loading' });
      const res = await call('coupon', 'coupon.detail', { couponId: this.data._id });
      if (!res.ok) {
        if (GONE.includes(res.error.code)) return this.setData({ status: 'gone', coupon: null });
        if (this.data.status === 'ready') return wx.showToast({ title: res.error.message, icon: 'none' });
        return this.setData({ status: 'error', errorMessage: res.error.message });
      }
      const coupon = res.data;
      this.setData({
        status: 'ready',
        coupon: toDetailView(coupon),
        canRemind: coupon.state === 'available' && !!coupon.reminderTemplateId,
        _templateId: coupon.templateId,
        _reminderTemplateId: coupon.reminderTemplateId ?? '',
      });
    },
    onRemind() {
      const { _reminderTemplateId: tmplId, reminder } = this.data;
      if (!tmplId || reminder === 'saving' || reminder === 'on') return;
      // Synchronously, first thing in the tap: WeChat opens its panel only from the tap itself.
      askForReminder(tmplId).then((accepted) => {
        if (accepted) this.saveReminder(newRequestId());
        else this.setData({ reminder: 'declined' });
      });
    },
    async saveReminder(requestId: string) {
      this.setData({ reminder: 'saving', reminderError: '', _reminderRequestId: requestId });
      const res = await reportReminder(this.data._templateId, requestId);
      if (!res.ok) return this.setData({ reminder: 'failed', reminderError: res.error.message });
      this.setData({ reminder: 'on' });
    },
    onRetryReminder() {
      // The person already said yes to WeChat: only the report is retried, with the same id.
      if (this.data.reminder === 'failed') this.saveReminder(this.data._reminderRequestId);
    },
    onOpenWallet() {
      wx.switchTab({ url: TAB_URLS.wallet });
    },
  },
});
