/** Admins hear about an entry before customers would see no group: once a day, only if they asked. */
import { ok, rid, useRuntime } from '../support/runtime';
import { makeStaff } from '../support/staff';
import { addGroup, createEntry, fireTimer, openStore, outbox } from './support';

const t = useRuntime();

const subscribe = async (admin: string) => ok(await t.call(admin, 'community', 'community.alerts.subscribe', { accepted: true }, rid()));

describe('alerts to admins', () => {
  it('an admin who accepted hears once that the last group’s code expires within a day, not on every run', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { owner, admin } = await openStore(t, 0);
    const quiet = await makeStaff(t, owner, 'admin-quiet', 'admin');
    const entry = await createEntry(t, admin, { name: '龙井包裹卡' });
    await addGroup(t, admin, entry.id, '茶友 1 群', { expiresAt: '2026-03-10T20:00:00Z' });
    expect(ok(await t.call(admin, 'community', 'community.alerts.status', {}))).toEqual({ templateId: 'local-community-alert', credits: 0 });
    await subscribe(admin);
    expect((await subscribe(admin)).credits).toBe(2);

    expect(await fireTimer(t)).toMatchObject({ alerts: 1 });
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });
    t.rt.clock.set('2026-03-10T03:00:00Z');
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });

    const messages = await outbox();
    expect(messages).toEqual([
      expect.objectContaining({
        toOpenid: admin,
        page: `admin/pages/community/entry/index?id=${entry.id}`,
        data: { thing1: { value: '龙井包裹卡' }, thing2: { value: '最后的群码即将过期，请上传新群码' }, time3: { value: '2026-03-11 04:00' } },
      }),
    ]);
    expect(messages.some((m) => m.toOpenid === quiet)).toBe(false);
    expect(ok(await t.call(admin, 'community', 'community.alerts.status', {})).credits).toBe(1);
  });

  it('room running low, and then no group left, are each told once a day', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { admin } = await openStore(t, 0);
    const entry = await createEntry(t, admin);
    await addGroup(t, admin, entry.id, '小群', { capacity: 20 });
    for (let i = 0; i < 19; i++) ok(await t.call(`guest-${i}`, 'community', 'community.open', { entryId: entry.id }));
    for (let i = 0; i < 3; i++) await subscribe(admin);

    expect(await fireTimer(t)).toMatchObject({ alerts: 1 });
    ok(await t.call('guest-19', 'community', 'community.open', { entryId: entry.id }));
    expect(await fireTimer(t)).toMatchObject({ alerts: 1 });
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });
    expect((await outbox()).map((m) => m.data.thing2.value)).toEqual(['剩余名额不足一成，请添加新群', '暂无可用群，顾客只能看到员工码']);

    // The next day the entry is still without a group: one more message.
    t.rt.clock.set('2026-03-11T02:00:00Z');
    expect(await fireTimer(t)).toMatchObject({ alerts: 1 });
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });
  });

  it('without an accepted subscription nothing is sent; accepting later that day sends it once', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { admin } = await openStore(t, 0);
    const entry = await createEntry(t, admin);
    await addGroup(t, admin, entry.id, '茶友 1 群', { expiresAt: '2026-03-10T10:00:00Z' });
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });
    expect(await outbox()).toHaveLength(0);
    await subscribe(admin);
    expect(await fireTimer(t)).toMatchObject({ alerts: 1 });
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });
    expect(await outbox()).toHaveLength(1);
  });

  it('a healthy entry, and one that never had a group, send nothing', async () => {
    const { admin } = await openStore(t, 0);
    await subscribe(admin);
    const healthy = await createEntry(t, admin);
    await addGroup(t, admin, healthy.id, '茶友 1 群');
    await createEntry(t, admin, { name: '还没有群的入口' });
    expect(await fireTimer(t)).toMatchObject({ alerts: 0 });
    expect(await outbox()).toHaveLength(0);
  });
});
