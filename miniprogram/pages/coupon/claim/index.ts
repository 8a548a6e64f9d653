/**
 * 领取优惠券 (`?templateId=…`, opened from a coupon campaign on 首页): the offer, one claim button,
 * and after the claim the way to use it. The expiry reminder is asked for in the same tap.
 */
import type { ErrorCode } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import { askForReminder, reportReminder, type ReminderStatus } from '../reminder';
import { type ClaimedView, type OfferView, refusedOffer, toClaimedView, toOfferView } from './view';

type Status = 'loading' | 'error' | 'gone' | 'ready' | 'claimed';

/** The template id is malformed or unknown: the link is wrong or the coupon was taken down. */
const GONE: ErrorCode[] = ['NOT_FOUND', 'INVALID_INPUT'];

const EMPTY_OFFER: OfferView = {
  benefit: '',
  title: '',
  rules: '',
  validity: '',
  stock: '',
  claimedByMe: 0,
  canClaim: false,
  buttonText: '',
  reason: '',
};

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    offer: EMPTY_OFFER,
    claiming: false,
    claimError: '',
    claimed: null as ClaimedView | null,
    reminder: 'none' as ReminderStatus,
    reminderError: '',
    _templateId: '',
    _reminderTemplateId: '',
    /** The person's answer to the reminder panel in this visit; null until asked (asked once). */
    _reminderAccepted: null as boolean | null,
    /** One id per claim intent: a retry after a lost answer must not claim a second coupon. */
    _claimRequestId: '',
    _reminderRequestId: '',
    _couponId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const templateId = queryParam(query, 'templateId');
      if (!templateId) return this.setData({ status: 'gone' });
      this.setData({ _templateId: templateId });
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      const res = await call('coupon', 'coupon.claimable', { templateId: this.data._templateId });
      if (!res.ok) {
        if (GONE.includes(res.error.code)) return this.setData({ status: 'gone' });
        return this.setData({ status: 'error', errorMessage: res.error.message });
      }
      this.setData({ status: 'ready', offer: toOfferView(res.data), _reminderTemplateId: res.data.reminderTemplateId ?? '' });
      wx.setNavigationBarTitle({ title: res.data.template.title });
    },
    /** Updates the offer in place (no loading screen); on failure the current one stays. */
    async refreshOffer() {
      const res = await call('coupon', 'coupon.claimable', { templateId: this.data._templateId });
      if (!res.ok || this.data.status !== 'ready') return;
      const offer = toOfferView(res.data);
      // A closed offer carries its own reason; the error above would only repeat it.
      this.setData(offer.canClaim ? { offer } : { offer, claimError: '' });
    },
    async onClaim() {
      // A disabled button still reaches here on some clients; the offer decides.
      if (this.data.claiming || !this.data.offer.canClaim) return;
      const requestId = this.data._claimRequestId || newRequestId();
      // Synchronously, before anything is awaited: WeChat opens its panel only from the tap itself.
      const asking = this.askOnce();
      this.setData({ claiming: true, claimError: '', _claimRequestId: requestId });
      const [accepted, res] = await Promise.all([
        asking,
        call('coupon', 'coupon.claim', { templateId: this.data._templateId }, { requestId }),
      ]);
      if (!res.ok) {
        if (GONE.includes(res.error.code)) return this.setData({ claiming: false, status: 'gone' });
        const closed = refusedOffer(this.data.offer, res.error.code, res.error.message);
        if (closed) return this.setData({ claiming: false, offer: closed, _claimRequestId: '' });
        this.setData({ claiming: false, claimError: res.error.message });
        // Paused meanwhile, or too many claims at once: the offer as it stands now says which.
        if (res.error.code === 'CONFLICT') this.refreshOffer();
        return;
      }
      const { coupon } = res.data;
      this.setData({
        status: 'claimed',
        claiming: false,
        claimed: toClaimedView(coupon),
        reminder: accepted === null ? 'none' : accepted ? 'saving' : 'declined',
        _couponId: coupon.id,
        _claimRequestId: '',
      });
      if (accepted) this.saveReminder();
    },
    /** Asks for the reminder on the first claim tap of the visit; a retry reuses that answer. */
    askOnce(): Promise<boolean | null> {
      const { _reminderTemplateId: tmplId, _reminderAccepted: known } = this.data;
      if (!tmplId) return Promise.resolve(null);
      if (known !== null) return Promise.resolve(known);
      return askForReminder(tmplId).then((accepted) => {
        this.setData({ _reminderAccepted: accepted });
        return accepted;
      });
    },
    async saveReminder() {
      const requestId = this.data._reminderRequestId || newRequestId();
      this.setData({ reminder: 'saving', reminderError: '', _reminderRequestId: requestId });
      const res = await reportReminder(this.data._templateId, requestId);
      if (!res.ok) return this.setData({ reminder: 'failed', reminderError: res.error.message });
      this.setData({ reminder: 'on' });
    },
    onRetryReminder() {
      if (this.data.reminder === 'failed') this.saveReminder();
    },
    onShareAppMessage() {
      const { offer, _templateId: templateId } = this.data;
      return { title: offer.title ? `${offer.benefit}｜${offer.title}` : '店铺优惠券', path: `/pages/coupon/claim/index?templateId=${encodeURIComponent(templateId)}` };
    },
    onUse() {
      wx.redirectTo({ url: `/pages/coupon/detail/index?id=${encodeURIComponent(this.data._couponId)}` });
    },
    onOpenWallet() {
      wx.switchTab({ url: TAB_URLS.wallet });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
