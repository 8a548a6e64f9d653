/**
 * 核销 (staff, clerk and up): scan the customer's QR or type the code, enter the order amount, check
 * the coupon and its holder, then confirm. Admins can undo a redemption on the success screen.
 * The cloud checks the staff role on every action; the forbidden screen is only a courtesy.
 */
import type { ErrorCode } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { rememberViewer } from '../../../services/viewer';
import { errorText } from '../index/view';
import { parseYuan } from './amount';
import { type CheckView, type DoneView, toCheckView, toDoneView } from './view';

type Status = 'loading' | 'error' | 'forbidden' | 'ready';

/** Refusals that a second tap cannot change: the coupon is closed, or this person is not staff. */
const FINAL: ErrorCode[] = ['ALREADY_USED', 'EXPIRED', 'NOT_FOUND', 'FORBIDDEN'];

const EMPTY_FORM = { code: '', amount: '', orderRef: '' };

type InputEvent = WechatMiniprogram.Input;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    /** Admins and the owner may undo a redemption (the cloud enforces the same). */
    canReverse: false,
    form: EMPTY_FORM,
    formError: '',
    checking: false,
    check: null as CheckView | null,
    redeeming: false,
    redeemError: '',
    done: null as DoneView | null,
    reverseOpen: false,
    reverseReason: '',
    reversing: false,
    reverseError: '',
    reversed: false,
    /** The code (as the cloud wrote it) and amount the shown check was made for: what 确认核销 redeems. */
    _checked: null as { code: string; amountFen: number } | null,
    /** One id per confirmation of one check, reused when 确认核销 is tapped again after a failure. */
    _redeemRequestId: '',
    /** One id per undo of one redemption. */
    _reverseRequestId: '',
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
      this.setData({ status: 'ready', canReverse: member.role !== 'clerk' });
    },

    // ---- the code and the order ----------------------------------------------------------------

    onScan() {
      wx.scanCode({
        onlyFromCamera: false,
        scanType: ['qrCode'],
        success: (res) => {
          this.setData({ 'form.code': res.result.trim(), check: null, formError: '' });
          // The amount is usually typed first; then the scan alone is enough to check.
          if (this.data.form.amount.trim()) this.onCheck();
        },
        fail: (err) => {
          if (!/cancel/.test(err.errMsg)) wx.showToast({ title: '扫码失败，请重试或手动输入券码', icon: 'none' });
        },
      });
    },
    onCodeInput(e: InputEvent) {
      this.setData({ 'form.code': e.detail.value, check: null, formError: '' });
    },
    onAmountInput(e: InputEvent) {
      this.setData({ 'form.amount': e.detail.value, check: null, formError: '' });
    },
    onOrderRefInput(e: InputEvent) {
      this.setData({ 'form.orderRef': e.detail.value });
    },
    async onCheck() {
      if (this.data.checking) return;
      const code = this.data.form.code.trim();
      if (!code) return this.setData({ formError: '请扫描或输入券码' });
      const amount = parseYuan(this.data.form.amount);
      if (!amount.ok) return this.setData({ formError: amount.message });
      this.setData({ checking: true, formError: '', check: null, redeemError: '' });
      const res = await call('coupon', 'coupon.verify', { code, orderAmountFen: amount.fen });
      if (!res.ok) return this.setData({ checking: false, formError: errorText(res.error) });
      this.setData({
        checking: false,
        check: toCheckView(res.data, amount.fen),
        _checked: { code: res.data.coupon.code, amountFen: amount.fen },
        _redeemRequestId: '',
      });
    },

    // ---- confirming ----------------------------------------------------------------------------

    async onRedeem() {
      const { check, _checked: checked, redeeming } = this.data;
      if (redeeming || !check || !check.canRedeem || !checked) return;
      const requestId = this.data._redeemRequestId || newRequestId();
      this.setData({ redeeming: true, redeemError: '', _redeemRequestId: requestId });
      const orderRef = this.data.form.orderRef.trim();
      const res = await call('coupon', 'coupon.redeem', { code: checked.code, orderAmountFen: checked.amountFen, orderRef }, { requestId });
      if (!res.ok) {
        if (FINAL.includes(res.error.code)) {
          // e.g. another till redeemed it a moment ago: the check now says why, with no button.
          return this.setData({ redeeming: false, 'check.canRedeem': false, 'check.reason': res.error.message, _redeemRequestId: '' });
        }
        return this.setData({ redeeming: false, redeemError: errorText(res.error) });
      }
      this.setData({ redeeming: false, check: null, done: toDoneView(res.data, check), _redeemRequestId: '' });
    },

    // ---- undoing (admins) ----------------------------------------------------------------------

    onOpenReverse() {
      this.setData({ reverseOpen: true });
    },
    onReasonInput(e: InputEvent) {
      this.setData({ reverseReason: e.detail.value, reverseError: '' });
    },
    async onReverse() {
      const { done, reversing } = this.data;
      if (reversing || !done) return;
      const reason = this.data.reverseReason.trim();
      if (!reason) return this.setData({ reverseError: '请填写撤销原因' });
      // Same undo, same id, even if the reason is edited after a failure: it must not undo twice.
      const requestId = this.data._reverseRequestId || newRequestId();
      this.setData({ reversing: true, reverseError: '', _reverseRequestId: requestId });
      const res = await call('coupon', 'coupon.reverse', { couponId: done.couponId, reason }, { requestId });
      if (!res.ok) return this.setData({ reversing: false, reverseError: errorText(res.error) });
      this.setData({ reversing: false, reversed: true, reverseOpen: false });
    },

    // ---- next ----------------------------------------------------------------------------------

    onNext() {
      this.setData({
        form: EMPTY_FORM,
        formError: '',
        check: null,
        redeemError: '',
        done: null,
        reverseOpen: false,
        reverseReason: '',
        reverseError: '',
        reversed: false,
        _checked: null,
        _redeemRequestId: '',
        _reverseRequestId: '',
      });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
