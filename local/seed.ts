/**
 * A demo store for a first local start: an owner, the store's settings and one campaign worth
 * trying. Runs only on an empty database, so it never overwrites what a developer changed.
 */
import { COLLECTIONS } from '../database/collections';
import { STORE_SETTINGS_ID } from '../server/app/store';
import { getById, getDb } from '../server/runtime/db';
import type { LocalRuntime } from './runtime';

export const DEMO_OWNER_OPENID = 'demo-owner';

export async function seedDemoStore(runtime: LocalRuntime): Promise<boolean> {
  if (await getById(COLLECTIONS.settings, STORE_SETTINGS_ID)) return false;
  const db = getDb();
  const at = new Date(runtime.clock.now());
  await db.collection(COLLECTIONS.staff).add({
    data: { _id: DEMO_OWNER_OPENID, name: '店主（演示）', role: 'owner', status: 'active', joinedAt: at, invitedBy: null },
  });
  await db.collection(COLLECTIONS.campaigns).add({
    data: {
      _id: 'demo-welcome',
      kind: 'package_card',
      title: '感谢您的购买',
      subtitle: '扫码加入会员，下次购买满 99 减 20',
      status: 'active',
      startsAt: at,
    },
  });
  // Written last: its presence marks the seed as complete.
  await db.collection(COLLECTIONS.settings).add({
    data: {
      _id: STORE_SETTINGS_ID,
      name: '山间茶舍（演示店铺）',
      intro: '自家茶园直发，每一包茶都由店主亲自挑选。',
      servicePhone: '',
      updatedAt: at,
    },
  });
  return true;
}
