/**
 * Each role reaches exactly what it may. The tab shows a clerk 核销, members (phones masked), the
 * dashboard, campaigns and 社群; an admin also card batches, order imports, segment rules, tags,
 * 潜力买家, the team and 离职继承;
 * the owner everything, including exporting a segment or the 潜力买家 list, and a member's data
 * export and erasure. The cloud checks every action again, so the table below is held against real
 * calls as each role (and as a customer), not against the tab.
 */
import type { AdminAbilities, AdminArea, FunctionName, StaffRole } from '../../typings';
import { batchInput } from '../cards/support';
import { declaredActions } from '../support/functions';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { staffedStore } from './support';

const t = useRuntime();

type Reach = StaffRole | 'customer';

/** The lowest role that reaches each action the admin tab uses. */
const LOWEST: Record<string, StaffRole> = {
  // the tab's own actions (admin function)
  'admin/admin.home': 'clerk',
  'admin/member.find': 'clerk',
  'admin/member.page': 'clerk',
  'admin/member.timeline': 'clerk',
  'admin/member.tags.set': 'admin',
  'admin/dashboard.get': 'clerk',
  'admin/segment.overview': 'admin',
  'admin/segment.rules.set': 'admin',
  'admin/segment.export.start': 'owner',
  'admin/segment.export.continue': 'owner',
  'admin/segment.export.get': 'owner',
  'admin/audit.list': 'admin',
  'admin/import.file.put': 'admin',
  // 潜力买家: the list for admins, the export for the owner
  'admin/prospect.list': 'admin',
  'admin/prospect.refresh': 'admin',
  'admin/prospect.export.start': 'owner',
  'admin/prospect.export.continue': 'owner',
  'admin/prospect.export.get': 'owner',
  // a member's data rights: the owner only
  'admin/member.dataExport': 'owner',
  'admin/member.erase': 'owner',
  // members and orders (admin function)
  'admin/member.search': 'clerk',
  'admin/member.detail': 'clerk',
  'admin/member.levels.get': 'clerk',
  'admin/member.levels.set': 'admin',
  'admin/order.import.presets': 'admin',
  'admin/order.import.preview': 'admin',
  'admin/order.import.start': 'admin',
  'admin/order.import.step': 'admin',
  'admin/order.import.get': 'admin',
  'admin/order.import.list': 'admin',
  'admin/stats.days': 'clerk',
  // card batches: the 包裹卡 area is the admins', reading included, as the tab shows it
  'card/card.batch.create': 'admin',
  'card/card.batch.prepare': 'admin',
  'card/card.batch.revoke': 'admin',
  'card/card.export.start': 'admin',
  'card/card.export.continue': 'admin',
  'card/card.batch.list': 'admin',
  'card/card.batch.get': 'admin',
  'card/card.export.get': 'admin',
  // verification and coupon templates (the batch form lists them)
  'coupon/coupon.verify': 'clerk',
  'coupon/coupon.redeem': 'clerk',
  'coupon/coupon.reverse': 'admin',
  'coupon/coupon.template.list': 'clerk',
  // the team
  'staff/staff.list': 'admin',
  'staff/staff.invite': 'admin',
  // campaigns: clerks see the list and previews; changing a campaign is the admins'
  'admin/campaign.list': 'clerk',
  'admin/campaign.get': 'clerk',
  'admin/campaign.preview': 'clerk',
  'admin/campaign.setStatus': 'admin',
  'admin/campaign.topUp': 'admin',
  'coupon/coupon.template.create': 'admin',
  'coupon/coupon.template.update': 'admin',
  'coupon/coupon.template.setStatus': 'admin',
  'coupon/coupon.template.topUp': 'admin',
  'card/card.batch.setStatus': 'admin',
  'card/card.batch.update': 'admin',
  'groupbuy/groupbuy.campaign.create': 'admin',
  'groupbuy/groupbuy.campaign.update': 'admin',
  'groupbuy/groupbuy.campaign.topUp': 'admin',
  'groupbuy/groupbuy.campaign.setStatus': 'admin',
  'growth/invite.campaign.create': 'admin',
  'growth/invite.campaign.update': 'admin',
  'growth/invite.campaign.setStatus': 'admin',
  'growth/repurchase.rule.create': 'admin',
  'growth/repurchase.rule.update': 'admin',
  'growth/repurchase.rule.setStatus': 'admin',
  'community/community.entry.create': 'admin',
  'community/community.entry.update': 'admin',
  // 社群: every staff member looks, counts and keeps a contact code; changing groups is the admins'
  'community/community.entry.list': 'clerk',
  'community/community.entry.get': 'clerk',
  'community/community.group.count': 'clerk',
  'community/community.contact.set': 'clerk',
  'community/community.contact.get': 'clerk',
  'community/community.qr.put': 'clerk',
  'community/community.group.add': 'admin',
  'community/community.group.update': 'admin',
  'community/community.alerts.status': 'admin',
  'community/community.alerts.subscribe': 'admin',
  // 离职继承 and who looks after whom: the admins'; a staff member's own list is theirs
  'community/ownership.myMembers': 'clerk',
  'community/ownership.settings.get': 'admin',
  'community/ownership.settings.set': 'admin',
  'community/ownership.autoAssign': 'admin',
  'community/ownership.assign': 'admin',
  'community/ownership.members': 'admin',
  'community/ownership.summary': 'admin',
  'community/ownership.history': 'admin',
  'community/ownership.handover.start': 'admin',
  'community/ownership.handover.continue': 'admin',
  'community/ownership.handover.get': 'admin',
  'community/ownership.handover.list': 'admin',
};

