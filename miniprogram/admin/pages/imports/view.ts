/** What the order import renders: the platforms, a preview of the file, a job's progress and outcome. */
import type { ImportJobView, ImportPreset, ImportPreview, OrderField, OrderPlatform } from '../../../../typings';
import { shanghaiMinute, yuan } from '../../shared/format';

export interface PlatformOption {
  value: OrderPlatform;
  label: string;
  note: string;
}

export const toPlatformOption = (p: ImportPreset): PlatformOption => ({ value: p.platform, label: p.label, note: p.note });

const FIELD_LABELS: Record<OrderField, string> = {
  orderNo: '订单号',
  phone: '手机号',
  amount: '金额',
  paidAt: '付款时间',
  product: '商品',
  quantity: '数量',
  status: '订单状态',
};

export interface PreviewView {
  columns: string[];
  sample: { key: string; line: string }[];
  errors: string[];
  summary: string;
  more: string;
}

export function toPreviewView(p: ImportPreview): PreviewView {
  return {
    columns: (Object.keys(p.columns) as OrderField[]).map((f) => `${FIELD_LABELS[f]} ← ${p.columns[f]}`),
    sample: p.sample.slice(0, 5).map((o) => ({ key: `${o.row}`, line: `第 ${o.row} 行 · ${o.orderNo} · ${o.phoneMasked} · ${yuan(o.amountFen)} 元 · ${shanghaiMinute(o.paidAt)}` })),
    errors: p.errors.slice(0, 10).map((e) => `第 ${e.row} 行：${e.reason}`),
    summary: `检查了 ${p.checkedRows} 行：新订单 ${p.wouldCreate}，更新 ${p.wouldUpdate}，已绑定会员 ${p.alreadyBound}，有问题 ${p.errors.length}`,
    more: p.more ? `文件较大，只预览了前 ${p.checkedLimit} 行；导入时会处理全部` : '',
  };
}

export interface JobView {
  id: string;
  status: ImportJobView['status'];
  title: string;
  line: string;
  percent: number;
  errors: string[];
  /** How long the uploaded file is kept (the cloud deletes it 30 days after the import). */
  fileNote: string;
}

function fileNote(j: ImportJobView): string {
  if (!j.fileExpiresAt) return '';
  const at = shanghaiMinute(j.fileExpiresAt);
  return j.fileDeleted ? `上传的文件已按期删除（保留至 ${at}），导入结果仍保留` : `上传的文件保留至 ${at}，之后自动删除`;
}

const STATUS: Record<ImportJobView['status'], string> = { running: '导入中', done: '已完成', failed: '失败' };

export function toJobView(j: ImportJobView, labels: Partial<Record<OrderPlatform, string>>): JobView {
  const line =
    j.status === 'failed'
      ? (j.failure ?? '导入失败')
      : `新增 ${j.created} · 更新 ${j.updated} · 未变 ${j.unchanged} · 已绑定跳过 ${j.skippedBound} · 有问题 ${j.errorCount}`;
  return {
    id: j.id,
    status: j.status,
    title: `${labels[j.platform] ?? j.platform} · ${shanghaiMinute(j.createdAt)} · ${STATUS[j.status]}${j.status === 'running' ? ` ${j.percent}%` : ''}`,
    line,
    percent: j.percent,
    errors: j.errors.slice(0, 5).map((e) => `第 ${e.row} 行：${e.reason}`),
    fileNote: fileNote(j),
  };
}
