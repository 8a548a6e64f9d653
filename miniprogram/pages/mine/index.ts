/** 我的: who I am here. Staff see their role; customers a placeholder until membership sign-up. */
import { selectTab } from '../../custom-tab-bar/tabs';
import { call } from '../../services/api';
import { rememberViewer, roleLabel } from '../../services/viewer';

type Status = 'loading' | 'error' | 'ready';

interface MemberView {
  name: string;
  roleLabel: string;
}

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    member: null as MemberView | null,
    /** The caller's user id: the store owner needs it once, to be made owner (README). */
    openid: '',
  },
  methods: {
    onShow() {
      selectTab(this, 'mine');
      // Shown again after joining the staff elsewhere: refresh quietly once something is on screen.
      this.load();
    },
    onRetry() {
      this.load();
    },
    onCopyId() {
      wx.setClipboardData({ data: this.data.openid });
    },
    async load() {
      if (this.data.status !== 'ready') this.setData({ status: 'loading' });
      const res = await call('staff', 'staff.me', {});
      if (!res.ok) {
        if (this.data.status !== 'ready') this.setData({ status: 'error', errorMessage: res.error.message });
        return;
      }
      const { member } = res.data;
      rememberViewer({ isStaff: !!member, role: member ? member.role : null });
      this.setData({
        status: 'ready',
        openid: res.data.openid,
        member: member ? { name: member.name, roleLabel: roleLabel(member.role) } : null,
      });
    },
  },
});
