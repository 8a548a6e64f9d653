/**
 * 会员分层 (admin and up): how many members each segment holds, the rules that place them (saved
 * rules are audited and applied by the next timer run), tags in use, and, for the owner, a CSV export
 * of a segment with masked phones.
 */
import type { SegmentKey, SegmentsView } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterWith } from '../../shared/load';
import { exportFromPage } from '../../shared/steps';
import { type CountRow, type ExportRow, parseForm, type RulesForm, statusLine, toCountRows, toExportRow, toForm } from './view';

type FormEvent = WechatMiniprogram.Input & { currentTarget: { dataset: { field: keyof RulesForm } } };

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    status: '',
    rows: [] as CountRow[],
    tags: [] as { name: string; count: number }[],
    canEdit: false,
    canExport: false,
    form: null as RulesForm | null,
    saving: false,
    formError: '',
    exporting: false,
    exportRow: null as ExportRow | null,
    exportError: '',
    _rulesRequestId: '',
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
      const opened = await enterWith(this, 'segments', () => call('admin', 'segment.overview', {}));
      if (!opened) return;
      const { data: view, home } = opened;
      this.show(view);
      this.setData({ gate: 'ready', canEdit: home.abilities.editSegmentRules, canExport: home.abilities.exportSegments, form: toForm(view.rules), _rulesRequestId: '' });
    },
    show(v: SegmentsView) {
      this.setData({ status: statusLine(v), rows: toCountRows(v), tags: v.tags });
    },
    onField(e: FormEvent) {
      // Other rules are another intent: they get their own request id.
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, formError: '', _rulesRequestId: '' });
    },
    async onSave() {
      if (this.data.saving || !this.data.form) return;
      const parsed = parseForm(this.data.form);
      if (!parsed.ok) return this.setData({ formError: parsed.message });
      const requestId = this.data._rulesRequestId || newRequestId();
      this.setData({ saving: true, formError: '', _rulesRequestId: requestId });
      const res = await call('admin', 'segment.rules.set', parsed.rules, { requestId });
      if (!res.ok) return this.setData({ saving: false, formError: errorText(res.error) });
      this.show(res.data);
      this.setData({ saving: false, form: toForm(res.data.rules) });
      wx.showToast({ title: '规则已保存', icon: 'success' });
    },

    // ---- export (owner) ------------------------------------------------------------------------

    async onExport(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { segment: SegmentKey }>) {
      if (this.data.exporting) return;
      const { segment } = e.currentTarget.dataset;
      await exportFromPage(
        this,
        () => call('admin', 'segment.export.start', { segment }, { requestId: newRequestId() }),
        (exportId) => call('admin', 'segment.export.continue', { exportId }),
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
