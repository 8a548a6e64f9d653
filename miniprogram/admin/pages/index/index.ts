/** 店铺管理 home: who I am here and the way to 核销; owners and admins also see the team and invite new staff. */
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { rememberViewer, roleLabel } from '../../../services/viewer';
import type { InviteRole, InviteView, MemberRow, RoleOption } from './view';
import { errorText, invitableRoles, toInviteView, toMemberRow } from './view';

type Status = 'loading' | 'error' | 'forbidden' | 'ready';

const VERIFY_URL = '/admin/pages/verify/index';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    me: { name: '', roleLabel: '' },
    canManage: false,
    members: [] as MemberRow[],
    membersStatus: 'loading' as 'loading' | 'error' | 'ready',
    membersError: '',
    roleOptions: [] as RoleOption[],
    form: { name: '', role: 'clerk' as InviteRole },
    inviting: false,
    inviteError: '',
    invite: null as InviteView | null,
    /** One id per invite intent: reused when 生成邀请码 is tapped again after a failure. */
    _inviteRequestId: '',
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
      const res = await call('staff', 'staff.me', {});
      if (!res.ok) return this.setData({ status: 'error', errorMessage: res.error.message });
      const { member } = res.data;
      rememberViewer({ isStaff: !!member, role: member ? member.role : null });
      if (!member) return this.setData({ status: 'forbidden' });
      const canManage = member.role !== 'clerk';
      this.setData({
        status: 'ready',
        me: { name: member.name, roleLabel: roleLabel(member.role) },
        canManage,
        roleOptions: invitableRoles(member.role),
      });
      if (canManage) this.loadMembers();
    },
    async loadMembers() {
      this.setData({ membersStatus: 'loading' });
      const res = await call('staff', 'staff.list', {});
      if (!res.ok) return this.setData({ membersStatus: 'error', membersError: res.error.message });
      this.setData({ membersStatus: 'ready', members: res.data.members.map(toMemberRow) });
    },
    onNameInput(e: WechatMiniprogram.Input) {
      // Another name is another intent: it gets its own request id.
      this.setData({ 'form.name': e.detail.value, _inviteRequestId: '', inviteError: '' });
    },
    onPickRole(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { role: InviteRole }>) {
      this.setData({ 'form.role': e.currentTarget.dataset.role, _inviteRequestId: '', inviteError: '' });
    },
    async onInvite() {
      if (this.data.inviting) return;
      const requestId = this.data._inviteRequestId || newRequestId();
      this.setData({ inviting: true, inviteError: '', _inviteRequestId: requestId });
      const { name, role } = this.data.form;
      const res = await call('staff', 'staff.invite', { name, role }, { requestId });
      if (!res.ok) return this.setData({ inviting: false, inviteError: errorText(res.error) });
      this.setData({ inviting: false, _inviteRequestId: '', 'form.name': '', invite: toInviteView(res.data) });
    },
    onCopyCode() {
      if (this.data.invite) wx.setClipboardData({ data: this.data.invite.code });
    },
    onShareAppMessage() {
      const { invite } = this.data;
      if (invite) return { title: `邀请${invite.name}加入店铺团队`, path: invite.path };
      return { title: '店铺首页', path: TAB_URLS.home };
    },
    onOpenVerify() {
      wx.navigateTo({ url: VERIFY_URL });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
