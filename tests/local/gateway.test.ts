/** The local gateway as a developer or DevTools meets it: over real HTTP on 127.0.0.1. */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { createGateway } from '../../local/gateway';
import { seedDemoStore } from '../../local/seed';
import { useRuntime } from '../support/runtime';

const t = useRuntime();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = createGateway(t.rt, { maxBodyBytes: 4096 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, body: string, headers: Record<string, string> = { 'x-wx-openid': 'visitor' }) {
  const res = await fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } } };
}

it('answers the health check with the functions it serves', async () => {
  const res = await fetch(`${base}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, functions: expect.arrayContaining(['app', 'staff']) });
});

it('runs an action for the caller named in x-wx-openid', async () => {
  await seedDemoStore(t.rt);
  const res = await post('/fn/app', JSON.stringify({ action: 'home.get', payload: {} }), { 'x-wx-openid': 'demo-owner' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ ok: true, data: { store: { name: '山间茶舍（演示店铺）' }, viewer: { isStaff: true, role: 'owner' } } });
});

it.each([
  ['malformed JSON', '/fn/app', '{"action":', undefined, 400, 'INVALID_INPUT'],
  ['an unknown function', '/fn/nope', '{}', undefined, 404, 'NOT_FOUND'],
  ['a missing caller', '/fn/app', '{}', {}, 401, 'UNAUTHENTICATED'],
  ['a malformed caller', '/fn/app', '{}', { 'x-wx-openid': 'a b' }, 401, 'UNAUTHENTICATED'],
  ['an oversized body', '/fn/app', JSON.stringify({ action: 'home.get', payload: { pad: 'x'.repeat(5000) } }), undefined, 413, 'INVALID_INPUT'],
  ['an unknown path', '/nowhere', '{}', undefined, 404, 'NOT_FOUND'],
])('answers %s with a clear error', async (_label, path, body, headers, status, code) => {
  const res = await post(path, body, headers);
  expect(res.status).toBe(status);
  expect(res.body.ok).toBe(false);
  expect(res.body.error?.code).toBe(code);
  expect(res.body.error?.message).toMatch(/[\u4e00-\u9fa5]/);
});

it('keeps serving after bad requests', async () => {
  await post('/fn/app', 'garbage');
  const res = await post('/fn/app', JSON.stringify({ action: 'home.get', payload: {} }));
  expect(res.body.ok).toBe(true);
});

it('refuses GET on a function', async () => {
  const res = await fetch(`${base}/fn/app`);
  expect(res.status).toBe(405);
});

describe('stored files (cloud storage stand-in)', () => {
  it('serves a file a function stored, by the link the platform gave', async () => {
    const { platform } = await import('../../server/runtime/platform');
    process.env.PRIVDOM_GATEWAY_URL = base;
    const stored = await platform().storeFile('batches/b1/manifest.csv', Buffer.from('serial,scene\n1,abc\n'));
    const url = await platform().fileUrl(stored.fileId);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(await res.text()).toBe('serial,scene\n1,abc\n');
  });

  it('never serves a path outside the storage folder', async () => {
    for (const p of ['/storage/..%2F..%2Fetc%2Fpasswd', '/storage/%2Fetc%2Fpasswd']) {
      const res = await fetch(base + p);
      expect(res.status).toBe(400);
    }
    expect((await fetch(`${base}/storage/missing.pdf`)).status).toBe(404);
  });
});
