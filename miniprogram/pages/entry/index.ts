/**
 * 包裹卡落地页 (`pages/entry/index?scene=…`, opened by scanning the card in a parcel): the founder's
 * letter, the card's benefit, and ONE button. Non-members join with the card (the join page);
 * members claim it here; a used, expired, withdrawn or unreadable card still invites the customer in.
 */
import type { ApiResult, CardScanView, ErrorCode } from '../../../typings';
import { TAB_URLS } from '../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../services/api';
import { takeJoin } from '../member/joined';
import { INVITE_PAGE } from '../invite/view';
import { inviteFromQuery, type InviteLandingView, toInviteLandingView } from './invite';
import { couponUrl, joinUrl } from '../member/links';
import { type OutcomeView, toOutcome } from './outcome';
import { sceneFromQuery } from './scene';
import { afterJoin, type LandingView, toLandingView, unreadableCard } from './view';

type Status = 'loading' | 'error' | 'ready' | 'done';

/** Refusals of a claim that another tap with the same request cannot change. */
const RETRYABLE: ErrorCode[] = ['UNAVAILABLE', 'INTERNAL', 'CONFLICT'];

function scan(scene: string): Promise<ApiResult<CardScanView>> {
  if (!scene) return Promise.resolve({ ok: true, data: unreadableCard() });
  return call('card', 'card.scan', { scene });
}

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    landing: null as LandingView | null,
    claiming: false,
    claimError: '',
    outcome: null as OutcomeView | null,
    /** Set instead of `landing` when the page was opened with a friend's invite. */
    invite: null as InviteLandingView | null,
    _scene: '',
    _invite: '',
    /** What the cloud said about the card, kept to show it again after a join without a new scan. */
    _scan: null as CardScanView | null,
    _couponId: '',
    /** One id per claim intent: a retry after a lost answer claims nothing twice. */
    _claimRequestId: '',
    /** Gone to the join page: the landing updates on the way back if the customer joined. */
    _away: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const scene = sceneFromQuery(query);
      const invite = inviteFromQuery(query, scene);
      this.setData(invite ? { _invite: invite } : { _scene: scene });
      this.load();
    },
    onShow() {
      if (!this.data._away) return;
      this.setData({ _away: false });
      if (this.data._invite) {
        if (takeJoin()) this.load(true);
        return;
      }
      // Back from the join page: if they joined, the card is shown as it now stands for a member.
      const joined = takeJoin();
      const scan = this.data._scan;
      if (!joined || !scan) return;
      const now = afterJoin(scan, joined.card);
      this.setData({ landing: toLandingView(now, true), _scan: now, _couponId: now.couponId ?? '' });
    },
    onRetry() {
      this.load();
    },
    async load(quiet = false) {
      if (this.data._invite) return this.loadInvite(quiet);
      if (!quiet) this.setData({ status: 'loading' });
      const [card, home] = await Promise.all([scan(this.data._scene), call('member', 'member.home', {})]);
      if (!card.ok || !home.ok) {
        const { message } = !card.ok ? card.error : (home as { error: { message: string } }).error;
        if (quiet && this.data.status !== 'loading') wx.showToast({ title: message, icon: 'none' });
        else this.setData({ status: 'error', errorMessage: message });
        return;
      }
      this.setData({
        status: 'ready',
        landing: toLandingView(card.data, !!home.data.member),
        claimError: '',
        _scan: card.data,
        _couponId: card.data.couponId ?? '',
      });
    },
    async loadInvite(quiet: boolean) {
      if (!quiet) this.setData({ status: 'loading' });
      const [opened, home] = await Promise.all([call('growth', 'invite.open', { token: this.data._invite }), call('member', 'member.home', {})]);
      if (!opened.ok || !home.ok) {
        const { message } = !opened.ok ? opened.error : (home as { error: { message: string } }).error;
        return this.setData({ status: 'error', errorMessage: message });
      }
      this.setData({ status: 'ready', invite: toInviteLandingView(opened.data, !!home.data.member) });
    },
    onInviteAction() {
      const { invite } = this.data;
      if (!invite) return;
      if (invite.action === 'card') return this.onOpenCard();
      if (invite.action === 'invite') return wx.redirectTo({ url: INVITE_PAGE });
      takeJoin(); // only a sign-up made from here counts on the way back
      this.setData({ _away: true });
      wx.navigateTo({ url: joinUrl({ invite: this.data._invite }) });
    },
    onAction() {
      const { landing, claiming } = this.data;
      if (!landing || claiming) return;
      if (landing.action === 'join') return this.openJoin(landing);
      if (landing.action === 'claim') return this.claim();
      if (landing.action === 'use') return wx.navigateTo({ url: couponUrl(this.data._couponId) });
      return this.onOpenCard();
    },
    openJoin(landing: LandingView) {
      // An unreadable scene is left behind: the join would only be told it is invalid.
      const scene = landing.state === 'invalid' ? '' : this.data._scene;
      const benefit = landing.state === 'fresh' ? landing.benefit : '';
      takeJoin(); // forget any earlier sign-up: only one made from here counts on the way back
      this.setData({ _away: true });
      wx.navigateTo({ url: joinUrl({ scene, benefit }) });
    },
    async claim() {
      const repeated = !!this.data._claimRequestId;
      const requestId = this.data._claimRequestId || newRequestId();
      this.setData({ claiming: true, claimError: '', _claimRequestId: requestId });
      const res = await call('member', 'member.claimCard', { scene: this.data._scene }, { requestId });
      if (!res.ok) {
        const again = RETRYABLE.includes(res.error.code);
        this.setData({ claiming: false, claimError: res.error.message, _claimRequestId: again ? requestId : '' });
        // No longer a member (the account was deleted elsewhere): the page offers joining again.
        if (res.error.code === 'NOT_FOUND') this.load(true);
        return;
      }
      const outcome = toOutcome(res.data, repeated);
      this.setData({ status: 'done', claiming: false, outcome, _couponId: outcome.couponId, _claimRequestId: '' });
    },
    onUseClaimed() {
      wx.redirectTo({ url: couponUrl(this.data._couponId) });
    },
    onOpenCard() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
