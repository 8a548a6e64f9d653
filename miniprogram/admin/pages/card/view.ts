/** What a batch's page renders: the batch, its counts, and its print exports with their links. */
import type { CardBatchView, CardExportView } from '../../../../typings';
import { shanghaiMinute } from '../../shared/format';

export interface BatchView {
  title: string;
  status: string;
  benefit: string;
  letter: string;
  validUntil: string;
  counts: { label: string; value: number }[];
  canExport: boolean;
  note: string;
}

export function toBatchView(b: CardBatchView): BatchView {
  const status = b.status === 'revoked' ? '已作废' : b.expired ? '已过期' : b.status === 'preparing' ? '准备中' : '可用';
  const note = b.status === 'revoked' ? `作废原因：${b.revokeReason ?? ''}` : b.status === 'preparing' ? '卡片福利还在准备，完成后才能导出印刷文件' : '';
  return {
    title: `${b.product} · ${b.channelName}`,
    status,
    benefit: b.benefit ? `${b.benefit.line} ${b.benefit.title}` : '不附带福利（仅感谢信）',
    letter: b.letter,
    validUntil: b.validUntil,
    counts: [
      { label: '印制', value: b.quantity },
      { label: '已领取', value: b.claimed },
      { label: '已核销', value: b.redeemed },
    ],
    canExport: b.status === 'active',
    note,
  };
}

export interface PartRow {
  index: number;
  line: string;
  pdfUrl: string;
  zipUrl: string;
}

export interface ExportRowView {
  id: string;
  status: CardExportView['status'];
  line: string;
  percent: number;
  parts: PartRow[];
}

export function toExportRow(e: CardExportView): ExportRowView {
  const percent = e.total ? Math.floor((e.done / e.total) * 100) : 0;
  const line =
    e.status === 'done'
      ? `${shanghaiMinute(e.finishedAt ?? e.createdAt)} 完成 · ${e.total} 张，共 ${e.parts.length} 份文件，链接约 1 小时内有效`
      : e.status === 'failed'
        ? `导出失败：${e.failure ?? '请重新导出'}`
        : `正在生成 ${e.done} / ${e.total} 张`;
  return {
    id: e.id,
    status: e.status,
    line,
    percent,
    parts: e.parts.map((p) => ({ index: p.index, line: `第 ${p.index} 份 · No.${p.fromSerial}–${p.toSerial} · ${p.pages} 页`, pdfUrl: p.pdfUrl, zipUrl: p.zipUrl })),
  };
}
