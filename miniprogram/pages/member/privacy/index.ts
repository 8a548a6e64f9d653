/**
 * 会员隐私保护指引: the full notice. Opened with `?reaccept=1` (from 首页, when the notice changed
 * since the member accepted it) it also asks for the member's consent to the new version.
 */
import type { PrivacyNotice } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';

type Status = 'loading' | 'error' | 'ready';

const EMPTY: PrivacyNotice = { version: '', title: '', effectiveDate: '', sections: [] };

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    notice: EMPTY,
    /** Ask for consent to this version (a member who accepted an older one). */
    asking: false,
    accepting: false,
    acceptError: '',
    _requestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ asking: queryParam(query, 'reaccept') === '1' });
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      const res = await call('member', 'member.privacy', {});
      if (!res.ok) return this.setData({ status: 'error', errorMessage: res.error.message });
      this.setData({ status: 'ready', notice: res.data });
      wx.setNavigationBarTitle({ title: res.data.title });
    },
    async onAccept() {
      if (this.data.accepting) return;
      const requestId = this.data._requestId || newRequestId();
      this.setData({ accepting: true, acceptError: '', _requestId: requestId });
      const res = await call('member', 'member.acceptPrivacy', { version: this.data.notice.version }, { requestId });
      if (!res.ok) {
        this.setData({ accepting: false, acceptError: res.error.message });
        // A newer notice meanwhile: show it, to be accepted in turn.
        if (res.error.code === 'CONFLICT') this.load();
        return;
      }
      this.setData({ accepting: false, asking: false, _requestId: '' });
      wx.showToast({ title: '已同意', icon: 'success' });
      wx.navigateBack({ delta: 1 });
    },
  },
});
