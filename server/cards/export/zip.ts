/**
 * The ZIP of one export part: each card's code as `<serial>.png` (stored, PNG is compressed
 * already) and `manifest.csv` listing serial, scene, channel, batch and file, one row per card.
 */
// `require` picks fflate's CommonJS build (its ES module build needs import.meta.url).
import fflate = require('fflate');

export interface ManifestRow {
  serial: number;
  scene: string;
  channel: string;
  batchId: string;
  png: Buffer;
}

export const pngName = (serial: number): string => `${String(serial).padStart(6, '0')}.png`;

/** RFC 4180: quote a field when it holds a comma, quote or line break. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function manifestCsv(rows: ManifestRow[]): string {
  const lines = [['serial', 'scene', 'channel', 'batch', 'file'].join(',')];
  for (const r of rows) lines.push([r.serial, r.scene, r.channel, r.batchId, pngName(r.serial)].map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function codesZip(rows: ManifestRow[]): Buffer {
  const files: fflate.Zippable = { 'manifest.csv': [Buffer.from(manifestCsv(rows), 'utf8'), { level: 6 }] };
  for (const r of rows) files[pngName(r.serial)] = [r.png, { level: 0 }];
  return Buffer.from(fflate.zipSync(files));
}
