import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';

const t = useRuntime();

async function auditActions(): Promise<string[]> {
  const res = await getDb().collection(COLLECTIONS.auditLog).orderBy('at', 'asc').limit(100).get();
  return (res.data as { action: string }[]).map((e) => e.action);
}

describe('staff: invitations and roles', () => {
  it('an owner invites a clerk, the clerk redeems the code and becomes staff', async () => {
    const owner = await makeOwner(t);
    const invite = ok(await t.call(owner, 'staff', 'staff.invite', { name: '小王', role: 'clerk' }, rid()));
    expect(invite.path).toContain('/admin/pages/join/index?code=');

    expect(ok(await t.call('clerk-1', 'staff', 'staff.me', {})).member).toBeNull();
    const joined = ok(await t.call('clerk-1', 'staff', 'staff.redeemInvite', { code: invite.code }, rid()));
    expect(joined.member).toMatchObject({ openid: 'clerk-1', name: '小王', role: 'clerk', status: 'active' });
    expect(ok(await t.call('clerk-1', 'staff', 'staff.me', {})).member?.role).toBe('clerk');
    expect(await auditActions()).toEqual(['staff.bootstrapOwner', 'staff.join']);
  });

  it('a retried invite with the same request id returns the same code instead of a second invite', async () => {
    const owner = await makeOwner(t);
    const requestId = rid();
    const first = ok(await t.call(owner, 'staff', 'staff.invite', { name: '小李', role: 'clerk' }, requestId));
    const again = ok(await t.call(owner, 'staff', 'staff.invite', { name: '小李', role: 'clerk' }, requestId));
    expect(again.code).toBe(first.code);
    const { total } = await getDb().collection(COLLECTIONS.staffInvites).count();
    expect(total).toBe(1);
  });

  it('a code works once: a second person is told it was used, the first can retry safely', async () => {
    const owner = await makeOwner(t);
    const invite = ok(await t.call(owner, 'staff', 'staff.invite', { name: '小张', role: 'clerk' }, rid()));
    ok(await t.call('first', 'staff', 'staff.redeemInvite', { code: invite.code }, rid()));
    expect(ok(await t.call('first', 'staff', 'staff.redeemInvite', { code: invite.code }, rid())).member.openid).toBe('first');
    const second = errorOf(await t.call('second', 'staff', 'staff.redeemInvite', { code: invite.code }, rid()));
    expect(second.code).toBe('ALREADY_USED');
    expect(ok(await t.call('second', 'staff', 'staff.me', {})).member).toBeNull();
  });

  it('twenty people racing for one code: exactly one becomes staff', async () => {
    const owner = await makeOwner(t);
    const invite = ok(await t.call(owner, 'staff', 'staff.invite', { name: '抢码', role: 'clerk' }, rid()));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.call(`racer-${i}`, 'staff', 'staff.redeemInvite', { code: invite.code }, rid())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'ALREADY_USED')).toBe(true);
    const { total } = await getDb().collection(COLLECTIONS.staff).where({ role: 'clerk' }).count();
    expect(total).toBe(1);
  });

  it('an expired code is refused at the end of its validity', async () => {
    const owner = await makeOwner(t);
    t.rt.clock.set('2026-03-01T04:00:00Z');
    const invite = ok(await t.call(owner, 'staff', 'staff.invite', { name: '过期', role: 'clerk', validHours: 1 }, rid()));
    t.rt.clock.set('2026-03-01T05:00:00Z');
    expect(errorOf(await t.call('late', 'staff', 'staff.redeemInvite', { code: invite.code }, rid())).code).toBe('EXPIRED');
  });

  it('a forged or altered code is not accepted', async () => {
    const owner = await makeOwner(t);
    const invite = ok(await t.call(owner, 'staff', 'staff.invite', { name: '伪造', role: 'admin' }, rid()));
    const [id, sig] = invite.code.split('.');
    const altered = `${id.slice(0, -1)}${id.endsWith('a') ? 'b' : 'a'}.${sig}`;
    for (const code of [altered, `${id}.AAAAAAAAAAAA`, 'nonsense.code', `${invite.code}.x`]) {
      expect(errorOf(await t.call('forger', 'staff', 'staff.redeemInvite', { code }, rid())).code).toBe('NOT_FOUND');
    }
    expect(ok(await t.call('forger', 'staff', 'staff.me', {})).member).toBeNull();
  });

  it('only an owner may invite an admin; admins invite clerks', async () => {
    const owner = await makeOwner(t);
    const admin = await makeStaff(t, owner, 'admin-1', 'admin');
    expect(errorOf(await t.call(admin, 'staff', 'staff.invite', { name: '新管理员', role: 'admin' }, rid())).code).toBe('FORBIDDEN');
    ok(await t.call(admin, 'staff', 'staff.invite', { name: '新店员', role: 'clerk' }, rid()));
  });

  it('revoking works at once, is logged, and the revoked member reaches nothing', async () => {
    const owner = await makeOwner(t);
    const admin = await makeStaff(t, owner, 'admin-2', 'admin');
    const listed = ok(await t.call(admin, 'staff', 'staff.list', {}));
    expect(listed.members.map((m) => m.openid).sort()).toEqual(['admin-2', 'owner-1']);

    const revoked = ok(await t.call(owner, 'staff', 'staff.revoke', { openid: admin, reason: '离职' }, rid()));
    expect(revoked.member.status).toBe('revoked');
    expect(errorOf(await t.call(admin, 'staff', 'staff.list', {})).code).toBe('FORBIDDEN');
    expect(ok(await t.call(admin, 'staff', 'staff.me', {})).member).toBeNull();
    expect(await auditActions()).toContain('staff.revoke');
    const all = ok(await t.call(owner, 'staff', 'staff.list', { includeRevoked: true }));
    expect(all.members.find((m) => m.openid === admin)?.status).toBe('revoked');
  });

  it('an admin cannot revoke the owner or another admin, and nobody revokes themselves', async () => {
    const owner = await makeOwner(t);
    const a1 = await makeStaff(t, owner, 'admin-a', 'admin');
    const a2 = await makeStaff(t, owner, 'admin-b', 'admin');
    expect(errorOf(await t.call(a1, 'staff', 'staff.revoke', { openid: owner, reason: 'x' }, rid())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call(a1, 'staff', 'staff.revoke', { openid: a2, reason: 'x' }, rid())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call(owner, 'staff', 'staff.revoke', { openid: owner, reason: 'x' }, rid())).code).toBe('FORBIDDEN');
  });
});
