/**
 * CSV for spreadsheets: RFC 4180 quoting, a UTF-8 byte order mark so Excel reads the Chinese, and
 * cells that a spreadsheet would run as a formula (a nickname like 「=HYPERLINK(…)」) made inert.
 */
export const BOM = '\ufeff';

export function cell(value: string | number | null | undefined): string {
  if (typeof value === 'number') return String(value);
  let s = value ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const line = (values: (string | number | null | undefined)[]): string => values.map(cell).join(',') + '\r\n';
