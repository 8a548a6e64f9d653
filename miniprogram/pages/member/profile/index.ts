/**
 * 个人资料: edit nickname and avatar, set the birthday once, read the privacy notice, export my data,
 * and delete the account (after a confirmation that says what is deleted and what remains).
 */
import type { ApiError, ProfileUpdate } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import { today } from '../join/view';
import { AVATAR_FAILED, uploadAvatar } from '../avatar';
import { confirmDelete, deleteAccount, leaveAfterDelete } from '../delete';
import { joinUrl, MEMBER_PAGES } from '../links';
import { birthdayQuestion, type ProfileView, toProfileView } from './view';

type Status = 'loading' | 'error' | 'ready' | 'not_member';

const EMPTY: ProfileView = { nickname: '', avatar: '', initial: '', phone: '', devPhone: false, birthday: '', joinedAt: '' };

const avatarUploads = new WeakMap<object, Promise<string | null>>();

function askOnce(content: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({ title: '设置生日', content, confirmText: '确认', success: (res) => resolve(res.confirm), fail: () => resolve(false) });
  });
}

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    profile: EMPTY,
    /** What the person typed or picked and has not saved yet. */
    nickname: '',
    avatar: '',
    avatarNote: '',
    birthday: '',
    today: today(),
    saving: false,
    saveError: '',
    deleting: false,
    _avatarPicked: false,
    _saveRequestId: '',
    _deleteRequestId: '',
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
      const res = await call('member', 'member.home', {});
      if (!res.ok) return this.setData({ status: 'error', errorMessage: res.error.message });
      const { member } = res.data;
      if (!member) return this.setData({ status: 'not_member' });
      const profile = toProfileView(member);
      this.setData({ status: 'ready', profile, nickname: profile.nickname, avatar: profile.avatar, birthday: '', _avatarPicked: false });
    },
    onNickname(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ nickname: e.detail.value, saveError: '' });
    },
    onBirthday(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ birthday: e.detail.value, saveError: '' });
    },
    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      const { avatarUrl } = e.detail;
      if (!avatarUrl) return;
      this.setData({ avatar: avatarUrl, avatarNote: '', _avatarPicked: true, saveError: '' });
      const upload = uploadAvatar(avatarUrl);
      avatarUploads.set(this, upload);
      upload.then((fileId) => {
        if (fileId || avatarUploads.get(this) !== upload) return;
        avatarUploads.delete(this);
        this.setData({ avatar: this.data.profile.avatar, avatarNote: AVATAR_FAILED, _avatarPicked: false });
      });
    },
    /** Only what changed is sent; null when nothing did. */
    async changes(): Promise<ProfileUpdate | null> {
      const { nickname, birthday, profile } = this.data;
      const update: ProfileUpdate = {};
      if (nickname.trim() && nickname.trim() !== profile.nickname) update.nickname = nickname.trim();
      if (this.data._avatarPicked) {
        const fileId = await (avatarUploads.get(this) ?? Promise.resolve(null));
        if (fileId) update.avatar = fileId;
      }
      if (birthday && !profile.birthday) update.birthday = birthday;
      return Object.keys(update).length ? update : null;
    },
    async onSave() {
      if (this.data.saving) return;
      const update = await this.changes();
      if (!update) return this.setData({ saveError: '没有要保存的修改' });
      if (update.birthday && !(await askOnce(birthdayQuestion(update.birthday)))) return;
      const requestId = this.data._saveRequestId || newRequestId();
      this.setData({ saving: true, saveError: '', _saveRequestId: requestId });
      const res = await call('member', 'member.profile.update', update, { requestId });
      if (!res.ok) return this.refused(res.error);
      const profile = toProfileView(res.data);
      avatarUploads.delete(this);
      this.setData({ saving: false, profile, nickname: profile.nickname, avatar: profile.avatar, birthday: '', _avatarPicked: false, _saveRequestId: '' });
      wx.showToast({ title: '已保存', icon: 'success' });
    },
    refused(error: ApiError) {
      const retry = error.code === 'UNAVAILABLE' || error.code === 'INTERNAL';
      this.setData({ saving: false, saveError: error.fields?.[0]?.message ?? error.message, _saveRequestId: retry ? this.data._saveRequestId : '' });
    },
    onOpenPrivacy() {
      wx.navigateTo({ url: MEMBER_PAGES.privacy });
    },
    onOpenExport() {
      wx.navigateTo({ url: MEMBER_PAGES.export });
    },
    onJoin() {
      wx.redirectTo({ url: joinUrl() });
    },
    async onDelete() {
      if (this.data.deleting || !(await confirmDelete())) return;
      const requestId = this.data._deleteRequestId || newRequestId();
      this.setData({ deleting: true, _deleteRequestId: requestId });
      const res = await deleteAccount(requestId);
      this.setData({ deleting: false });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      this.setData({ _deleteRequestId: '' });
      leaveAfterDelete();
    },
  },
});
