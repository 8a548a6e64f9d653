/**
 * Page tests run on a stand-in WeChat platform (./wechat.ts) over a real LocalRuntime: the real
 * pages, the real services/api.ts, the real cloud functions and the real local database. Each test
 * starts from the demo store on a fresh app launch, at a fixed moment.
 */
import nodeTimers from 'node:timers';
import { TextDecoder, TextEncoder } from 'node:util';
import cloud from 'wx-server-sdk';
import { seedDemoStore } from '../../../local/seed';
import './simulate'; // defines Component, Behavior and wx before the platform adds to them
import { closeAllPages } from './pages';
import { platform } from './wechat';

/** Saturday 10:00 in Shanghai. */
export const STORY_TIME = '2025-03-08T02:00:00.000Z';

platform.install();

// jsdom hides Node's TextEncoder/TextDecoder; the functions run on Node (CloudBase too) and use
// them (the order import decodes CSV files with TextDecoder).
Object.assign(globalThis, { TextEncoder: globalThis.TextEncoder ?? TextEncoder, TextDecoder: globalThis.TextDecoder ?? TextDecoder });

// jsdom's timers hand out numbers; the local database (which the functions run on here, in the same
// process) unrefs its transaction timeouts as Node's timers allow. The page tests keep Node's timers,
// which serve the pages just as well (no page keeps a timer handle).
Object.assign(globalThis, { setTimeout: nodeTimers.setTimeout, clearTimeout: nodeTimers.clearTimeout, setInterval: nodeTimers.setInterval, clearInterval: nodeTimers.clearInterval });

// The `card` function loads its PDF export (pdfkit) with the rest of its actions. pdfkit reads
// `document` at load to find its own files, and under jsdom (which miniprogram-simulate needs) it
// finds the page's: it cannot load here. Page tests never export a batch (tests/cards does, on Node),
// so the page tests get a pdfkit that says so if anything tries.
jest.mock('pdfkit', () => {
  return class PdfkitUnavailableInPageTests {
    constructor() {
      throw new Error('pdfkit cannot run under jsdom: test card exports in tests/cards (Node), not in page tests');
    }
  };
});

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
