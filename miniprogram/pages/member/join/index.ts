/**
 * 加入会员 (`?scene=…&benefit=…` from a package card, or plain from 首页 / 我的): the privacy notice
 * in brief, an explicit consent, optional nickname, avatar and birthday, and the getPhoneNumber button
 * that joins in the same tap. One request id per sign-up: a retry after a lost answer makes one member.
 */
import type { ApiError, JoinRequest } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import { AVATAR_FAILED, uploadAvatar } from '../avatar';
import { rememberJoin } from '../joined';
import { couponUrl, MEMBER_PAGES } from '../links';
import { type JoinedView, type NoticeView, today, toJoinedView, toNoticeView } from './view';

type Status = 'loading' | 'error' | 'ready' | 'joined';

const EMPTY_NOTICE: NoticeView = { title: '', effectiveDate: '', summary: '' };
const PHONE_DECLINED = '需要授权手机号才能加入会员，可以再点一次「授权手机号并加入」';
const PHONE_EXPIRED = '手机号授权已失效，请再点一次「授权手机号并加入」';

/** Avatar uploads under way, per page instance (not data: nothing to render). */
const avatarUploads = new WeakMap<object, Promise<string | null>>();

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    benefit: '',
    notice: EMPTY_NOTICE,
    accepted: false,
    nickname: '',
    avatar: '',
    avatarNote: '',
    birthday: '',
    today: today(),
    joining: false,
    joinError: '',
    /** The last try failed on the way (network): 重试加入 sends it again as it was. */
    canRetry: false,
    joined: null as JoinedView | null,
    _scene: '',
    /** The invite token of the friend who sent them (credits that friend), '' without one. */
    _invite: '',
    _privacyVersion: '',
    _requestId: '',
    /** The request id above was sent at least once. */
    _sent: false,
    _phoneCode: '',
    _couponId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _scene: queryParam(query, 'scene'), _invite: queryParam(query, 'invite'), benefit: queryParam(query, 'benefit') });
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      const [home, notice] = await Promise.all([call('member', 'member.home', {}), call('member', 'member.privacy', {})]);
      if (!home.ok || !notice.ok) {
        const { message } = !home.ok ? home.error : (notice as { error: ApiError }).error;
        return this.setData({ status: 'error', errorMessage: message });
      }
      const { member } = home.data;
      if (member) {
        // Joining again would only spend a phone-number decode: say so instead.
        const joined: JoinedView = { title: '你已经是会员了', phone: member.phoneMasked, devPhone: member.phoneIsDevelopment, outcome: null };
        return this.setData({ status: 'joined', joined });
      }
      this.setData({ status: 'ready', notice: toNoticeView(notice.data), _privacyVersion: notice.data.version });
    },
    onToggleConsent() {
      this.setData({ accepted: !this.data.accepted, joinError: '' });
    },
    onOpenPrivacy() {
      wx.navigateTo({ url: MEMBER_PAGES.privacy });
    },
    onNickname(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ nickname: e.detail.value });
    },
    onBirthday(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ birthday: e.detail.value });
    },
    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      const { avatarUrl } = e.detail;
      if (!avatarUrl) return;
      this.setData({ avatar: avatarUrl, avatarNote: '' });
      const upload = uploadAvatar(avatarUrl);
      avatarUploads.set(this, upload);
      upload.then((fileId) => {
        if (!fileId && avatarUploads.get(this) === upload) this.setData({ avatar: '', avatarNote: AVATAR_FAILED });
      });
    },
    /** `bindgetphonenumber`: the person answered WeChat's phone-number sheet. */
    onPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg?: string }>) {
      if (!this.data.accepted || this.data.joining) return;
      const { code } = e.detail;
      if (!code) return this.setData({ joinError: PHONE_DECLINED, canRetry: false });
      this.setData({ _phoneCode: code });
      this.join();
    },
    onRetryJoin() {
      if (this.data.canRetry && this.data._phoneCode) this.join();
    },
    async join() {
      const requestId = this.data._requestId || newRequestId();
      const repeated = this.data._sent;
      this.setData({ joining: true, joinError: '', canRetry: false, _requestId: requestId, _sent: true });
      const avatar = await (avatarUploads.get(this) ?? Promise.resolve(null));
      const { nickname, birthday, _scene: scene } = this.data;
      const request: JoinRequest = {
        phoneCode: this.data._phoneCode,
        privacyAccepted: this.data.accepted,
        privacyVersion: this.data._privacyVersion,
      };
      if (nickname.trim()) request.nickname = nickname.trim();
      if (avatar) request.avatar = avatar;
      if (birthday) request.birthday = birthday;
      if (scene) request.scene = scene;
      if (this.data._invite) request.invite = this.data._invite;
      const res = await call('member', 'member.join', request, { requestId });
      if (!res.ok) return this.refused(res.error);
      rememberJoin(res.data.card);
      const joined = toJoinedView(res.data, repeated);
      this.setData({ status: 'joined', joining: false, joined, _couponId: joined.outcome?.couponId ?? '', _requestId: '', _phoneCode: '' });
    },
    refused(error: ApiError) {
      const update: Record<string, unknown> = { joining: false, joinError: error.fields?.[0]?.message ?? error.message };
      if (error.code === 'UNAVAILABLE' || error.code === 'INTERNAL') update.canRetry = true;
      // A phone code works once and for 5 minutes: the next one comes from another tap of the button.
      if (error.code === 'EXPIRED') Object.assign(update, { joinError: PHONE_EXPIRED, _phoneCode: '' });
      this.setData(update);
      // The notice may have changed since it was shown: show the new one, to be accepted again.
      if (error.code === 'CONFLICT') this.refreshNotice();
    },
    async refreshNotice() {
      const res = await call('member', 'member.privacy', {});
      if (!res.ok || res.data.version === this.data._privacyVersion) return;
      this.setData({ notice: toNoticeView(res.data), accepted: false, _privacyVersion: res.data.version });
    },
    onUse() {
      wx.redirectTo({ url: couponUrl(this.data._couponId) });
    },
    onOpenCard() {
      wx.switchTab({ url: TAB_URLS.home });
    },
    onBind() {
      wx.redirectTo({ url: MEMBER_PAGES.bind });
    },
  },
});
