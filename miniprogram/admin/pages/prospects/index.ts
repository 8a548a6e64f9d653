/**
 * 潜力买家 (admin and up): buyers in the imported orders who are not members yet, ranked by spend,
 * order count or the latest order under the merchant's thresholds, phones masked; the owner exports
 * the whole ranking as CSV (masked phones too), in steps.
 */
import type { ProspectFilter, ProspectSort, ProspectsView } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterWith, runInto } from '../../shared/load';
import { exportFromPage } from '../../shared/steps';
import { type BuyerRow, countLine, type ExportRow, type FilterForm, parseFilter, SORTS, statusLine, toBuyerRow, toExportRow, toForm } from './view';

type FieldEvent = WechatMiniprogram.Input & { currentTarget: { dataset: { field: keyof FilterForm } } };
type SortEvent = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { sort: ProspectSort }>;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    status: '',
    count: '',
    rows: [] as BuyerRow[],
    nextOffset: null as number | null,
    sorts: SORTS,
    sort: 'spent' as ProspectSort,
    form: { minSpent: '', minOrders: '', withinDays: '' } as FilterForm,
    formError: '',
    listing: false,
    refreshing: false,
    canExport: false,
    exporting: false,
    exportRow: null as ExportRow | null,
    exportError: '',
    _filter: null as ProspectFilter | null,
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
      const opened = await enterWith(this, 'prospects', () => call('admin', 'prospect.list', this.data._filter ?? {}));
      if (!opened) return;
      const { data: view, home } = opened;
      this.setData({ gate: 'ready', canExport: home.abilities.exportProspects, form: toForm(view.filter), sort: view.filter.sort, ...this.listed(view, false) });
    },
    /** The data that shows one page of the ranking. */
    listed(v: ProspectsView, append: boolean) {
      const rows = v.rows.map(toBuyerRow);
      return { status: statusLine(v), count: countLine(v), rows: append ? [...this.data.rows, ...rows] : rows, nextOffset: v.nextOffset, _filter: v.filter };
    },
    onField(e: FieldEvent) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, formError: '' });
    },
    onSort(e: SortEvent) {
      this.setData({ sort: e.currentTarget.dataset.sort });
      this.onApply();
    },
    async onApply() {
      const parsed = parseFilter(this.data.form, this.data.sort);
      if (!parsed.ok) return this.setData({ formError: parsed.message });
      await this.list(parsed.filter, 0);
    },
    async onMore() {
      if (this.data._filter && this.data.nextOffset !== null) await this.list(this.data._filter, this.data.nextOffset);
    },
    async list(filter: ProspectFilter, offset: number) {
      if (this.data.listing) return;
      await runInto(this, { busy: 'listing', error: 'formError' }, () => call('admin', 'prospect.list', { ...filter, offset }), (v) => this.listed(v, offset > 0), errorText);
    },
    async onRefresh() {
      if (this.data.refreshing) return;
      this.setData({ refreshing: true });
      const res = await call('admin', 'prospect.refresh', {}, { requestId: newRequestId() });
      this.setData({ refreshing: false });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      if (this.data._filter) await this.list(this.data._filter, 0);
    },

    // ---- export (owner) ------------------------------------------------------------------------

    async onExport() {
      const filter = this.data._filter;
      if (this.data.exporting || !filter) return;
      await exportFromPage(
        this,
        () => call('admin', 'prospect.export.start', filter, { requestId: newRequestId() }),
        (exportId) => call('admin', 'prospect.export.continue', { exportId }),
        toExportRow,
      );
    },
    onCopyLink() {
      const row = this.data.exportRow;
      if (row && row.url) wx.setClipboardData({ data: row.url });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
