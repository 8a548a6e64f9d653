/** Scenes: short, unique, signed; forged ones never reach a benefit and are counted. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { claimCardBenefit, parseScene } from '../../server/cards/claim';
import { SCENE_LENGTH } from '../../server/cards/scene';
import { getDb } from '../../server/runtime/db';
import { issuedOf } from '../coupons/support';
import { ok, useRuntime } from '../support/runtime';
import { sceneOf, storeWithBatch } from './support';

const t = useRuntime();
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Every single-character change of `scene`: each position takes a few other base62 characters. */
function alterations(scene: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < scene.length; i++) {
    const at = BASE62.indexOf(scene[i]);
    for (const step of [1, 7, 31]) out.push(scene.slice(0, i) + BASE62[(at + step) % 62] + scene.slice(i + 1));
  }
  return out;
}

describe('a card scene', () => {
  it('is at most 32 base62 characters, unique within its batch, and names its card', async () => {
    const { batch } = await storeWithBatch(t, { quantity: 60 });
    const scenes = await Promise.all(Array.from({ length: 60 }, (_, i) => sceneOf(batch.id, i + 1)));
    for (const scene of scenes) {
      expect(scene.length).toBeLessThanOrEqual(32);
      expect(scene).toHaveLength(SCENE_LENGTH);
      expect(scene).toMatch(/^[0-9A-Za-z]+$/);
      // What the landing page does with query.scene changes nothing.
      expect(decodeURIComponent(encodeURIComponent(scene))).toBe(scene);
    }
    expect(new Set(scenes).size).toBe(60);
    expect(scenes.map((s) => parseScene(s))).toEqual(scenes.map((_, i) => ({ batchId: batch.id, serial: i + 1 })));
  });

  it('fails verification when any one character is altered', async () => {
    const { batch } = await storeWithBatch(t, { quantity: 2 });
    const scene = await sceneOf(batch.id, 2);
    const altered = alterations(scene);
    expect(altered).toHaveLength(SCENE_LENGTH * 3);
    for (const forged of altered) expect(parseScene(forged)).toBeNull();
    // Neighbours share batch and most of the serial, but their signatures say nothing of each other.
    const neighbour = await sceneOf(batch.id, 1);
    expect(neighbour.slice(-9)).not.toBe(scene.slice(-9));
  });

  it('rejects what is not a scene at all', () => {
    for (const junk of ['', 'abc', 'x'.repeat(32), '%E5%8D%A1', '卡片', 'a'.repeat(33), 'pages/entry/index?scene=1']) {
      expect(parseScene(junk)).toBeNull();
    }
  });
});

describe('a forged scene', () => {
  it('lands on the friendly invalid page, is counted, costs no read, and never reaches a benefit', async () => {
    const { template, batch } = await storeWithBatch(t, { quantity: 3 });
    const real = await sceneOf(batch.id, 1);
    const forged = [...alterations(real).slice(0, 20), 'A'.repeat(32), 'not-a-scene'];

    const first = await measure(() => t.call('mallory', 'card', 'card.scan', { scene: forged[0] }));
    expect(ok(first.result)).toEqual({
      state: 'invalid',
      card: null,
      couponId: null,
      message: '这张卡片的二维码无法识别，可能已损坏或不是本店的卡片。你仍然可以加入会员，第一时间收到店铺的新品和福利。',
    });
    expect(first.cost).toEqual({ invocations: 1, reads: 0, writes: 1 });

    for (const scene of forged.slice(1)) expect(ok(await t.call('mallory', 'card', 'card.scan', { scene })).state).toBe('invalid');
    for (const scene of forged) {
      await expect(claimCardBenefit({ scene, openid: 'mallory', now: new Date(t.rt.clock.now()) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await issuedOf(template.id)).toHaveLength(0);

    const events = (await getDb().collection(COLLECTIONS.events).where({ type: 'card_scan_invalid' }).limit(100).get()).data as { openid: string; ref: string }[];
    expect(events).toHaveLength(forged.length);
    expect(events.every((e) => e.openid === 'mallory' && e.ref === 'forged')).toBe(true);
    expect((await getDb().collection(COLLECTIONS.events).where({ type: 'card_scan' }).count()).total).toBe(0);
  });
});
