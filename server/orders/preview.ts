/** The dry run of an import: the columns found, a sample, the row errors, and what it would change. Writes nothing. */
import type { ImportPreview, ImportSource } from '../../typings';
import { maskPhone } from '../members/crypto';
import { orderIdOf } from './model';
import { existingOrders, parseRecords } from './page';
import { openSource, readPageOrFail } from './source';

export const PREVIEW_ROWS = 1000;
export const PREVIEW_ERRORS = 100;

export async function previewImport(source: ImportSource): Promise<ImportPreview> {
  const { file, headers, dataOffset, columns } = await openSource(source);
  const page = readPageOrFail(file, dataOffset, 2, PREVIEW_ROWS);
  const parsed = parseRecords(page.records, { columns, amountUnit: source.amountUnit ?? 'yuan' });
  const existing = await existingOrders(parsed.orders.map((o) => orderIdOf(source.platform, o.orderNo)));
  let wouldUpdate = 0;
  let alreadyBound = 0;
  for (const o of existing.values()) {
    if (o.bindState !== 'unbound') alreadyBound += 1;
    else wouldUpdate += 1;
  }
  return {
    headers,
    columns: columns.names,
    checkedRows: parsed.rows,
    checkedLimit: PREVIEW_ROWS,
    more: !page.done,
    sample: parsed.orders.slice(0, 10).map((o) => ({
      row: o.row,
      orderNo: o.orderNo,
      phoneMasked: o.phone ? maskPhone(o.phone) : `****${o.last4}`,
      amountFen: o.amountFen,
      paidAt: o.paidAt.toISOString(),
      product: o.product,
      quantity: o.quantity,
    })),
    errors: parsed.errors.slice(0, PREVIEW_ERRORS),
    wouldCreate: parsed.orders.length - existing.size,
    wouldUpdate,
    alreadyBound,
  };
}
