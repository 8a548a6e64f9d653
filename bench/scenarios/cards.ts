/**
 * A 10,000-card batch, made and exported for print the way staff would: `card.batch.create` (one
 * reserved coupon per card), `card.batch.prepare` until active, `card.export.start` and
 * `card.export.continue` until done (20 parts of 500 cards: PNG codes, PDF sheets, ZIP + manifest).
 *
 * - `cardBatch10kSeconds`: wall time from the create call to the last part stored.
 * - `cardBatch10kPeakMB`: the peak resident memory of the process that did it. The bench server
 *   is a shared child process (its peak would mix in the other scenarios' load), so the work runs
 *   in a child of its own, started from this file: a local runtime on a fresh data folder (SQLite
 *   file, stored files on disk) running the built bundles, driven in-process with `invoke`. At
 *   the end it reads VmHWM from /proc/self/status, the kernel's high-water mark of its RSS over
 *   its whole life (startup, SQLite, fonts included), so no short peak between samples is missed.
 *   Where /proc is missing it falls back to the largest `process.memoryUsage().rss` sampled every
 *   20 ms.
 * - `callsPerCardScan`: billable operations (invocation + reads + writes) of one scan of a card,
 *   measured with `measure()` on the same runtime.
 *
 * Locally the codes come from the stand-in (a plain QR code drawn with `qrcode`); in production they
 * are `wxacode.getUnlimited` calls, limited to 5,000 a minute, so there a 10,000-card export spans
 * several timer-driven steps whatever the CPU time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { measure } from '../../local/context';
import type { ApiResult, CardBatchInput, CardBatchView, CardExportView, CouponTemplateInput, CouponTemplateView } from '../../typings';
import { runInChild, say, type Scenario } from '../harness';

const CARDS = 10_000;
const RESULT = 'CARD-BENCH ';

interface Generated {
  seconds: number;
  peakMB: number;
  peakSource: 'VmHWM' | 'sampled';
  prepareCalls: number;
  exportCalls: number;
  parts: number;
  pdfPages: number;
  scanOps: number;
  /** Wall time during which at least one code was being drawn (the platform's part). */
  codeSeconds: number;
}

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

function highWaterMB(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Times the platform's code drawing from outside (it runs 8 at a time): the seconds during which at
 * least one call was in flight. The codes themselves are the platform's own.
 */
async function timeCodeDrawing(): Promise<() => number> {
  const { installPlatform, platform } = await import('../../server/runtime/platform');
  const inner = platform();
  let active = 0;
  let since = 0;
  let busy = 0;
  installPlatform({
    ...inner,
    async miniProgramCode(req) {
      if (active++ === 0) since = performance.now();
      try {
        return await inner.miniProgramCode(req);
      } finally {
        if (--active === 0) busy += performance.now() - since;
      }
    },
  });
  return () => busy / 1000;
}

/** Runs in the child: makes and exports the batch, then reports. */
async function generate(dataDir: string): Promise<Generated> {
  let sampled = process.memoryUsage().rss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
  process.env.PRIVDOM_LOG = 'silent';
  const { LocalRuntime } = await import('../../local/runtime');
  const { DEMO_OWNER_OPENID, seedDemoStore } = await import('../../local/seed');
  const rt = new LocalRuntime({ dataDir, load: 'bundle' });
  const codeSeconds = await timeCodeDrawing();
  try {
    await seedDemoStore(rt);
    let n = 0;
    const invoke = <T>(fn: string, action: string, payload: object, openid = DEMO_OWNER_OPENID) =>
      rt.invoke(fn, { action, payload, requestId: `bench-card-${process.pid}-${++n}` }, { OPENID: openid }) as Promise<ApiResult<T>>;

    const template: CouponTemplateInput = {
      title: '包裹卡回购券',
      rules: '压测用券',
      kind: 'amount_off',
      amountOffFen: 2000,
      thresholdFen: 9900,
      validity: { type: 'relative', days: 30 },
      totalStock: null,
      perMemberLimit: 1,
      audience: { type: 'everyone' },
      stackable: false,
    };
    const tpl = data(await invoke<CouponTemplateView>('coupon', 'coupon.template.create', template), 'template');
    const validUntil = new Date(rt.clock.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    const input: CardBatchInput = { channel: 'taobao', product: '明前龙井 250g', quantity: CARDS, templateId: tpl.id, validUntil };

    const started = performance.now();
    let batch = data(await invoke<CardBatchView>('card', 'card.batch.create', input), 'create');
    let prepareCalls = 1;
    while (batch.status === 'preparing') {
      batch = data(await invoke<CardBatchView>('card', 'card.batch.prepare', { batchId: batch.id }), 'prepare');
      prepareCalls++;
    }
    let job = data(await invoke<CardExportView>('card', 'card.export.start', { batchId: batch.id }), 'export');
    let exportCalls = 1;
    while (job.status === 'running') {
      job = data(await invoke<CardExportView>('card', 'card.export.continue', { exportId: job.id }), 'continue');
      exportCalls++;
    }
    const seconds = (performance.now() - started) / 1000;
    if (job.status !== 'done' || job.done !== CARDS) throw new Error(`export ended ${job.status}: ${job.failure}`);

    const { sceneFor } = await import('../../server/cards/scene');
    const scene = sceneFor({ batchId: batch.id, serial: 1234, benefit: { kind: 'relative', templateId: tpl.id, days: 30 } });
    const scan = await measure(() => invoke('card', 'card.scan', { scene }, 'bench-scanner'));
    data(scan.result, 'scan');

    clearInterval(sampler);
    const hwm = highWaterMB();
    return {
      seconds,
      peakMB: hwm ?? sampled / 1024 / 1024,
      peakSource: hwm === null ? 'sampled' : 'VmHWM',
      prepareCalls,
      exportCalls,
      parts: job.parts.length,
      pdfPages: job.parts.reduce((sum, p) => sum + p.pages, 0),
      scanOps: scan.cost.invocations + scan.cost.reads + scan.cost.writes,
      codeSeconds: codeSeconds(),
    };
  } finally {
    clearInterval(sampler);
    rt.close();
  }
}

/** Runs `generate` in a child process of its own and reads its report. */
const inChild = (dataDir: string): Promise<Generated> => runInChild<Generated>(__filename, RESULT, [dataDir]);

export const cardScenario: Scenario = async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'privdom-card-bench-'));
  try {
    const g = await inChild(dataDir);
    const figures = {
      cardBatch10kSeconds: Number(g.seconds.toFixed(1)),
      cardBatch10kPeakMB: Math.round(g.peakMB),
      callsPerCardScan: g.scanOps,
    };
    say(
      `card batch 10k      made and exported in ${figures.cardBatch10kSeconds} s (${g.prepareCalls} prepare + ${g.exportCalls} export calls, ` +
        `${g.parts} PDF/ZIP parts, ${g.pdfPages} A4 pages), peak RSS ${figures.cardBatch10kPeakMB} MB (${g.peakSource}); ` +
        `${g.codeSeconds.toFixed(1)} s of it drawing the codes (local stand-in: qrcode PNGs)`,
    );
    say(`card scan           ${figures.callsPerCardScan} billable ops`);
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (require.main === module && process.argv[2] === '--generate') {
  generate(process.argv[3])
    .then((g) => {
      process.stdout.write(`${RESULT}${JSON.stringify(g)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
