/**
 * Reading an uploaded CSV page by page. Platform exports come as UTF-8 (with or without BOM) or as
 * GBK/GB18030 (what Excel on a Chinese Windows writes); both are normalised to UTF-8 once, and a page
 * is parsed from a byte offset into that normalised text, so each step of an import { TextDecoder } from 'node:util';
import reads only its
 * own rows and knows where the next step starts.
 */
import { parse } from 'csv-parse/sync';
import { platform } from '../runtime/platform';

/** Large enough for a 100,000-row export with long product titles. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface CsvFile {
  fileId: string;
  /** Normalised UTF-8 without BOM. */
  text: Buffer;
  encoding: 'utf-8' | 'gb18030';
}

export class CsvReadError extends Error {
  constructor(
    message: string,
    /** The file is not there (as opposed to there but unreadable). */
    readonly missing = false,
  ) {
    super(message);
  }
}

function decode(raw: Buffer): { text: string; encoding: CsvFile['encoding'] } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(raw), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(raw), encoding: 'gb18030' };
  }
}

// One file per instance: the steps of a job reuse it instead of downloading it again.
let lastFile: CsvFile | undefined;

export async function loadCsv(fileId: string): Promise<CsvFile> {
  if (lastFile?.fileId === fileId) return lastFile;
  let raw: Buffer;
  try {
    raw = await platform().readFile(fileId);
  } catch {
    throw new CsvReadError('找不到上传的文件，请重新上传', true);
  }
  if (raw.length > MAX_FILE_BYTES) throw new CsvReadError(`文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请分成几个文件导入`);
  const { text, encoding } = decode(raw);
  lastFile = { fileId, text: Buffer.from(text.replace(/^\uFEFF/, ''), 'utf8'), encoding };
  return lastFile;
}

export interface CsvRecord {
  cells: string[];
  /** Spreadsheet row number: the header is row 1. */
  row: number;
}

export interface CsvPage {
  records: CsvRecord[];
  /** Byte offset of the next unread record. */
  nextOffset: number;
  /** The file is read to its end. */
  done: boolean;
}

const PARSE_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, info: true } as const;

/** Up to `limit` records from `offset`; `firstRow` is the row number of the first of them. */
export function readPage(file: CsvFile, offset: number, firstRow: number, limit: number): CsvPage {
  if (offset >= file.text.length) return { records: [], nextOffset: offset, done: true };
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(file.text.subarray(offset), { ...PARSE_OPTIONS, to: limit }) as unknown as typeof parsed;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new CsvReadError(`文件不是有效的 CSV${line ? `（第 ${firstRow + line - 1} 行附近）` : ''}，请从平台重新导出`);
  }
  const records = parsed.map((p, i) => ({ cells: p.record, row: firstRow + i }));
  const consumed = parsed.length > 0 ? parsed[parsed.length - 1].info.bytes : file.text.length - offset;
  const nextOffset = offset + consumed;
  return { records, nextOffset, done: parsed.length < limit || nextOffset >= file.text.length };
}

/** The header row and where the data starts. */
export function readHeader(file: CsvFile): { headers: string[]; dataOffset: number } {
  const page = readPage(file, 0, 1, 1);
  if (page.records.length === 0) throw new CsvReadError('文件是空的');
  return { headers: page.records[0].cells, dataOffset: page.nextOffset };
}
