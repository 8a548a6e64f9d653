/** What a visitor sees on the home page, from the `app` function. */
import { seedDemoStore } from '../../local/seed';
import { createTemplate } from '../coupons/support';
import { ok, rid, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';

const t = useRuntime();

it('a visitor to an unconfigured store sees a neutral name and no campaigns', async () => {
  const home = ok(await t.call('visitor', 'app', 'home.get', {}));
  expect(home.store.name).toBe('我的店铺');
  expect(home.campaigns).toEqual([]);
  expect(home.viewer).toEqual({ isStaff: false, role: null });
  expect(home.localRuntime).toBe(true);
});

it('active coupons open to everyone or to members show as campaigns; paused and segment-only ones do not', async () => {
  await seedDemoStore(t.rt);
  const owner = await makeOwner(t);
  const open = await createTemplate(t, owner, { title: '新客满减' });
  const paused = await createTemplate(t, owner, { title: '已暂停' });
  ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: paused.id, status: 'paused' }, rid()));
  await createTemplate(t, owner, { title: '重度用户专享', audience: { type: 'segment', segment: 'heavy' } });

  const home = ok(await t.call('visitor', 'app', 'home.get', {}));
  expect(home.campaigns).toEqual([
    { id: 'demo-welcome', title: '感谢您的购买', subtitle: '扫码加入会员，下次购买满 99 减 20', kind: 'package_card' },
    { id: open.id, title: '新客满减', subtitle: '满99减20', kind: 'coupon' },
  ]);
});

it('a coupon kept for package cards is neither on the home page nor claimable there, yet cards still hand it out', async () => {
  const owner = await makeOwner(t);
  const cardOnly = await createTemplate(t, owner, { title: '包裹卡专享', publicClaim: false });
  expect(cardOnly.publicClaim).toBe(false);

  const home = ok(await t.call('visitor', 'app', 'home.get', {}));
  expect(home.campaigns.map((c) => c.id)).not.toContain(cardOnly.id);
  const view = ok(await t.call('visitor', 'coupon', 'coupon.claimable', { templateId: cardOnly.id }));
  expect(view).toMatchObject({ canClaim: false, reasonCode: 'FORBIDDEN', reason: '这张券仅通过包裹卡、邀请等活动发放' });
  const claim = await t.call('visitor', 'coupon', 'coupon.claim', { templateId: cardOnly.id }, rid());
  expect(claim).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
