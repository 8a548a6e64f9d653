/** Exporting a batch for print: the PDF of cards and the ZIP of codes, in parts, by steps. */
import { PART_SIZE } from '../../server/cards/export/job';
import { parseScene } from '../../server/cards/claim';
import type { CardExportView } from '../../typings';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeStaff } from '../support/staff';
import { downloaded, readPdf, readZip } from './files';
import { LETTER, storeWithBatch } from './support';

const t = useRuntime();
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const squash = (s: string) => s.replace(/\s+/g, '');

describe('exporting a batch', () => {
  it('gives a print-ready PDF (letter, benefit, code and serial on every card, in the embedded CJK font) and a ZIP of PNG codes with a manifest', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 9, channel: 'pdd', product: '桂花乌龙 礼盒' });
    const started = ok(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id, envVersion: 'trial' }, rid('exp')));
    expect(started).toMatchObject({ batchId: batch.id, status: 'done', envVersion: 'trial', total: 9, done: 9, partSize: PART_SIZE, failure: null });
    expect(started.parts).toHaveLength(1);
    const [part] = started.parts;
    expect(part).toMatchObject({ index: 1, fromSerial: 1, toSerial: 9, pages: 3 });

    const pdfBytes = downloaded(t, part.pdfUrl);
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = readPdf(pdfBytes);
    expect(pdf.pages).toBe(3); // four cards per A4 page
    expect(pdf.embeddedFonts).toEqual(expect.arrayContaining([expect.stringMatching(/^[A-Z]{6}\+NotoSansHans-Regular$/), expect.stringMatching(/^[A-Z]{6}\+NotoSansHans-Bold$/)]));
    const firstPage = squash(pdf.pageTexts[0]);
    expect(firstPage).not.toContain('\uFFFD');
    // Each card of the page: the letter, the benefit line, the call to scan, its serial and channel.
    expect(firstPage.split(squash(LETTER)).length - 1).toBe(4);
    expect(firstPage.split('满99减20').length - 1).toBe(4);
    expect(firstPage).toContain('微信扫一扫·一键入会');
    for (const serial of ['No.000001', 'No.000002', 'No.000003', 'No.000004']) expect(firstPage).toContain(`${serial}·拼多多·桂花乌龙礼盒`);
    expect(squash(pdf.pageTexts[2])).toContain('No.000009');
    expect(squash(pdf.pageTexts[2]).split(squash(LETTER)).length - 1).toBe(1);
    // One code per card, flattened onto white (no transparency mask to print).
    expect(pdf.images).toEqual(Array(9).fill({ colorSpace: 'DeviceGray', masked: false }));
    // Locally the codes are plain QR codes, and the card says so.
    expect(firstPage).toContain('本地预览');

    const zip = readZip(downloaded(t, part.zipUrl));
    expect(zip.names).toEqual(['000001.png', '000002.png', '000003.png', '000004.png', '000005.png', '000006.png', '000007.png', '000008.png', '000009.png', 'manifest.csv']);
    for (const png of zip.pngs.values()) expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(zip.manifest).toHaveLength(9);
    expect(zip.manifest.map((r) => r.serial)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const row of zip.manifest) {
      expect(row).toMatchObject({ channel: 'pdd', batch: batch.id, file: `${row.serial.padStart(6, '0')}.png` });
      expect(parseScene(row.scene)).toEqual({ batchId: batch.id, serial: Number(row.serial) });
    }
    // The manifest's scenes are the ones customers scan.
    expect(ok(await t.call('kate', 'card', 'card.scan', { scene: zip.manifest[4].scene })).card).toMatchObject({ serial: 5 });

    const got = ok(await t.call(owner, 'card', 'card.batch.get', { batchId: batch.id }));
    expect(got.exports.map((e) => e.id)).toEqual([started.id]);
    expect(ok(await t.call(owner, 'card', 'card.export.get', { exportId: started.id })).parts).toHaveLength(1);
  }, 60_000);

  it('a batch is exported in parts (one PDF + ZIP per step), and a retried start continues the same export', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 9 });
    const requestId = rid('exp');
    const first = ok(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id, partSize: 4 }, requestId));
    expect(first).toMatchObject({ status: 'running', done: 4, total: 9, partSize: 4 });
    const second = ok(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id, partSize: 4 }, requestId));
    expect(second).toMatchObject({ id: first.id, status: 'running', done: 8 });
    const last = ok(await t.call(owner, 'card', 'card.export.continue', { exportId: first.id }, rid()));
    expect(last).toMatchObject({ id: first.id, status: 'done', done: 9, finishedAt: expect.any(String) });
    expect(last.parts.map((p) => [p.index, p.fromSerial, p.toSerial, p.pages])).toEqual([
      [1, 1, 4, 1],
      [2, 5, 8, 1],
      [3, 9, 9, 1],
    ]);
    const serials = last.parts.flatMap((p) => readZip(downloaded(t, p.zipUrl)).manifest.map((r) => Number(r.serial)));
    expect(serials).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(squash(readPdf(downloaded(t, last.parts[1].pdfUrl)).pageTexts[0])).toContain('No.000005');
    // Once done, continuing changes nothing.
    expect(ok(await t.call(owner, 'card', 'card.export.continue', { exportId: first.id }, rid())).parts).toHaveLength(3);
  }, 60_000);

  it('the timer finishes an export nobody continued', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 6 });
    const first = ok(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id, partSize: 4 }, rid()));
    expect(first.status).toBe('running');
    await t.rt.fireTimer('card', 'continueWork');
    const after: CardExportView = ok(await t.call(owner, 'card', 'card.export.get', { exportId: first.id }));
    expect(after).toMatchObject({ status: 'done', done: 6 });
    expect(after.parts).toHaveLength(2);
  }, 60_000);

  it('clerks neither look at exports nor start them; unknown ids and bad options are refused', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 1 });
    const clerk = await makeStaff(t, owner, 'clerk-wang', 'clerk');
    const started = ok(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id }, rid()));
    expect(errorOf(await t.call(clerk, 'card', 'card.export.get', { exportId: started.id })).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call(clerk, 'card', 'card.export.continue', { exportId: started.id }, rid())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call(owner, 'card', 'card.export.get', { exportId: 'exp_0000000000000000' })).code).toBe('NOT_FOUND');
    expect(errorOf(await t.call(owner, 'card', 'card.export.start', { batchId: 'zzzzzzz' }, rid())).code).toBe('NOT_FOUND');
    expect(errorOf(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id, envVersion: 'beta' as never }, rid()))).toMatchObject({
      code: 'INVALID_INPUT',
      fields: [{ path: 'payload.envVersion' }],
    });
    expect(errorOf(await t.call(owner, 'card', 'card.export.start', { batchId: batch.id, partSize: 501 }, rid()))).toMatchObject({
      code: 'INVALID_INPUT',
      fields: [{ path: 'payload.partSize', message: '每个文件最多 500 张卡片' }],
    });
  }, 30_000);
});
