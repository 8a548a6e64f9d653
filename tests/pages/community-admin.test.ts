/** 社群活码 (staff): adding a group to an entry by its QR image, its counts, correcting a count. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { ownerCreatesEntry } from './support/community';
import { openPage, switchPhone } from './support/pages';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const DETAIL = 'admin/pages/community/entry/index';

test('the owner adds a group to an entry by uploading its QR, then sees its seats fill as customers open the entry', async () => {
  const entry = await ownerCreatesEntry();
  switchPhone(DEMO_OWNER_OPENID);
  const page = openPage(DETAIL, { id: entry.id });
  await page.waitFor('还没有群');
  expect(page.text).toContain('没有可用的群：顾客扫码将看到店员二维码');

  await page.tap('添加群');
  await page.type('#group-name', '茶友 1 群');
  await page.type('#group-capacity', '150');
  platform.willChooseImage('http://tmp/group-qr.png');
  await page.tap('上传群二维码');
  await page.waitFor('已上传，重新选择');
  expect(platform.uploads).toHaveLength(1);
  expect(platform.uploads[0].cloudPath).toMatch(new RegExp(`^community/${entry.id}/[0-9a-z]+\\.png$`));
  await page.tap('保存');

  await page.waitFor('茶友 1 群');
  expect(page.text).toContain('可入群');
  expect(page.text).toContain('已占 0/150');
  expect(page.text).toContain('二维码 2025-03-15');

  // Two customers open the entry; the owner pulls down to refresh.
  for (const customer of ['customer-a', 'customer-b']) {
    const res = await platform.runtime.invoke('community', { action: 'community.open', payload: { entryId: entry.id } }, { OPENID: customer });
    expect((res as { ok: boolean }).ok).toBe(true);
  }
  page.pullDown();
  await page.waitFor('已占 2/150');
  expect(page.text).toContain('已分配 2');
});

test('a clerk corrects a group’s count to what WeChat shows, but cannot add groups', async () => {
  const entry = await ownerCreatesEntry();
  switchPhone(DEMO_OWNER_OPENID);
  const owner = openPage(DETAIL, { id: entry.id });
  await owner.waitFor('添加群');
  await owner.tap('添加群');
  await owner.type('#group-name', '茶友 1 群');
  platform.willChooseImage();
  await owner.tap('上传群二维码');
  await owner.waitFor('已上传，重新选择');
  await owner.tap('保存');
  await owner.waitFor('已占 0/200');

  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(DETAIL, { id: entry.id });
  await page.waitFor('已占 0/200');
  expect(page.text).not.toContain('添加群');
  await page.tap('核对人数');
  await page.type('#count-input', '37');
  await page.tap('保存人数');
  await page.waitFor('已占 37/200');
  expect(page.text).toContain('上次核对 37 人');
});

test('a customer of the store is told 仅限店铺员工', async () => {
  const entry = await ownerCreatesEntry();
  switchPhone('customer-a');
  const page = openPage(DETAIL, { id: entry.id });
  await page.waitFor('仅限店铺员工');
});
