/**
 * Reading what an export produced the way a print shop's software would: the PDF's pages, fonts
 * and text (through each font's ToUnicode map), the ZIP's entries and manifest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import type { TestRuntime } from '../support/runtime';

interface PdfObject {
  head: string;
  stream: Buffer | null;
}

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\n([\s\S]*?)endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m[2].indexOf('stream\n');
    const head = at >= 0 ? m[2].slice(0, at) : m[2];
    let stream: Buffer | null = null;
    if (at >= 0) {
      const start = m.index + m[0].indexOf('stream\n') + 'stream\n'.length;
      const raw = pdf.subarray(start, text.indexOf('\nendstream', start));
      stream = /FlateDecode/.test(head) ? inflateSync(raw) : raw;
    }
    objects.set(Number(m[1]), { head, stream });
  }
  return objects;
}

const ref = (head: string, key: string): number | null => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(head);
  return m ? Number(m[1]) : null;
};

/** Glyph code → text, from a ToUnicode CMap (bfrange arrays and bfchar entries, as pdfkit writes). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  // A destination may hold several UTF-16 units (a ligature such as 「——」 is one glyph).
  const hex = (h: string) => String.fromCodePoint(...(h.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((u) => parseInt(u, 16)));
  for (const m of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
    const first = parseInt(m[1], 16);
    [...m[3].matchAll(/<([0-9a-f\s]+)>/gi)].forEach((d, i) => map.set(first + i, hex(d[1])));
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) map.set(parseInt(m[1], 16), hex(m[2]));
  }
  return map;
}

export interface PdfFacts {
  pages: number;
  /** BaseFont names of the fonts whose program is embedded. */
  embeddedFonts: string[];
  /** Text of each page, in drawing order, whitespace kept between runs. */
  pageTexts: string[];
  /** Image objects: colour space and whether a transparency mask comes with it. */
  images: { colorSpace: string; masked: boolean }[];
}

export function readPdf(pdf: Buffer): PdfFacts {
  const objects = objectsOf(pdf);
  const all = [...objects.values()];
  const embeddedFonts = all
    .filter((o) => /\/Type \/FontDescriptor/.test(o.head) && /\/FontFile[23]? \d+ 0 R/.test(o.head))
    .map((o) => /\/FontName \/(\S+)/.exec(o.head)![1]);
  const pages = all.filter((o) => /\/Type \/Page\b/.test(o.head) && !/\/Type \/Pages/.test(o.head));
  const pageTexts = pages.map((page) => {
    const resources = objects.get(ref(page.head, 'Resources')!)!.head;
    const fonts = new Map<string, Map<number, string>>();
    for (const m of (/\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) {
      const font = objects.get(Number(m[2]))!;
      fonts.set(m[1], toUnicode(objects.get(ref(font.head, 'ToUnicode')!)!.stream!.toString('latin1')));
    }
    const content = objects.get(ref(page.head, 'Contents')!)!.stream!.toString('latin1');
    let current = new Map<number, string>();
    const runs: string[] = [];
    for (const m of content.matchAll(/\/(\S+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (m[1]) current = fonts.get(m[1]) ?? new Map();
      else runs.push([...m[2].matchAll(/<([0-9a-f]+)>/gi)].map((h) => (h[1].match(/.{4}/g) ?? []).map((c) => current.get(parseInt(c, 16)) ?? '\uFFFD').join('')).join(''));
    }
    return runs.join('\n');
  });
  const masks = new Set(all.map((o) => ref(o.head, 'SMask')).filter((id) => id !== null));
  const images = [...objects.entries()]
    .filter(([id, o]) => /\/Subtype \/Image/.test(o.head) && !masks.has(id))
    .map(([, o]) => o)
    .map((o) => ({ colorSpace: /\/ColorSpace \/(\w+)/.exec(o.head)?.[1] ?? '', masked: /\/SMask/.test(o.head) }));
  return { pages: pages.length, embeddedFonts, pageTexts, images };
}

/** A stored file behind a local link (`.../storage/<path>`), read from the runtime's storage folder. */
export function downloaded(t: TestRuntime, url: string): Buffer {
  const rel = decodeURIComponent(new URL(url).pathname.replace(/^\/storage\//, ''));
  return readFileSync(path.join(t.rt.storageDir, rel));
}

export interface ZipFacts {
  names: string[];
  pngs: Map<string, Buffer>;
  manifest: Record<string, string>[];
}

export function readZip(zip: Buffer): ZipFacts {
  const files = unzipSync(new Uint8Array(zip));
  const names = Object.keys(files).sort();
  const pngs = new Map(names.filter((n) => n.endsWith('.png')).map((n) => [n, Buffer.from(files[n])]));
  const [header, ...rows] = Buffer.from(files['manifest.csv'] ?? []).toString('utf8').trim().split(/\r\n/);
  const keys = header.split(',');
  return { names, pngs, manifest: rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [keys[i], v]))) };
}
