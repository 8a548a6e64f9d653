/**
 * One card batch (admin and up): its counts, and its print files. 生成印刷文件 runs the export step
 * by step with its progress; each part gives a PDF (A4, four cards a page) and a ZIP of the codes,
 * as temporary links to copy (a gateway link locally).
 */
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { STILL_RUNNING, stepUntilDone } from '../../shared/steps';
import { enterWith } from '../../shared/load';
import { type BatchView, type ExportRowView, toBatchView, toExportRow } from './view';

type LinkEvent = WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { url: string }>;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    batch: null as BatchView | null,
    exports: [] as ExportRowView[],
    exporting: false,
    exportError: '',
    _batchId: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ _batchId: queryParam(query, 'id') });
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      const opened = await enterWith(this, 'cards', () => call('card', 'card.batch.get', { batchId: this.data._batchId }));
      if (!opened) return;
      this.setData({ gate: 'ready', batch: toBatchView(opened.data.batch), exports: opened.data.exports.map(toExportRow) });
    },
    async onExport() {
      if (this.data.exporting) return;
      this.setData({ exporting: true, exportError: '' });
      const first = await call('card', 'card.export.start', { batchId: this.data._batchId }, { requestId: newRequestId() });
      const { result, gaveUp } = await stepUntilDone(
        first,
        // Each step is its own write (the job's progress makes a repeated step harmless).
        (job) => call('card', 'card.export.continue', { exportId: job.id }, { requestId: newRequestId() }),
        (job) => ({ status: job.status, progress: job.done }),
        (job) => this.showExport(toExportRow(job)),
      );
      if (!result.ok) return this.setData({ exporting: false, exportError: errorText(result.error) });
      this.showExport(toExportRow(result.data));
      this.setData({ exporting: false, exportError: gaveUp ? STILL_RUNNING : '' });
    },
    showExport(row: ExportRowView) {
      const others = this.data.exports.filter((e) => e.id !== row.id);
      this.setData({ exports: [row, ...others] });
    },
    onCopy(e: LinkEvent) {
      wx.setClipboardData({ data: e.currentTarget.dataset.url });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
