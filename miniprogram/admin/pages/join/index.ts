/** Opened from a staff invite (`?code=…`): the invitee confirms, and becomes staff once redeemed. */
import type { ErrorCode } from '../../../../typings';
import { ADMIN_HOME_URL, TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { rememberViewer, roleLabel } from '../../../services/viewer';
import { queryParam } from '../../../utils/format';

type Status = 'missing' | 'confirm' | 'joining' | 'joined' | 'failed';

/** Failures worth trying again with the same code; the rest need a new invite or no action. */
const RETRYABLE: ErrorCode[] = ['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'confirm' as Status,
    errorMessage: '',
    canRetry: false,
    member: { name: '', roleLabel: '' },
    _code: '',
    /** Created once when the page opens: confirming again after a failure is the same intent. */
    _requestId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const code = queryParam(query, 'code');
      this.setData(code ? { status: 'confirm', _code: code, _requestId: newRequestId() } : { status: 'missing' });
    },
    async onConfirm() {
      if (this.data.status === 'joining') return;
      this.setData({ status: 'joining' });
      const res = await call('staff', 'staff.redeemInvite', { code: this.data._code }, { requestId: this.data._requestId });
      if (!res.ok) {
        return this.setData({ status: 'failed', errorMessage: res.error.message, canRetry: RETRYABLE.includes(res.error.code) });
      }
      const { member } = res.data;
      rememberViewer({ isStaff: true, role: member.role });
      this.setData({ status: 'joined', member: { name: member.name, roleLabel: roleLabel(member.role) } });
    },
    onOpenAdmin() {
      wx.redirectTo({ url: ADMIN_HOME_URL });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
