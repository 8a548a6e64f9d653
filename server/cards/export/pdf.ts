/**
 * Print-ready card sheets: A4 portrait, four cards of 95 × 138.5 mm per page (2 × 2) with dashed
 * cut lines. Each card: the store's name, the founder's letter, the benefit, the card's code, and
 * its serial with channel and product for the merchant's records. Chinese is set in the embedded
 * CJK font (font.ts).
 *
 * The letter is the same on every card of a batch, so its size is fitted once per sheet set.
 */
// `require` picks pdfkit's CommonJS build; its ES module build reads import.meta.url, which a
// CommonJS function bundle does not have.
import PDFDocument = require('pdfkit');
import { printedSerial } from '../model';
import { cardFonts } from './font';

const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 10 * MM;
const COLUMNS = 2;
const ROWS = 2;
export const CARDS_PER_PAGE = COLUMNS * ROWS;
const CARD = { width: (PAGE.width - 2 * MARGIN) / COLUMNS, height: (PAGE.height - 2 * MARGIN) / ROWS };
const PAD = 16;
const INNER = CARD.width - 2 * PAD;

const INK = '#222222';
const MUTED = '#8a8a8a';
const ACCENT = '#9c4a2f';
const WASH = '#fbf4ee';

/** Vertical layout of a card, in points from its top edge. */
const AT = {
  store: 16,
  rule: 37,
  letter: 46,
  letterHeight: 140,
  benefit: 194,
  benefitHeight: 46,
  code: 250,
  codeSize: 96,
  caption: 350,
  standIn: 362,
  footer: 376,
};

const LETTER_SIZES = [9.5, 9, 8.5, 8, 7.5, 7];

export interface SheetCard {
  serial: number;
  png: Buffer;
}

export interface SheetSpec {
  storeName: string;
  letter: string;
  /** 「满99减20」 and the coupon's title; null: the card invites into the community only. */
  benefit: { line: string; title: string } | null;
  /** 「No.000123 · 淘宝 · 明前龙井」 without the serial: channel and product. */
  recordLine: string;
  /** 「领取截止 2026-12-31」 */
  validLine: string;
  /** The codes are local stand-ins (plain QR codes): say so on the card. */
  standIn: boolean;
  cards: SheetCard[];
}

type Doc = InstanceType<typeof PDFDocument>;

function fitLetter(doc: Doc, letter: string): number {
  doc.font('regular');
  for (const size of LETTER_SIZES) {
    doc.fontSize(size);
    if (doc.heightOfString(letter, { width: INNER, lineGap: size * 0.45 }) <= AT.letterHeight) return size;
  }
  return LETTER_SIZES[LETTER_SIZES.length - 1];
}

function cutLines(doc: Doc, x: number, y: number): void {
  doc.save().lineWidth(0.4).dash(3, { space: 3 }).strokeColor('#c8c8c8').rect(x, y, CARD.width, CARD.height).stroke().undash().restore();
}

function drawBenefit(doc: Doc, spec: SheetSpec, x: number, y: number): void {
  const top = y + AT.benefit;
  doc.save().roundedRect(x + PAD, top, INNER, AT.benefitHeight, 6).lineWidth(0.6).fillAndStroke(WASH, ACCENT).restore();
  if (spec.benefit) {
    doc.font('regular').fontSize(7.5).fillColor(ACCENT).text('会员专享福利', x + PAD, top + 6, { width: INNER, align: 'center' });
    doc.font('bold').fontSize(15).fillColor(ACCENT).text(spec.benefit.line, x + PAD, top + 15, { width: INNER, align: 'center', lineBreak: false, ellipsis: true });
    doc.font('regular').fontSize(7).fillColor(MUTED).text(spec.benefit.title, x + PAD, top + 34, { width: INNER, align: 'center', lineBreak: false, ellipsis: true });
  } else {
    doc.font('bold').fontSize(12).fillColor(ACCENT).text('扫码加入会员', x + PAD, top + 9, { width: INNER, align: 'center' });
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text('新品与福利，第一时间告诉你', x + PAD, top + 28, { width: INNER, align: 'center' });
  }
}

function drawCard(doc: Doc, spec: SheetSpec, card: SheetCard, letterSize: number, x: number, y: number): void {
  cutLines(doc, x, y);
  doc.font('bold').fontSize(12).fillColor(INK).text(spec.storeName, x + PAD, y + AT.store, { width: INNER, align: 'center', lineBreak: false, ellipsis: true });
  doc.save().moveTo(x + CARD.width / 2 - 14, y + AT.rule).lineTo(x + CARD.width / 2 + 14, y + AT.rule).lineWidth(1).strokeColor(ACCENT).stroke().restore();
  doc.font('regular').fontSize(letterSize).fillColor(INK).text(spec.letter, x + PAD, y + AT.letter, {
    width: INNER,
    height: AT.letterHeight,
    lineGap: letterSize * 0.45,
    ellipsis: true,
  });
  drawBenefit(doc, spec, x, y);
  doc.image(card.png, x + (CARD.width - AT.codeSize) / 2, y + AT.code, { width: AT.codeSize, height: AT.codeSize });
  doc.font('regular').fontSize(8).fillColor(INK).text('微信扫一扫 · 一键入会', x + PAD, y + AT.caption, { width: INNER, align: 'center' });
  if (spec.standIn) {
    doc.font('regular').fontSize(6).fillColor('#d03030').text('本地预览：普通二维码代替小程序码，请勿印刷', x + PAD, y + AT.standIn, { width: INNER, align: 'center' });
  }
  const serial = printedSerial(card.serial);
  doc.font('regular').fontSize(6.5).fillColor(MUTED);
  doc.text(`${serial} · ${spec.recordLine}`, x + PAD, y + AT.footer, { width: INNER * 0.62, lineBreak: false, ellipsis: true });
  doc.text(spec.validLine, x + PAD + INNER * 0.62, y + AT.footer, { width: INNER * 0.38, align: 'right', lineBreak: false });
}

/** Renders the cards in order, four per page. */
export async function renderCardSheets(spec: SheetSpec): Promise<{ pdf: Buffer; pages: number }> {
  const fonts = cardFonts();
  // No default font: pdfkit would load Helvetica's AFM file, which the function bundle leaves
  // behind. Every text names a registered font (opened once per document under its name).
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, font: null as unknown as string, info: { Title: '包裹卡', Producer: 'privdom' } });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  let letterSize = 0;
  let pages = 0;
  spec.cards.forEach((card, i) => {
    const slot = i % CARDS_PER_PAGE;
    if (slot === 0) {
      doc.addPage();
      pages++;
      // Measured on a page: pdfkit's line wrapper needs one.
      letterSize ||= fitLetter(doc, spec.letter);
    }
    const x = MARGIN + (slot % COLUMNS) * CARD.width;
    const y = MARGIN + Math.floor(slot / COLUMNS) * CARD.height;
    drawCard(doc, spec, card, letterSize, x, y);
  });
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), pages };
}
