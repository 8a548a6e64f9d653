/**
 * One way every cloud function is written. An entry lists its actions; each action declares its
 * input schema, whether it needs staff rights, and whether it mutates (and so needs a request id).
 * `main` validates the envelope, finds the caller, runs the guard, parses the payload and answers
 * `{ ok, data }` or `{ ok: false, error }`, never a thrown error or a stack trace.
 */
import { randomUUID } from 'node:crypto';
import cloud from 'wx-server-sdk';
import type { z } from 'zod';
import type { ApiResult, StaffRole } from '../../typings';
import { now } from './clock';
import { AppError, fail } from './errors';
import { requireStaff, type StaffDoc } from './staff-guard';
import { envelopeSchema, parseOrFail } from './validate';

export interface ActionContext {
  /** The caller, from the platform (never from the payload). */
  openid: string;
  unionid: string | null;
  /** Present on every mutating action: the key of its idempotency. */
  requestId: string;
  /** The moment this call started, from the one clock. */
  now: Date;
  /** The caller's staff record when the action requires staff, else null. */
  staff: StaffDoc | null;
}

export interface ActionSpec<Req, Res> {
  input: z.ZodType<Req>;
  /** Lowest staff role allowed; customer actions leave it out. */
  staff?: StaffRole;
  /** Actions that write need a client request id so a retry has no second effect. */
  mutates?: boolean;
  handler: (ctx: ActionContext, input: Req) => Promise<Res>;
}

type ActionMap<Api> = {
  [K in keyof Api]: Api[K] extends { req: infer Q; res: infer R } ? ActionSpec<Q, R> : never;
};

/** A timer trigger's event as CloudBase delivers it. */
export interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time: string;
}

export interface TimerContext {
  now: Date;
  requestId: string;
  triggerName: string;
}

export interface CloudFunction<Api> {
  name: string;
  actions: ActionMap<Api>;
  main: (event: unknown, context?: { request_id?: string }) => Promise<ApiResult<unknown>>;
}

interface FunctionOptions {
  /** Runs when the function's timer trigger fires (see its config.json). */
  onTimer?: (ctx: TimerContext) => Promise<unknown>;
}

let initialised = false;
function initCloud(): void {
  if (initialised) return;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  initialised = true;
}

function log(level: 'info' | 'error', fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, at: now().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (process.env.PRIVDOM_LOG !== 'silent') console.log(line);
}

function isTimerEvent(event: unknown): event is TimerEvent {
  return !!event && typeof event === 'object' && (event as { Type?: unknown }).Type === 'Timer';
}

export function defineFunction<Api>(
  name: string,
  actions: ActionMap<Api>,
  options: FunctionOptions = {},
): CloudFunction<Api> {
  const table = actions as Record<string, ActionSpec<unknown, unknown>>;

  async function runAction(event: unknown, traceId: string): Promise<ApiResult<unknown>> {
    const envelope = parseOrFail(envelopeSchema, event, '');
    const spec = Object.prototype.hasOwnProperty.call(table, envelope.action) ? table[envelope.action] : undefined;
    if (!spec) fail('UNKNOWN_ACTION', `不支持的操作：${envelope.action}`);

    const wx = cloud.getWXContext();
    const openid = typeof wx.OPENID === 'string' ? wx.OPENID : '';
    if (!openid) fail('UNAUTHENTICATED');
    if (spec.mutates && !envelope.requestId) {
      fail('INVALID_INPUT', undefined, [{ path: 'requestId', message: '此操作需要请求编号（requestId）' }]);
    }
    const staff = spec.staff ? await requireStaff(openid, spec.staff) : null;
    const input = parseOrFail(spec.input, envelope.payload ?? {}, 'payload');
    const ctx: ActionContext = {
      openid,
      unionid: typeof wx.UNIONID === 'string' && wx.UNIONID ? wx.UNIONID : null,
      requestId: envelope.requestId ?? traceId,
      now: now(),
      staff,
    };
    return { ok: true, data: await spec.handler(ctx, input) };
  }

  async function main(event: unknown, context?: { request_id?: string }): Promise<ApiResult<unknown>> {
    initCloud();
    const traceId = context?.request_id ?? randomUUID();
    try {
      if (isTimerEvent(event) && !cloud.getWXContext().OPENID) {
        if (!options.onTimer) fail('UNKNOWN_ACTION', '此云函数没有定时任务');
        const data = await options.onTimer({ now: now(), requestId: traceId, triggerName: event.TriggerName });
        log('info', { fn: name, timer: event.TriggerName, requestId: traceId, data });
        return { ok: true, data };
      }
      return await runAction(event, traceId);
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toApiError() };
      const action = event && typeof event === 'object' ? (event as { action?: unknown }).action : undefined;
      log('error', { fn: name, action, requestId: traceId, error: err instanceof Error ? err.stack : String(err) });
      return { ok: false, error: new AppError('INTERNAL').toApiError(traceId) };
    }
  }

  return { name, actions, main };
}
