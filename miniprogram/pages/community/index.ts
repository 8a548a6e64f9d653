/**
 * 社群活码 (customers): the entry shows a WeChat group that still has room (long-press to join, then
 * 「我已入群」), or a staff member's contact code when no group is usable, or the store's message.
 */
import { call, newRequestId } from '../../services/api';
import { type CodeView, entryIdOf, toCodeView } from './view';

type Status = 'loading' | 'error' | 'invalid' | 'ready';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    code: null as CodeView | null,
    confirming: false,
    confirmError: '',
    _entryId: '',
    /** One id per 「我已入群」 intent, reused when the tap is retried. */
    _confirmRequestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const entryId = entryIdOf(query);
      if (!entryId) return this.setData({ status: 'invalid' });
      this.setData({ _entryId: entryId });
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      const res = await call('community', 'community.open', { entryId: this.data._entryId });
      if (!res.ok) return this.setData({ status: 'error', errorMessage: res.error.message });
      const code = toCodeView(res.data);
      wx.setNavigationBarTitle({ title: code.title });
      this.setData({ status: 'ready', code });
    },
    onPreview() {
      const src = this.data.code?.src;
      if (src) wx.previewImage({ urls: [src], showmenu: true });
    },
    async onConfirmJoined() {
      if (this.data.confirming) return;
      const requestId = this.data._confirmRequestId || newRequestId();
      this.setData({ confirming: true, confirmError: '', _confirmRequestId: requestId });
      const res = await call('community', 'community.confirmJoined', { entryId: this.data._entryId }, { requestId });
      if (!res.ok) return this.setData({ confirming: false, confirmError: res.error.message });
      this.setData({ confirming: false, _confirmRequestId: '', 'code.joined': true });
    },
    onShareAppMessage() {
      const title = this.data.code?.title ?? '加入社群';
      return { title, path: `/pages/community/index?entry=${this.data._entryId}` };
    },
  },
});
