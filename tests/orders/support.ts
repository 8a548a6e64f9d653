/** Platform order exports as merchants download them, uploaded the way the admin page uploads them. */
import { platform } from '../../server/runtime/platform';
import type { ImportJobView, OrderPlatform } from '../../typings';
import { ok, rid, type TestRuntime } from '../support/runtime';

export interface SampleOrder {
  orderNo: string;
  phone: string;
  /** 128.50 */
  amount: string;
  /** Beijing time as the export writes it. */
  paidAt: string;
  product: string;
  quantity?: number;
  status?: string;
}

/** Real header rows (shortened to the columns that matter plus a few others around them). */
export const HEADERS: Record<Exclude<OrderPlatform, 'other'>, string[]> = {
  taobao: ['订单编号', '买家会员名', '买家实际支付金额', '订单状态', '收货人姓名', '联系手机', '订单创建时间', '订单付款时间', '宝贝标题', '宝贝总数量', '店铺名称'],
  jd: ['订单号', '商品ID', '商品名称', '订购数量', '下单时间', '应付金额', '订单状态', '客户姓名', '联系电话', '付款确认时间'],
  pdd: ['商品', '订单号', '订单状态', '商品总价(元)', '用户实付金额(元)', '商品数量(件)', '收货人', '手机', '支付时间', '快递单号'],
  douyin: ['主订单编号', '子订单编号', '选购商品', '商品数量', '订单应付金额', '收件人', '收件人手机号', '订单提交时间', '支付完成时间', '订单状态'],
};

function cellsOf(p: Exclude<OrderPlatform, 'other'>, o: SampleOrder, i: number): string[] {
  const status = o.status ?? '交易成功';
  switch (p) {
    case 'taobao':
      return [`="${o.orderNo}"`, `tb_buyer${i}`, o.amount, status, '张三', o.phone, o.paidAt, o.paidAt, o.product, String(o.quantity ?? 1), '山间茶舍'];
    case 'jd':
      return [o.orderNo, `100${i}`, o.product, String(o.quantity ?? 1), o.paidAt, o.amount, status === '交易成功' ? '完成' : status, '李四', o.phone, o.paidAt];
    case 'pdd':
      return [o.product, o.orderNo, status === '交易成功' ? '已签收' : status, o.amount, o.amount, String(o.quantity ?? 1), '王五', o.phone, o.paidAt, `YT${i}`];
    case 'douyin':
      return [o.orderNo, `${o.orderNo}1`, o.product, String(o.quantity ?? 1), `¥${o.amount}`, '赵六', o.phone, o.paidAt, o.paidAt, status === '交易成功' ? '已完成' : status];
  }
}

const quote = (c: string): string => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

export function csvOf(p: Exclude<OrderPlatform, 'other'>, orders: SampleOrder[], extraRows: string[][] = []): string {
  const lines = [HEADERS[p], ...orders.map((o, i) => cellsOf(p, o, i)), ...extraRows].map((cells) => cells.map(quote).join(','));
  return lines.join('\r\n') + '\r\n';
}

let uploads = 0;
/** Uploads a file as `wx.cloud.uploadFile` would and returns its file id. */
export async function upload(content: string | Buffer, name = 'orders.csv'): Promise<string> {
  uploads += 1;
  const { fileId } = await platform().storeFile(`imports/${process.pid}-${uploads}-${name}`, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
  return fileId;
}

/** n orders with distinct numbers and phones ending 0000..; order i paid 128.00 + i fen. */
export function sampleOrders(n: number, prefix = '3000'): SampleOrder[] {
  return Array.from({ length: n }, (_, i) => ({
    orderNo: `${prefix}${String(i).padStart(12, '0')}`,
    phone: `139${String(i).padStart(8, '0')}`,
    amount: `${128 + Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`,
    paidAt: '2026-03-01 12:34:56',
    product: `明前龙井 250g #${i}`,
  }));
}

/** Starts an import and steps it to the end, as the admin page does. */
export async function importAll(t: TestRuntime, admin: string, fileId: string, platform: OrderPlatform, extra: object = {}): Promise<ImportJobView> {
  let job = ok(await t.call(admin, 'admin', 'order.import.start', { fileId, platform, ...extra }, rid('imp')));
  for (let i = 0; job.status === 'running' && i < 100; i++) job = ok(await t.call(admin, 'admin', 'order.import.step', { jobId: job.id }));
  return job;
}

/** Imports `orders` from a Taobao export; returns the owner who did it. */
export async function importOrders(t: TestRuntime, owner: string, orders: SampleOrder[], p: Exclude<OrderPlatform, 'other'> = 'taobao'): Promise<void> {
  const job = await importAll(t, owner, await upload(csvOf(p, orders)), p);
  if (job.status !== 'done' || job.errorCount > 0) throw new Error(`import failed: ${JSON.stringify(job)}`);
}
