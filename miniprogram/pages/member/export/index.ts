/**
 * 导出我的数据: everything the store holds about the member, summed up on screen and copied in full
 * as JSON (the member's own data, the full phone number included).
 */
import type { MemberExport } from '../../../../typings';
import { call } from '../../../services/api';
import { joinUrl } from '../links';
import { type ExportView, toExportView } from './view';

type Status = 'loading' | 'error' | 'not_member' | 'ready';

/** Not kept in `data`: the page renders the summary; the full export is only copied. */
const fullExports = new WeakMap<object, MemberExport>();

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    view: null as ExportView | null,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      const res = await call('member', 'member.export', {});
      if (!res.ok) {
        if (res.error.code === 'NOT_FOUND') return this.setData({ status: 'not_member' });
        return this.setData({ status: 'error', errorMessage: res.error.message });
      }
      fullExports.set(this, res.data);
      this.setData({ status: 'ready', view: toExportView(res.data) });
    },
    onCopy() {
      const data = fullExports.get(this);
      if (data) wx.setClipboardData({ data: JSON.stringify(data, null, 2) });
    },
    onJoin() {
      wx.redirectTo({ url: joinUrl() });
    },
  },
});
