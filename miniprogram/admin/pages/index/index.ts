/**
 * 店铺管理, the admin tab's home: who I am here, today's numbers, the areas my role may open (the
 * cloud decides them and checks every action again), and for owners and admins the team and invites.
 */
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { roleLabel } from '../../../services/viewer';
import { loadAccess } from '../../shared/access';
import type { Entry, InviteRole, InviteView, MemberRow, RoleOption, TodayView } from './view';
import { entriesOf, errorText, invitableRoles, toInviteView, toMemberRow, toTodayView } from './view';

type Status = 'loading' | 'error' | 'forbidden' | 'ready';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    me: { name: '', roleLabel: '' },
    today: null as TodayView | null,
    entries: [] as Entry[],
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
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ status: 'loading' });
      const access = await loadAccess(true);
      if (access.gate !== 'ready') return this.setData({ status: access.gate, errorMessage: access.message });
      const { me, areas, today } = access.home;
      const canManage = areas.includes('team');
      this.setData({
        status: 'ready',
        me: { name: me.name, roleLabel: roleLabel(me.role) },
        today: toTodayView(today),
        entries: entriesOf(areas),
        canManage,
        roleOptions: invitableRoles(me.role),
      });
      if (canManage) await this.loadMembers();
    },
    async loadMembers() {
      this.setData({ membersStatus: 'loading' });
      const res = await call('staff', 'staff.list', {});
      if (!res.ok) return this.setData({ membersStatus: 'error', membersError: res.error.message });
      this.setData({ membersStatus: 'ready', members: res.data.members.map(toMemberRow) });
    },
    onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { url: string }>) {
      wx.navigateTo({ url: e.currentTarget.dataset.url });
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
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
