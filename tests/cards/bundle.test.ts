/**
 * The card function bundled as CloudBase runs it (one index.js, wx-server-sdk left out): it exports
 * a batch with pdfkit inside the bundle and the CJK font found at run time. Built here with the same
 * esbuild options as scripts/build-functions.ts, into the ignored build/ folder, so this file never
 * races the bundle test over cloudfunctions/card/index.js.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { DEMO_OWNER_OPENID, seedDemoStore } from '../../local/seed';
import { FUNCTIONS_DIR, ROOT } from '../../local/runtime-paths';
import type { ApiResult, CardBatchView, CardExportView, CardScanView } from '../../typings';
import { createTemplate } from '../coupons/support';
import { ok, rid, useRuntime } from '../support/runtime';
import { downloaded, readPdf, readZip } from './files';
import { batchInput } from './support';

const outfile = path.join(ROOT, 'build', 'test-bundles', 'card', 'index.js');
const bundled: { main?: (event: unknown) => Promise<unknown> } = {};
const t = useRuntime({ extraFunctions: { 'card-bundle': (event: unknown) => bundled.main!(event) as never } });

beforeAll(async () => {
  await build({
    entryPoints: [path.join(FUNCTIONS_DIR, 'card', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk'],
    logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bundled.main = (require(outfile) as { main: (event: unknown) => Promise<unknown> }).main;
}, 120_000);

const call = async <T>(openid: string, action: string, payload: object) =>
  ok((await t.raw(openid, 'card-bundle', { action, payload, requestId: rid() })) as ApiResult<T>);

it('the bundle makes, exports and scans a batch', async () => {
  await seedDemoStore(t.rt);
  const template = await createTemplate(t, DEMO_OWNER_OPENID, { totalStock: null });
  const batch = await call<CardBatchView>(DEMO_OWNER_OPENID, 'card.batch.create', batchInput(t, { templateId: template.id, quantity: 2 }));
  const exported = await call<CardExportView>(DEMO_OWNER_OPENID, 'card.export.start', { batchId: batch.id });
  expect(exported.status).toBe('done');
  const pdf = readPdf(downloaded(t, exported.parts[0].pdfUrl));
  expect(pdf.pages).toBe(1);
  // The demo store's name, set in the embedded font.
  expect(pdf.pageTexts[0]).toContain('山间茶舍（演示店铺）');
  const { manifest } = readZip(downloaded(t, exported.parts[0].zipUrl));
  expect(await call<CardScanView>('visitor', 'card.scan', { scene: manifest[1].scene })).toMatchObject({ state: 'fresh', card: { serial: 2 } });
}, 60_000);
