/**
 * The mini program codes of a part's cards: `wxacode.getUnlimited` in production (page
 * `pages/entry/index`, `check_path` false so unreleased versions work, the chosen env version), a
 * plain QR code of `page?scene=` locally. A few at a time: WeChat allows 5,000 a minute, and a rate
 * limit answer (45009) is waited out and retried.
 */
import { platform } from '../../runtime/platform';
import { ENTRY_PAGE } from '../model';

/** Pixels across: about 300 dpi at the 34 mm the card prints it. */
export const CODE_WIDTH = 430;
const CONCURRENCY = 8;
const RATE_LIMITED = 45009;
const RETRIES = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drawOne(scene: string, envVersion: 'release' | 'trial' | 'develop'): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { png } = await platform().miniProgramCode({ scene, page: ENTRY_PAGE, width: CODE_WIDTH, envVersion });
      return png;
    } catch (err) {
      const code = (err as { errCode?: unknown }).errCode;
      if (code !== RATE_LIMITED || attempt >= RETRIES) throw err;
      await sleep(2_000 * (attempt + 1));
    }
  }
}

/** The codes of `scenes`, in order. */
export async function drawCodes(scenes: string[], envVersion: 'release' | 'trial' | 'develop'): Promise<Buffer[]> {
  const out: Buffer[] = new Array(scenes.length);
  let next = 0;
  const worker = async () => {
    while (next < scenes.length) {
      const i = next++;
      out[i] = await drawOne(scenes[i], envVersion);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, scenes.length) }, worker));
  return out;
}
