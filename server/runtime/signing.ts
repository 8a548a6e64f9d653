/**
 * HMAC signatures for anything a code grants (staff invites, card scenes, share tokens), so codes
 * cannot be guessed or forged. The key comes from the function's environment, never from the repo.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function signingKey(): string {
  const key = process.env.PRIVDOM_SIGNING_KEY;
  if (!key || key.length < 32) {
    throw new Error('PRIVDOM_SIGNING_KEY is not configured (at least 32 characters); see README "Deploying"');
  }
  return key;
}

/** Base62 so a MAC is valid in a mini program code scene and in a URL without escaping. */
function macToBase62(mac: Buffer, length: number): string {
  if (length > mac.length) throw new Error(`signature length ${length} exceeds ${mac.length}`);
  return Array.from(mac.subarray(0, length), (b) => BASE62[b % 62]).join('');
}

export function randomToken(length: number): string {
  // Rejection sampling keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

/** A short base62 MAC of `purpose` + `value`; `purpose` keeps one kind of code from passing as another. */
export function sign(purpose: string, value: string, length = 12): string {
  const mac = createHmac('sha256', signingKey()).update(`${purpose}\n${value}`).digest();
  return macToBase62(mac, length);
}

export function verify(purpose: string, value: string, signature: string): boolean {
  const expected = Buffer.from(sign(purpose, value, signature.length));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
