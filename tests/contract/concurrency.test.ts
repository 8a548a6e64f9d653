/**
 * Invariants under concurrency: conditional decrements never oversell, within one process and
 * between two OS processes sharing the database file; acknowledged writes survive kill -9.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalDatabase } from '../../local/db';
import { type Local, openLocal, removeDbFile, REPO_ROOT, type Sdk, tempDbFile, testCollections } from './helpers';

jest.setTimeout(60_000);

// `node --import <tsx loader>` rather than the tsx CLI: the CLI runs the script in a grandchild,
// which a SIGKILL to the CLI would not reach.
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const child = (script: string, args: string[]): ChildProcess =>
  spawn(process.execPath, ['--import', TSX_LOADER, path.join(__dirname, 'children', script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TZ: 'UTC' },
  });

function finished(p: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  p.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function printed(p: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) resolve();
    });
    p.on('exit', () => reject(new Error(`child exited before printing ${text}`)));
  });
}

describe('in one process', () => {
  let L: Local;
  beforeAll(() => {
    L = openLocal();
  });
  afterAll(() => L.ldb.close());

  it('500 concurrent conditional decrements on stock 100 succeed exactly 100 times', async () => {
    await L.c('stock').add({ data: { _id: 'c1', n: 100 } });
    const results = await Promise.all(
      Array.from({ length: 500 }, () => L.c('stock').where({ _id: 'c1', n: L._.gt(0) }).update({ data: { n: L._.inc(-1) } })),
    );
    expect(results.filter((r: Sdk) => r.stats.updated === 1)).toHaveLength(100);
    expect((await L.c('stock').doc('c1').get()).data.n).toBe(0);
  });
});

describe('across OS processes on one file', () => {
  it('two processes racing conditional decrements never oversell', async () => {
    const file = tempDbFile('tcb-race-');
    const parent = new LocalDatabase({ file, collections: testCollections });
    await parent.send('database.insertDocument', { collectionName: 'stock', data: ['{"_id":"hot","n":{"$numberInt":"100"}}'] });
    const children = [child('decrement.ts', [file, 'hot', '150', '8']), child('decrement.ts', [file, 'hot', '150', '8'])];
    const results = children.map(finished);
    await Promise.all(children.map((p) => printed(p, 'ready')));
    await parent.send('database.insertDocument', { collectionName: 'stock', data: ['{"_id":"go"}'] });
    const runs = await Promise.all(results);
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const oks = runs.map((r) => (JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { ok: number }).ok);
    expect(oks[0] + oks[1]).toBe(100);
    const stock = await parent.send('database.getDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"hot"}', multi: false });
    expect((stock.data as { list: string[] }).list[0]).toContain('"n":{"$numberInt":"0"}');
    const logged = await parent.send('database.calculateDocument', { collectionName: 'log', queryType: 'WHERE' });
    expect((logged.data as { total: number }).total).toBe(100);
    parent.close();
    removeDbFile(file);
  });

  it('a process killed with SIGKILL loses none of its acknowledged writes', async () => {
    const file = tempDbFile('tcb-kill-');
    const setup = new LocalDatabase({ file, collections: testCollections });
    await setup.send('database.insertDocument', { collectionName: 'stock', data: ['{"_id":"counter","n":{"$numberInt":"0"}}'] });
    setup.close();
    const writer = child('writer.ts', [file]);
    const done = finished(writer);
    const acked = await new Promise<number>((resolve, reject) => {
      writer.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      let last = -1;
      let buffer = '';
      writer.stdout?.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) last = Number(line.replace('ack ', ''));
        if (last >= 150 && !writer.killed) {
          writer.kill('SIGKILL');
          resolve(last);
        }
      });
    });
    const exit = await done;
    expect(exit.code).toBeNull(); // killed by the signal, no clean shutdown
    const db = openLocal({ file });
    try {
      const ids = Array.from({ length: acked + 1 }, (_v, i) => `w${i}`);
      let found = 0;
      for (let i = 0; i < ids.length; i += 500) {
        found += (await db.c('log').where({ _id: db._.in(ids.slice(i, i + 500)) }).count()).total;
      }
      expect(found).toBe(acked + 1);
      expect((await db.c('stock').doc('counter').get()).data.n).toBeGreaterThanOrEqual(acked + 1);
    } finally {
      db.ldb.close();
      removeDbFile(file);
    }
  });
});
