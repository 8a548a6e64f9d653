/**
 * Imported platform orders. `_id` is `<platform>:<order number>`, so importing a file again lands
 * on the same documents. The buyer's phone is personal data: kept encrypted (when the export has
 * the full number) with a keyed hash for matching, masked for display, and a keyed check value of
 * its last four digits for binding, bound to the order id so equal digits never look alike.
 */
import type { BoundOrderView, OrderPlatform } from '../../typings';
import { keyedHash, maskPhone, phoneHash, seal } from '../members/crypto';
import { iso } from '../members/model';
import type { ParsedRow } from './rows';

export const ORDER_PLATFORMS: OrderPlatform[] = ['taobao', 'jd', 'pdd', 'douyin', 'other'];

export type BindState = 'unbound' | 'binding' | 'bound';

export interface OrderDoc {
  _id: string;
  platform: OrderPlatform;
  orderNo: string;
  amountFen: number;
  paidAt: Date;
  product: string;
  quantity: number | null;
  statusText: string | null;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMasked: string;
  last4Check: string;
  /** Keyed digest of the imported content: an unchanged row is recognised without comparing fields. */
  fingerprint: string;
  bindState: BindState;
  boundTo: string | null;
  boundAt: Date | null;
  /** Points credited for the order (set with the ledger entry). */
  points: number | null;
  /** Failed binding attempts on this order in one Shanghai day. */
  bindGuard: { day: string; failures: number } | null;
  /** The job that last wrote the imported fields, and the row they came from. */
  importJobId: string;
  importRow: number;
  /** The job that created the order. */
  firstImportJobId: string;
  importedAt: Date;
  updatedAt: Date;
}

export const orderIdOf = (platform: OrderPlatform, orderNo: string): string => `${platform}:${orderNo}`;

export const last4CheckOf = (orderId: string, last4: string): string => keyedHash('order-last4', `${orderId}\n${last4}`, 24);

export function fingerprintOf(platform: OrderPlatform, row: ParsedRow): string {
  return keyedHash(
    'order-row',
    JSON.stringify([platform, row.orderNo, row.phone ?? `*${row.last4}`, row.amountFen, row.paidAt.getTime(), row.product, row.quantity, row.statusText]),
    24,
  );
}

/** The imported fields of a row; binding fields are left to the caller. */
export function importedFields(platform: OrderPlatform, row: ParsedRow, jobId: string, now: Date) {
  const _id = orderIdOf(platform, row.orderNo);
  return {
    _id,
    platform,
    orderNo: row.orderNo,
    amountFen: row.amountFen,
    paidAt: row.paidAt,
    product: row.product,
    quantity: row.quantity,
    statusText: row.statusText,
    phoneEnc: row.phone ? seal(row.phone, _id) : null,
    phoneHash: row.phone ? phoneHash('86', row.phone) : null,
    phoneMasked: row.phone ? maskPhone(row.phone) : `****${row.last4}`,
    last4Check: last4CheckOf(_id, row.last4),
    fingerprint: fingerprintOf(platform, row),
    importJobId: jobId,
    importRow: row.row,
    updatedAt: now,
  };
}

export function newOrderDoc(platform: OrderPlatform, row: ParsedRow, jobId: string, now: Date): OrderDoc {
  return {
    ...importedFields(platform, row, jobId, now),
    bindState: 'unbound',
    boundTo: null,
    boundAt: null,
    points: null,
    bindGuard: null,
    firstImportJobId: jobId,
    importedAt: now,
  };
}

export function boundOrderView(o: OrderDoc): BoundOrderView {
  return {
    platform: o.platform,
    orderNo: o.orderNo,
    amountFen: o.amountFen,
    paidAt: iso(o.paidAt),
    product: o.product,
    boundAt: iso(o.boundAt),
    points: o.points ?? 0,
  };
}
