/**
 * 绑定订单: the order number from the parcel or the shopping app (typed, or pasted as copied, e.g.
 * 「订单编号：3872…」: the cloud reads the number out of it) and the last four digits of the phone on
 * the order. Errors say what to do and how many tries are left; a bind shows the points and level.
 */
import type { ErrorCode } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { type BoundView, formProblem, toBoundView } from './view';

/** Answers that say nothing about the order: the same request may be sent again. */
const RETRYABLE: ErrorCode[] = ['UNAVAILABLE', 'INTERNAL'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    orderNo: '',
    last4: '',
    binding: false,
    error: '',
    bound: null as BoundView | null,
    /** One id per attempt (these inputs); kept for a retry after a lost answer. */
    _requestId: '',
  },
  methods: {
    onOrderNo(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ orderNo: e.detail.value, error: '', _requestId: '' });
    },
    onLast4(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ last4: e.detail.value, error: '', _requestId: '' });
    },
    onPaste() {
      wx.getClipboardData({
        success: (res) => {
          const text = (res.data || '').trim();
          if (text) this.setData({ orderNo: text, error: '', _requestId: '' });
          else wx.showToast({ title: '剪贴板里没有内容', icon: 'none' });
        },
      });
    },
    async onBind() {
      const { orderNo, last4, binding } = this.data;
      if (binding) return;
      const problem = formProblem(orderNo, last4);
      if (problem) return this.setData({ error: problem });
      const repeated = !!this.data._requestId;
      const requestId = this.data._requestId || newRequestId();
      this.setData({ binding: true, error: '', _requestId: requestId });
      const res = await call('member', 'member.bindOrder', { orderNo: orderNo.trim(), phoneLast4: last4.trim() }, { requestId });
      if (!res.ok) {
        const { code, message, fields } = res.error;
        return this.setData({ binding: false, error: fields?.[0]?.message ?? message, _requestId: RETRYABLE.includes(code) ? requestId : '' });
      }
      this.setData({ binding: false, bound: toBoundView(res.data, repeated), _requestId: '' });
    },
    onBindAnother() {
      this.setData({ bound: null, orderNo: '', last4: '', error: '' });
    },
    onOpenCard() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
