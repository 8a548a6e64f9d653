/** Shared pieces of `npm run bench`: the server process, load generation and plain calls. */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../local/runtime-paths';

export const json = process.argv.includes('--json');
/** Human lines go to stdout, or to stderr when stdout must hold only the JSON object. */
export const say = (line: string): void => {
  (json ? process.stderr : process.stdout).write(line + '\n');
};
export const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

export interface BenchServer {
  child: ChildProcess;
  base: string;
}

export async function startServer(dataDir: string): Promise<BenchServer> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(ROOT, 'bench', 'server.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Sustained load: `connections` callers for DURATION_S seconds (or `amount` requests in all). */
export async function load(
  base: string,
  fn: string,
  event: object,
  connections: number,
  options: { amount?: number; openids?: string[] } = {},
): Promise<Load> {
  const openids = options.openids;
  let next = 0;
  const result = await autocannon({
    url: `${base}/fn/${fn}`,
    method: 'POST',
    connections,
    ...(options.amount ? { amount: options.amount } : { duration: DURATION_S }),
    headers: { 'content-type': 'application/json', 'x-wx-openid': 'bench-user' },
    body: JSON.stringify(event),
    ...(openids
      ? {
          requests: [
            {
              setupRequest: (req: { headers?: Record<string, string> }) => {
                req.headers = { ...req.headers, 'x-wx-openid': openids[next++ % openids.length] };
                return req;
              },
            },
          ],
        }
      : {}),
  } as autocannon.Options);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
  };
}

export async function call<T = unknown>(base: string, fn: string, event: object, openid = 'bench-user'): Promise<T> {
  const res = await fetch(`${base}/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(event),
  });
  return (await res.json()) as T;
}

/** A scenario measures one area and returns its figures for the bench JSON. */
export type Scenario = (server: BenchServer, baseline: { emptyActionRps: number }) => Promise<Record<string, number>>;

/**
 * Runs `script --generate ...args` in a child process of its own (so its peak memory and CPU are
 * its own) and returns the JSON it printed on the line starting with `marker`.
 */
export function runInChild<T>(script: string, marker: string, args: string[] = []): Promise<T> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script, '--generate', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(marker));
      if (code !== 0 || !line) reject(new Error(`${path.basename(script)} child exited with ${code}`));
      else resolve(JSON.parse(line.slice(marker.length)) as T);
    });
  });
}
