/**
 * Opening an uploaded export: the file, its header row mapped to the fields an import needs (the
 * platform preset, or the staff's own column names), and its data read page by page.
 */
import { COLLECTIONS } from '../../database/collections';
import type { ImportSource, OrderField } from '../../typings';
import { IMPORT_FILE_KEEP_DAYS } from '../admin/file-retention';
import { getDb } from '../runtime/db';
import { AppError, fail } from '../runtime/errors';
import { CsvReadError, type CsvFile, type CsvPage, loadCsv, readHeader, readPage } from './csv';
import { FIELD_LABELS, presetOf, resolveColumns } from './presets';
import { cleanCell } from './rows';

export interface Columns {
  index: Partial<Record<OrderField, number>>;
  names: Partial<Record<OrderField, string>>;
}

export interface OpenedSource {
  file: CsvFile;
  headers: string[];
  dataOffset: number;
  columns: Columns;
}

/** A file the retention sweep deleted may still sit in a warm instance's memory: its job's record decides. */
async function refuseDeletedFile(fileId: string): Promise<void> {
  const _ = getDb().command;
  const res = await getDb().collection(COLLECTIONS.orderImports).where({ fileId, filesDeletedAt: _.exists(true) }).limit(1).field({ _id: true }).get();
  if (!res.data.length) return;
  const message = `上传的文件在导入完成 ${IMPORT_FILE_KEEP_DAYS} 天后已自动删除，请重新上传`;
  fail('EXPIRED', message, [{ path: 'payload.fileId', message }]);
}

/** Reads the header and maps the columns; INVALID_INPUT names each field it cannot find. */
export async function openSource(source: ImportSource): Promise<OpenedSource> {
  await refuseDeletedFile(source.fileId);
  let file: CsvFile;
  let header: { headers: string[]; dataOffset: number };
  try {
    file = await loadCsv(source.fileId);
    header = readHeader(file);
  } catch (err) {
    if (err instanceof CsvReadError) fail(err.missing ? 'NOT_FOUND' : 'INVALID_INPUT', err.message, [{ path: 'payload.fileId', message: err.message }]);
    throw err;
  }
  const resolved = resolveColumns(header.headers, source.platform, source.mapping);
  const issues = [
    ...resolved.unknownHeaders.map(({ field, header: h }) => ({ path: `payload.mapping.${field}`, message: `文件里没有「${h}」这一列` })),
    ...resolved.missing.map((field) => ({
      path: `payload.mapping.${field}`,
      message: `找不到${FIELD_LABELS[field]}列（${presetOf(source.platform).label}导出一般叫「${(presetOf(source.platform).columns[field] ?? []).join('」或「')}」），请在自定义列中指定`,
    })),
  ];
  if (issues.length > 0) fail('INVALID_INPUT', '文件的列与所选平台不符，请检查平台或指定列名', issues);
  return { file, headers: header.headers, dataOffset: header.dataOffset, columns: { index: resolved.index, names: resolved.names } };
}

export function readPageOrFail(file: CsvFile, offset: number, firstRow: number, limit: number): CsvPage {
  try {
    return readPage(file, offset, firstRow, limit);
  } catch (err) {
    if (err instanceof CsvReadError) throw new AppError('INVALID_INPUT', err.message);
    throw err;
  }
}

/**
 * A page of about `limit` rows that never ends inside an order: rows of one order sit together in
 * the exports, so the rows after the page that carry the last order's number are read with it.
 */
export function readWholeOrders(file: CsvFile, offset: number, firstRow: number, limit: number, orderNoColumn: number): CsvPage {
  const page = readPage(file, offset, firstRow, limit);
  const last = page.records[page.records.length - 1];
  if (page.done || !last) return page;
  const orderNo = cleanCell(last.cells[orderNoColumn]);
  while (!page.done) {
    const more = readPage(file, page.nextOffset, firstRow + page.records.length, 1);
    const [record] = more.records;
    if (!record || cleanCell(record.cells[orderNoColumn]) !== orderNo) break;
    page.records.push(record);
    page.nextOffset = more.nextOffset;
    page.done = more.done;
  }
  return page;
}
