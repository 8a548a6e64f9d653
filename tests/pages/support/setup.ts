/**
 * Page tests run on a stand-in WeChat platform (./wechat.ts) over a real LocalRuntime: the real
 * pages, the real services/api.ts, the real cloud functions and the real local database. Each test
 * starts from the demo store on a fresh app launch, at a fixed moment.
 */
import cloud from 'wx-server-sdk';
import { seedDemoStore } from '../../../local/seed';
import './simulate'; // defines Component, Behavior and wx before the platform adds to them
import { closeAllPages } from './pages';
import { platform } from './wechat';

/** Saturday 10:00 in Shanghai. */
export const STORY_TIME = '2025-03-08T02:00:00.000Z';

platform.install();

beforeAll(() => {
  platform.start();
  // seedDemoStore writes through wx-server-sdk before any function has run (and so called
  // cloud.init); initialise it the way every function does. Harmless once the runtime does it.
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
});

beforeEach(async () => {
  platform.reset();
  platform.runtime.db.clear();
  platform.runtime.clock.set(STORY_TIME);
  await seedDemoStore(platform.runtime);
  platform.launchApp();
});

afterEach(() => {
  closeAllPages();
  jest.restoreAllMocks();
});

afterAll(() => {
  platform.stop();
});
