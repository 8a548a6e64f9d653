/**
 * Chinese text on a poster: glyph outlines from Noto Sans SC (the CJK font the printed cards use,
 * shipped whole by `@embedpdf/fonts-sc`), laid out by fontkit and filled here with the non-zero
 * winding rule, 4 sub-scanlines per pixel and exact horizontal coverage, so edges are smooth.
 *
 * fontkit comes with pdfkit (the cards' PDF library) and is bundled into the function like it.
 */
import { cardFonts } from '../../cards/export/font';
import type { Canvas, Rgb } from './canvas';

// Local bindings: per-pixel loops stay fast where global lookups are slow (vm contexts, as under Jest).
const { ceil, floor, max, min } = Math;

interface PathCommand {
  command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  args: number[];
}
interface Glyph {
  id: number;
  path: { commands: PathCommand[] };
}
interface Font {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  layout(text: string): { glyphs: Glyph[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(buffer: Buffer): Font };

export type Weight = 'regular' | 'bold';
const fonts: Partial<Record<Weight, Font>> = {};
const fontOf = (weight: Weight): Font => (fonts[weight] ??= fontkit.create(cardFonts()[weight]));

const SUB = 4;
/** Straight pieces per curve: fine enough for glyphs up to ~100 px. */
const CURVE_STEPS = 10;

interface Edge {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  dir: 1 | -1;
}

export interface TextStyle {
  size: number;
  color: Rgb;
  weight?: Weight;
}

/** The width of `text` in pixels at `size`. */
export function measure(text: string, style: TextStyle): number {
  const font = fontOf(style.weight ?? 'regular');
  return font.layout(text).positions.reduce((sum, p) => sum + p.xAdvance, 0) * (style.size / font.unitsPerEm);
}

/** The largest size ≤ style.size at which `text` fits `maxWidth`. */
export function fitSize(text: string, style: TextStyle, maxWidth: number): number {
  const width = measure(text, style);
  return width <= maxWidth ? style.size : floor((style.size * maxWidth) / width);
}

function outline(text: string, style: TextStyle, left: number, baseline: number): Edge[] {
  const font = fontOf(style.weight ?? 'regular');
  const scale = style.size / font.unitsPerEm;
  const run = font.layout(text);
  const edges: Edge[] = [];
  let penX = 0;
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i];
    const ox = left + (penX + pos.xOffset) * scale;
    const oy = baseline - pos.yOffset * scale;
    penX += pos.xAdvance;
    if (glyph.id === 0) return; // a character the font lacks (emoji): leave its space blank
    const at = (x: number, y: number): [number, number] => [ox + x * scale, oy - y * scale];
    let start: [number, number] = [0, 0];
    let pen: [number, number] = [0, 0];
    const line = (to: [number, number]) => {
      if (to[1] !== pen[1]) edges.push({ x0: pen[0], y0: pen[1], x1: to[0], y1: to[1], dir: to[1] > pen[1] ? 1 : -1 });
      pen = to;
    };
    for (const { command, args } of glyph.path.commands) {
      if (command === 'moveTo') {
        if (pen !== start) line(start);
        start = pen = at(args[0], args[1]);
      } else if (command === 'lineTo') line(at(args[0], args[1]));
      else if (command === 'quadraticCurveTo' || command === 'bezierCurveTo') {
        const from = pen;
        const points = [from, ...Array.from({ length: args.length / 2 }, (_, k) => at(args[2 * k], args[2 * k + 1]))];
        for (let s = 1; s <= CURVE_STEPS; s++) line(bezierPoint(points, s / CURVE_STEPS));
      } else line(start);
    }
    line(start);
  });
  return edges;
}

/** De Casteljau: a point of the quadratic or cubic curve through `points` at `t`. */
function bezierPoint(points: [number, number][], t: number): [number, number] {
  let p = points;
  while (p.length > 1) p = p.slice(1).map((q, i) => [p[i][0] + (q[0] - p[i][0]) * t, p[i][1] + (q[1] - p[i][1]) * t] as [number, number]);
  return p[0];
}

/** Draws one line of text centred on `centerX` with its baseline at `baseline`. */
export function drawTextCentered(canvas: Canvas, text: string, style: TextStyle, centerX: number, baseline: number): void {
  // Edges sorted by their top, walked with an active list: each sub-scanline looks only at the
  // edges that cross it.
  const edges = outline(text, style, centerX - measure(text, style) / 2, baseline)
    .map((e) => ({ ...e, top: min(e.y0, e.y1), bottom: max(e.y0, e.y1), slope: (e.x1 - e.x0) / (e.y1 - e.y0) }))
    .sort((a, b) => a.top - b.top);
  if (edges.length === 0) return;
  const top = max(0, floor(edges[0].top));
  const bottom = min(canvas.height, ceil(max(...edges.map((e) => e.bottom))));
  const coverage = new Float32Array(canvas.width + 1);
  let next = 0;
  let active: typeof edges = [];
  const hits: { x: number; dir: number }[] = [];
  for (let row = top; row < bottom; row++) {
    coverage.fill(0);
    for (let k = 0; k < SUB; k++) {
      const y = row + (k + 0.5) / SUB;
      while (next < edges.length && edges[next].top <= y) active.push(edges[next++]);
      active = active.filter((e) => e.bottom > y);
      hits.length = 0;
      for (const e of active) if (y >= e.top) hits.push({ x: e.x0 + (y - e.y0) * e.slope, dir: e.dir });
      hits.sort((a, b) => a.x - b.x);
      let winding = 0;
      for (let h = 0; h < hits.length - 1; h++) {
        winding += hits[h].dir;
        if (winding !== 0) addSpan(coverage, hits[h].x, hits[h + 1].x, 1 / SUB, canvas.width);
      }
    }
    for (let x = 0; x < canvas.width; x++) if (coverage[x] > 0) canvas.blend(x, row, style.color, coverage[x]);
  }
}

/** Adds `weight` × the covered share of each pixel of [x0, x1). */
function addSpan(coverage: Float32Array, x0: number, x1: number, weight: number, width: number): void {
  const a = max(0, x0);
  const b = min(width, x1);
  for (let x = floor(a); x < b; x++) coverage[x] += weight * (min(b, x + 1) - max(a, x));
}
