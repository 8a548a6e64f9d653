/**
 * 导入订单 (admin and up): pick the platform, choose the order export that was sent to the phone (a
 * chat file), check a preview (columns found, sample rows, problems), then import it in steps with
 * its progress. Past imports are listed below.
 */
import type { OrderPlatform } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { errorText } from '../../shared/format';
import { enterArea } from '../../shared/load';
import { STILL_RUNNING, stepUntilDone } from '../../shared/steps';
import { uploadCsv } from './upload';
import { type JobView, type PlatformOption, type PreviewView, toJobView, toPlatformOption, toPreviewView } from './view';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    platforms: [] as PlatformOption[],
    platform: 'taobao' as OrderPlatform,
    note: '',
    fileName: '',
    busy: '',
    error: '',
    preview: null as PreviewView | null,
    job: null as JobView | null,
    jobs: [] as JobView[],
    _fileId: '',
    _labels: {} as Partial<Record<OrderPlatform, string>>,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onRetry() {
      this.load();
    },
    async load() {
      if (!(await enterArea(this, 'imports'))) return;
      const [presets, jobs] = await Promise.all([call('admin', 'order.import.presets', {}), call('admin', 'order.import.list', {})]);
      if (!presets.ok) return this.setData({ gate: 'error', gateMessage: presets.error.message });
      const platforms = presets.data.presets.map(toPlatformOption);
      const labels = Object.fromEntries(platforms.map((p) => [p.value, p.label]));
      this.setData({
        gate: 'ready',
        platforms,
        note: platforms.find((p) => p.value === this.data.platform)?.note ?? '',
        jobs: jobs.ok ? jobs.data.jobs.map((j) => toJobView(j, labels)) : [],
        _labels: labels,
      });
    },
    onPickPlatform(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { platform: OrderPlatform }>) {
      const platform = e.currentTarget.dataset.platform;
      this.setData({ platform, note: this.data.platforms.find((p) => p.value === platform)?.note ?? '', error: '' });
      if (this.data._fileId) this.previewFile();
    },
    onChooseFile() {
      wx.chooseMessageFile({
        count: 1,
        type: 'file',
        extension: ['csv'],
        success: (res) => {
          const [file] = res.tempFiles;
          if (file) this.uploadAndPreview(file.path, file.name);
        },
        fail: (err) => {
          if (!/cancel/.test(err.errMsg)) this.setData({ error: '没能打开聊天文件，请重试' });
        },
      });
    },
    async uploadAndPreview(path: string, name: string) {
      if (!/\.csv$/i.test(name)) return this.setData({ error: '请选择 .csv 格式的订单表格（在平台后台导出时选 CSV）' });
      this.setData({ busy: '正在上传…', error: '', preview: null, job: null, fileName: name, _fileId: '' });
      const uploaded = await uploadCsv(path, name);
      if (!uploaded.ok) return this.setData({ busy: '', error: uploaded.message });
      this.setData({ _fileId: uploaded.fileId });
      await this.previewFile();
    },
    async previewFile() {
      this.setData({ busy: '正在检查文件…', error: '', preview: null });
      const res = await call('admin', 'order.import.preview', { fileId: this.data._fileId, platform: this.data.platform });
      if (!res.ok) return this.setData({ busy: '', error: errorText(res.error) });
      this.setData({ busy: '', preview: toPreviewView(res.data) });
    },
    async onImport() {
      if (this.data.busy || !this.data._fileId) return;
      this.setData({ busy: '正在导入…', error: '' });
      const first = await call('admin', 'order.import.start', { fileId: this.data._fileId, platform: this.data.platform }, { requestId: newRequestId() });
      const { result, gaveUp } = await stepUntilDone(
        first,
        (job) => call('admin', 'order.import.step', { jobId: job.id }),
        (job) => ({ status: job.status, progress: job.rowsRead }),
        (job) => this.setData({ job: toJobView(job, this.data._labels) }),
      );
      if (!result.ok) return this.setData({ busy: '', error: `${errorText(result.error)}（已导入的部分会由后台继续完成）` });
      const job = toJobView(result.data, this.data._labels);
      this.setData({
        busy: '',
        job,
        error: gaveUp ? STILL_RUNNING : '',
        preview: null,
        _fileId: '',
        fileName: '',
        jobs: [job, ...this.data.jobs.filter((j) => j.id !== job.id)],
      });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
