/** Every admin action, enumerated from the real function entries, refuses callers who are not staff. */
import { measure } from '../../local/context';
import { declaredActions } from '../support/functions';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';

const t = useRuntime();
const adminActions = declaredActions().filter((a) => a.staff);

it('the enumeration finds the admin actions', () => {
  expect(adminActions.map((a) => `${a.fn}/${a.action}`)).toEqual(expect.arrayContaining(['staff/staff.list', 'staff/staff.invite', 'staff/staff.revoke']));
});

describe.each(adminActions)('$fn/$action (needs $staff)', ({ fn, action }) => {
  it('refuses a customer and writes nothing', async () => {
    await makeOwner(t);
    const { result, cost } = await measure(() => t.raw('customer-x', fn, { action, payload: {}, requestId: rid() }));
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(cost.writes).toBe(0);
  });

  it('refuses a staff member whose access was revoked', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-r', 'clerk');
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: clerk, reason: '离职' }, rid()));
    const { result, cost } = await measure(() => t.raw(clerk, fn, { action, payload: {}, requestId: rid() }));
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(cost.writes).toBe(0);
  });
});

it('a clerk is refused the actions that need an admin', async () => {
  const owner = await makeOwner(t);
  const clerk = await makeStaff(t, owner, 'clerk-c', 'clerk');
  for (const { fn, action } of adminActions.filter((a) => a.staff !== 'clerk')) {
    expect(errorOf(await t.raw(clerk, fn, { action, payload: {}, requestId: rid() })).code).toBe('FORBIDDEN');
  }
});