const RANK: Record<Reach, number> = { customer: 0, clerk: 1, admin: 2, owner: 3 };

const AREAS: Record<StaffRole, AdminArea[]> = {
  clerk: ['verify', 'members', 'dashboard', 'campaigns', 'community'],
  admin: ['verify', 'members', 'dashboard', 'campaigns', 'cards', 'imports', 'segments', 'prospects', 'team', 'audit', 'community', 'handover'],
  owner: ['verify', 'members', 'dashboard', 'campaigns', 'cards', 'imports', 'segments', 'prospects', 'team', 'audit', 'community', 'handover'],
};

const ABILITIES: Record<StaffRole, AdminAbilities> = {
  clerk: { editTags: false, editSegmentRules: false, exportSegments: false, readAudit: false, exportProspects: false, exportMemberData: false, eraseMember: false, manageCampaigns: false },
  admin: { editTags: true, editSegmentRules: true, exportSegments: false, readAudit: true, exportProspects: false, exportMemberData: false, eraseMember: false, manageCampaigns: true },
  owner: { editTags: true, editSegmentRules: true, exportSegments: true, readAudit: true, exportProspects: true, exportMemberData: true, eraseMember: true, manageCampaigns: true },
};

test.each(['admin', 'card', 'community'])('every staff action of the %s function is in the table, at the role it declares', (fn) => {
  const staffActions = declaredActions().filter((a) => a.fn === fn && a.staff);
  expect(staffActions.map((a) => `${fn}/${a.action}`).sort()).toEqual(
    Object.keys(LOWEST)
      .filter((k) => k.startsWith(`${fn}/`))
      .sort(),
  );
  for (const a of staffActions) expect(a.staff).toBe(LOWEST[`${fn}/${a.action}`]);
});

test('a clerk cannot read card batches or their print files, which the tab does not show them', async () => {
  const staff = await staffedStore(t);
  const batch = ok(await t.call(staff.admin, 'card', 'card.batch.create', batchInput(t, { quantity: 1 }), rid('batch')));
  const started = ok(await t.call(staff.admin, 'card', 'card.export.start', { batchId: batch.id }, rid('export')));
  for (const [action, payload] of [
    ['card.batch.list', {}],
    ['card.batch.get', { batchId: batch.id }],
    ['card.export.get', { exportId: started.id }],
  ] as const) {
    expect(errorOf(await t.call(staff.clerk, 'card', action, payload))).toMatchObject({ code: 'FORBIDDEN', message: '当前角色没有权限进行此操作' });
    expect(ok(await t.call(staff.admin, 'card', action, payload))).toBeTruthy();
  }
  const home = ok(await t.call(staff.clerk, 'admin', 'admin.home', {}));
  expect(home.areas).not.toContain('cards');
});

test('each role reaches exactly the actions its rank allows, checked in the cloud', async () => {
  const staff = await staffedStore(t);
  const callers: Record<Reach, string> = { owner: staff.owner, admin: staff.admin, clerk: staff.clerk, customer: 'customer-wang' };
  const mutating = new Set(declaredActions().filter((a) => a.mutates).map((a) => `${a.fn}/${a.action}`));

  const reached: Record<string, Reach[]> = {};
  const expected: Record<string, Reach[]> = {};
  for (const [key, lowest] of Object.entries(LOWEST)) {
    const [fn, action] = key.split('/') as [FunctionName, string];
    for (const role of ['customer', 'clerk', 'admin', 'owner'] as Reach[]) {
      // An empty payload: allowed callers get past the guard (and are then told what is missing).
      const res = await t.raw(callers[role], fn, { action, payload: {}, ...(mutating.has(key) ? { requestId: rid('reach') } : {}) });
      if (res.ok || res.error.code !== 'FORBIDDEN') (reached[key] ??= []).push(role);
      if (RANK[role] >= RANK[lowest]) (expected[key] ??= []).push(role);
    }
  }
  expect(reached).toEqual(expected);
});

test('the tab shows each role its areas and abilities; a customer is turned away', async () => {
  const staff = await staffedStore(t);
  for (const role of ['clerk', 'admin', 'owner'] as StaffRole[]) {
    const home = ok(await t.call(staff[role], 'admin', 'admin.home', {}));
    expect(home.me).toEqual({ openid: staff[role], name: role === 'owner' ? '店主' : `员工${staff[role]}`, role });
    expect(home.areas).toEqual(AREAS[role]);
    expect(home.abilities).toEqual(ABILITIES[role]);
  }
  expect(errorOf(await t.call('customer-wang', 'admin', 'admin.home', {}))).toMatchObject({ code: 'FORBIDDEN', message: '仅限店铺员工使用' });
});

test('a revoked clerk loses the tab at once', async () => {
  const staff = await staffedStore(t);
  ok(await t.call(staff.owner, 'staff', 'staff.revoke', { openid: staff.clerk, reason: '离职' }, rid('revoke')));
  expect(errorOf(await t.call(staff.clerk, 'admin', 'admin.home', {})).code).toBe('FORBIDDEN');
  expect(errorOf(await t.call(staff.clerk, 'admin', 'member.find', { by: 'phone', q: '8000' })).code).toBe('FORBIDDEN');
});
