/**
 * The local gateway: cloud functions over HTTP on 127.0.0.1, for WeChat DevTools, curl, tests and
 * benchmarks. `POST /fn/<name>` takes the event as the body and the caller in `x-wx-openid`, and
 * answers the function's own result. Every bad request gets an `{ ok: false, error }` answer.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ApiResult, ErrorCode } from '../typings';
import { safeStoragePath } from './platform';
import type { LocalRuntime } from './runtime';

const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Cloud storage's local stand-in: files the functions stored, by their cloud path. */
function serveStored(runtime: LocalRuntime, pathname: string, res: http.ServerResponse): void {
  let rel: string;
  try {
    rel = safeStoragePath(decodeURIComponent(pathname.slice('/storage/'.length)));
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', '文件路径不合法');
  }
  const file = path.join(runtime.storageDir, rel);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new HttpError(404, 'NOT_FOUND', '文件不存在或已过期');
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
  });
  createReadStream(file).pipe(res);
}

export interface GatewayOptions {
  /** Largest request body accepted; CloudBase caps callFunction payloads at a few MB, we stay below. */
  maxBodyBytes?: number;
}

const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new HttpError(413, 'INVALID_INPUT', `请求体超过 ${limit} 字节`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, 'INVALID_INPUT', `请求体超过 ${limit} 字节`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createGateway(runtime: LocalRuntime, options: GatewayOptions = {}): http.Server {
  // Room for the files sent as base64 where there is no cloud storage (a 2 MB CSV, a 1 MB QR image).
  const maxBodyBytes = options.maxBodyBytes ?? 3 * 1024 * 1024;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      return send(res, 200, { ok: true, functions: runtime.functionNames });
    }
    if (req.method === 'GET' && url.pathname.startsWith('/storage/')) return serveStored(runtime, url.pathname, res);
    const match = /^\/(fn|timer)\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (!match) throw new HttpError(404, 'NOT_FOUND', '没有这个地址：请使用 POST /fn/<云函数名>');
    if (req.method !== 'POST') throw new HttpError(405, 'INVALID_INPUT', '请使用 POST');
    const [, kind, name] = match;
    if (!runtime.functionNames.includes(name)) throw new HttpError(404, 'NOT_FOUND', `没有名为 ${name} 的云函数`);

    if (kind === 'timer') {
      // Local only: lets a developer fire a timer trigger by hand.
      return send(res, 200, await runtime.fireTimer(name, url.searchParams.get('trigger') ?? 'timer'));
    }
    const openid = req.headers['x-wx-openid'];
    if (typeof openid !== 'string' || !OPENID_PATTERN.test(openid)) {
      throw new HttpError(401, 'UNAUTHENTICATED', '缺少调用者：请在请求头 x-wx-openid 中提供 openid');
    }
    const text = await readBody(req, maxBodyBytes);
    let event: unknown;
    try {
      event = JSON.parse(text || '{}');
    } catch {
      throw new HttpError(400, 'INVALID_INPUT', '请求体不是合法的 JSON');
    }
    const unionid = req.headers['x-wx-unionid'];
    send(res, 200, await runtime.invoke(name, event, { OPENID: openid, ...(typeof unionid === 'string' ? { UNIONID: unionid } : {}) }));
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const code: ErrorCode = err instanceof HttpError ? err.code : 'INTERNAL';
      if (!(err instanceof HttpError)) console.error('[gateway]', err);
      const body: ApiResult<never> = { ok: false, error: { code, message: err instanceof HttpError ? err.message : '本地网关出错' } };
      if (!res.headersSent) send(res, status, body);
      else res.destroy();
    });
  });
}
