/**
 * 离职继承 (admins): every member of a departing staff member goes to colleagues in one action,
 * spread evenly over the chosen ones or all to one person; the progress shows until it is done.
 */
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterWith } from '../../shared/load';
import type { OwnershipStaffLoad } from '../../../../typings';
import { type HandoverProgress, sources, type StaffChip, targets, toProgress } from './view';

type Mode = 'even' | 'one';
type ChipEvent = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    sources: [] as StaffChip[],
    targets: [] as StaffChip[],
    fromId: '',
    mode: 'even' as Mode,
    /** openid → chosen, for the targets. */
    chosen: {} as Record<string, boolean>,
    reason: '员工离职',
    running: false,
    formError: '',
    progress: null as HandoverProgress | null,
    _staff: [] as OwnershipStaffLoad[],
    _startRequestId: '',
  },
  methods: {
    onLoad() {
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      const opened = await enterWith(this, 'handover', () => call('community', 'ownership.summary', {}));
      if (!opened) return;
      this.setData({ gate: 'ready', _staff: opened.data.staff, sources: sources(opened.data.staff) });
    },
    onPickFrom(e: ChipEvent) {
      const fromId = e.currentTarget.dataset.id;
      const list = targets(this.data._staff, fromId);
      const chosen: Record<string, boolean> = {};
      for (const t of list) chosen[t.openid] = this.data.mode === 'even';
      this.setData({ fromId, targets: list, chosen, formError: '', _startRequestId: '' });
    },
    onPickMode(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { mode: Mode }>) {
      const mode = e.currentTarget.dataset.mode;
      const chosen: Record<string, boolean> = {};
      for (const t of this.data.targets) chosen[t.openid] = mode === 'even';
      this.setData({ mode, chosen, formError: '', _startRequestId: '' });
    },
    onToggleTarget(e: ChipEvent) {
      const id = e.currentTarget.dataset.id;
      if (this.data.mode === 'one') {
        const chosen: Record<string, boolean> = {};
        chosen[id] = true;
        this.setData({ chosen, formError: '', _startRequestId: '' });
      } else {
        this.setData({ [`chosen.${id}`]: !this.data.chosen[id], formError: '', _startRequestId: '' });
      }
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ reason: e.detail.value, formError: '', _startRequestId: '' });
    },
    async onStart() {
      if (this.data.running) return;
      const { fromId, chosen, reason } = this.data;
      const from = this.data.sources.find((s) => s.openid === fromId);
      const toStaffIds = this.data.targets.filter((t) => chosen[t.openid]).map((t) => t.openid);
      if (!from) return this.setData({ formError: '请选择离职的员工' });
      if (!toStaffIds.length) return this.setData({ formError: '请选择接手的员工' });
      if (!reason.trim()) return this.setData({ formError: '请填写原因' });
      const names = this.data.targets.filter((t) => chosen[t.openid]).map((t) => t.label.split('（')[0]);
      const how = toStaffIds.length === 1 ? `全部交给 ${names[0]}` : `平均分给 ${names.join('、')}`;
      const { confirm } = await wx.showModal({
        title: '确认离职继承',
        content: `${from.label.split('（')[0]} 的 ${from.members} 位会员将${how}。会员的资料、订单和优惠券都不变。`,
        confirmText: '开始交接',
      });
      if (!confirm) return;
      const requestId = this.data._startRequestId || newRequestId();
      this.setData({ running: true, formError: '', _startRequestId: requestId });
      let res = await call('community', 'ownership.handover.start', { fromStaffId: fromId, toStaffIds, reason: reason.trim() }, { requestId });
      while (res.ok && res.data.status === 'running') {
        this.setData({ progress: toProgress(res.data) });
        res = await call('community', 'ownership.handover.continue', { handoverId: res.data.id }, { requestId: newRequestId() });
      }
      if (!res.ok) {
        // Once started, the timer finishes the handover even if this page cannot follow it.
        const note = this.data.progress ? '，交接会在后台继续完成' : '';
        return this.setData({ running: false, formError: `${errorText(res.error)}${note}` });
      }
      this.setData({ running: false, _startRequestId: '', progress: toProgress(res.data) });
    },
    async onAgain() {
      this.setData({ progress: null, fromId: '', targets: [], chosen: {} });
      await this.load();
    },
  },
});
