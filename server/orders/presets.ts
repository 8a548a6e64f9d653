/**
 * Column presets for the order exports of each platform's merchant back office, and how a header
 * row is mapped to the fields an import needs. Each field lists the header names it is known by, in
 * order of preference (exports change names between versions and report types); a custom mapping
 * overrides any field, and is the whole mapping for `other`.
 *
 * | platform | export | order no. | phone | amount | paid at | product |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | 淘宝/天猫 | 千牛 订单报表 | 订单编号 | 联系手机 | 买家实际支付金额 | 订单付款时间 | 宝贝标题 |
 * | 京东 | 京麦 订单导出 | 订单号 | 联系电话 | 应付金额 | 付款确认时间 | 商品名称 |
 * | 拼多多 | 商家后台 订单查询导出 | 订单号 | 手机 | 用户实付金额(元) | 支付时间 | 商品 |
 * | 抖音 | 抖店 订单导出 | 主订单编号 | 收件人手机号 | 订单应付金额 | 支付完成时间 | 选购商品 |
 */
import type { ColumnMapping, ImportPreset, OrderField, OrderPlatform } from '../../typings';

export const PLATFORM_LABELS: Record<OrderPlatform, string> = {
  taobao: '淘宝/天猫',
  jd: '京东',
  pdd: '拼多多',
  douyin: '抖音',
  other: '其他',
};

export const REQUIRED_FIELDS: OrderField[] = ['orderNo', 'phone', 'amount', 'paidAt'];

export const FIELD_LABELS: Record<OrderField, string> = {
  orderNo: '订单编号',
  phone: '买家手机号',
  amount: '实付金额',
  paidAt: '付款时间',
  product: '商品',
  quantity: '数量',
  status: '订单状态',
};

export const PRESETS: ImportPreset[] = [
  {
    platform: 'taobao',
    label: PLATFORM_LABELS.taobao,
    columns: {
      orderNo: ['订单编号', '订单号', '主订单编号'],
      phone: ['联系手机', '收货人手机号', '买家手机号', '联系电话'],
      amount: ['买家实际支付金额', '实付金额', '买家应付货款', '总金额'],
      paidAt: ['订单付款时间', '付款时间', '支付时间'],
      product: ['宝贝标题', '商品标题', '宝贝名称'],
      quantity: ['宝贝总数量', '宝贝数量', '购买数量'],
      status: ['订单状态'],
    },
    note: '千牛「交易 - 已卖出的宝贝 - 批量导出」的订单报表（一行一个订单）。',
  },
  {
    platform: 'jd',
    label: PLATFORM_LABELS.jd,
    columns: {
      orderNo: ['订单号', '订单编号'],
      phone: ['联系电话', '收货人手机', '客户手机号', '手机号'],
      amount: ['应付金额', '订单金额', '实付金额'],
      paidAt: ['付款确认时间', '支付时间', '下单时间'],
      product: ['商品名称'],
      quantity: ['订购数量', '商品数量'],
      status: ['订单状态'],
    },
    note: '京麦「订单管理 - 订单导出」（一个订单有多件商品时分多行，金额按订单计一次）。',
  },
  {
    platform: 'pdd',
    label: PLATFORM_LABELS.pdd,
    columns: {
      orderNo: ['订单号', '订单编号'],
      phone: ['手机', '收货人手机号', '手机号'],
      amount: ['用户实付金额(元)', '用户实付金额（元）', '实收金额(元)', '商家实收金额(元)'],
      paidAt: ['支付时间', '成交时间', '拼单成功时间'],
      product: ['商品', '商品名称'],
      quantity: ['商品数量(件)', '商品数量（件）', '商品数量'],
      status: ['订单状态'],
    },
    note: '拼多多商家后台「订单查询 - 导出订单」。',
  },
  {
    platform: 'douyin',
    label: PLATFORM_LABELS.douyin,
    columns: {
      orderNo: ['主订单编号', '订单编号', '订单号'],
      phone: ['收件人手机号', '收货人手机号', '手机号'],
      amount: ['订单应付金额', '实付金额', '订单实付金额'],
      paidAt: ['支付完成时间', '支付时间', '订单提交时间'],
      product: ['选购商品', '商品名称'],
      quantity: ['商品数量'],
      status: ['订单状态'],
    },
    note: '抖店「订单 - 订单管理 - 批量导出」（子订单分多行，金额按主订单计一次）。',
  },
  {
    platform: 'other',
    label: PLATFORM_LABELS.other,
    columns: {
      orderNo: ['订单编号', '订单号'],
      phone: ['手机号', '买家手机号', '联系电话'],
      amount: ['实付金额', '金额'],
      paidAt: ['付款时间', '支付时间', '下单时间'],
      product: ['商品', '商品名称'],
      quantity: ['数量'],
      status: ['订单状态'],
    },
    note: '其他来源（自有商城、门店系统、CRM）：列名不同时请在「自定义列」里指定。',
  },
];

export const presetOf = (platform: OrderPlatform): ImportPreset => PRESETS.find((p) => p.platform === platform)!;

/** Header cells as exports write them: trimmed, without BOM or surrounding quotes, full-width brackets kept. */
export const cleanHeader = (h: string): string => h.replace(/^\uFEFF/, '').trim().replace(/^"|"$/g, '').trim();

export interface ResolvedColumns {
  /** Field → column index. */
  index: Partial<Record<OrderField, number>>;
  /** Field → the header it was read from. */
  names: Partial<Record<OrderField, string>>;
  /** Required fields no column was found for; custom-mapped headers that do not exist. */
  missing: OrderField[];
  unknownHeaders: { field: OrderField; header: string }[];
}

export function resolveColumns(headers: string[], platform: OrderPlatform, mapping: ColumnMapping = {}): ResolvedColumns {
  const cleaned = headers.map(cleanHeader);
  const out: ResolvedColumns = { index: {}, names: {}, missing: [], unknownHeaders: [] };
  const preset = presetOf(platform);
  for (const field of Object.keys(FIELD_LABELS) as OrderField[]) {
    const custom = mapping[field];
    const candidates = custom ? [cleanHeader(custom)] : (preset.columns[field] ?? []);
    const at = candidates.map((c) => cleaned.indexOf(c)).find((i) => i >= 0);
    if (at !== undefined) {
      out.index[field] = at;
      out.names[field] = cleaned[at];
    } else if (custom) out.unknownHeaders.push({ field, header: custom });
    else if (REQUIRED_FIELDS.includes(field)) out.missing.push(field);
  }
  return out;
}
