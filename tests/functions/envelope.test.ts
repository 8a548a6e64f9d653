/** The function runtime's edge: envelopes, callers, and what the client sees when things go wrong. */
import fc from 'fast-check';
import { measure } from '../../local/context';
import { declaredActions } from '../support/functions';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';

const t = useRuntime();

describe('the envelope', () => {
  it.each([
    ['not an object', 'hello'],
    ['an array', [1, 2]],
    ['no action', { payload: {} }],
    ['a numeric action', { action: 7, payload: {} }],
    ['a bad request id', { action: 'staff.me', payload: {}, requestId: 'x' }],
  ])('rejects %s with INVALID_INPUT', async (_label, event) => {
    expect(errorOf(await t.raw('someone', 'staff', event)).code).toBe('INVALID_INPUT');
  });

  it('names the unknown action', async () => {
    const error = errorOf(await t.raw('someone', 'staff', { action: 'staff.fly', payload: {} }));
    expect(error.code).toBe('UNKNOWN_ACTION');
    expect(error.message).toContain('staff.fly');
  });

  it('does not treat inherited object keys as actions', async () => {
    expect(errorOf(await t.raw('someone', 'staff', { action: 'constructor', payload: {} })).code).toBe('UNKNOWN_ACTION');
  });

  it('asks for a request id on mutating actions and points at the field', async () => {
    const owner = await makeOwner(t);
    const error = errorOf(await t.raw(owner, 'staff', { action: 'staff.invite', payload: { name: '甲', role: 'clerk' } }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'requestId' }] });
  });

  it('lists each bad field in Chinese', async () => {
    const owner = await makeOwner(t);
    const error = errorOf(await t.call(owner, 'staff', 'staff.invite', { name: '', role: 'boss' } as never, rid()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields?.map((f) => f.path).sort()).toEqual(['payload.name', 'payload.role']);
    expect(error.fields?.find((f) => f.path === 'payload.name')?.message).toBe('请填写姓名');
  });

  it('refuses a call without a caller', async () => {
    expect(errorOf(await t.raw(null, 'staff', { action: 'staff.me', payload: {} })).code).toBe('UNAUTHENTICATED');
  });

  it('answers INTERNAL with a request id and no internals, and logs the detail under that id', async () => {
    const owner = await makeOwner(t);
    const key = process.env.PRIVDOM_SIGNING_KEY;
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    delete process.env.PRIVDOM_SIGNING_KEY;
    try {
      const error = errorOf(await t.call(owner, 'staff', 'staff.invite', { name: '甲', role: 'clerk' }, rid()));
      expect(error.code).toBe('INTERNAL');
      expect(error.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(error)).not.toMatch(/PRIVDOM|at .*\.ts|Error:/);
      const line = JSON.parse(String(logged.mock.calls[0][0]));
      expect(line).toMatchObject({ level: 'error', fn: 'staff', action: 'staff.invite', requestId: error.requestId });
      expect(line.error).toContain('PRIVDOM_SIGNING_KEY is not configured');
    } finally {
      process.env.PRIVDOM_SIGNING_KEY = key;
      logged.mockRestore();
    }
  });
});

describe('callers', () => {
  it('concurrent calls each see their own caller', async () => {
    const owner = await makeOwner(t);
    await makeStaff(t, owner, 'clerk-0', 'clerk');
    const callers = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 'clerk-0' : i % 3 === 1 ? owner : `customer-${i}`));
    const results = await Promise.all(callers.map((c) => t.call(c, 'staff', 'staff.me', {})));
    results.forEach((r, i) => {
      const expected = callers[i].startsWith('customer') ? null : callers[i];
      expect(ok(r).member?.openid ?? null).toBe(expected);
    });
  });

  it('a timer-shaped event from a customer is not run as a timer', async () => {
    const error = errorOf(await t.raw('customer', 'staff', { Type: 'Timer', TriggerName: 'x' }));
    expect(error.code).toBe('INVALID_INPUT');
  });
});

describe('generated bad input', () => {
  const actions = declaredActions();
  // Hostile shapes on top of fast-check's arbitrary values.
  const hostile = fc.oneof(
    fc.anything(),
    fc.record({ name: fc.string({ maxLength: 500 }), role: fc.string(), openid: fc.string(), code: fc.string(), reason: fc.string() }, { requiredKeys: [] }),
    fc.constantFrom({ __proto__: { admin: true } }, { $where: '1' }, { name: { $gt: '' } }, { constructor: { prototype: {} } }),
  );

  it.each(actions)('$fn/$action never crashes and writes nothing when it refuses the payload', async ({ fn, action }) => {
    const owner = await makeOwner(t);
    await fc.assert(
      fc.asyncProperty(hostile, async (payload) => {
        const { result, cost } = await measure(() => t.raw(owner, fn, { action, payload, requestId: rid() }));
        if (!result.ok) {
          expect(result.error.code).not.toBe('INTERNAL');
          if (result.error.code === 'INVALID_INPUT') expect(cost.writes).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});
