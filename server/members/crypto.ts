/**
 * Personal data at rest: phone numbers are stored encrypted (AES-256-GCM) beside a keyed hash
 * (HMAC-SHA256) used to match them, and shown to staff only masked.
 *
 * Keys: both are derived with HKDF-SHA256 from PRIVDOM_SIGNING_KEY, the secret every function is
 * already deployed with (`npm run deploy` sets it), under their own labels, so neither can stand in
 * for the other or for the signing key. Rotating PRIVDOM_SIGNING_KEY therefore makes stored phone
 * ciphertexts unreadable and hashes unmatchable: a rotation must re-encrypt (the `v1` prefix of each
 * ciphertext names the derivation, so a `v2` can live beside it during one).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const CIPHER = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;

let cached: { source: string; enc: Buffer; mac: Buffer } | undefined;

function keys(): { enc: Buffer; mac: Buffer } {
  const source = process.env.PRIVDOM_SIGNING_KEY;
  if (!source || source.length < 32) {
    throw new Error('PRIVDOM_SIGNING_KEY is not configured (at least 32 characters); see README "Deploying"');
  }
  if (cached?.source !== source) {
    const derive = (label: string) => Buffer.from(hkdfSync('sha256', source, 'privdom-personal-data', label, 32));
    cached = { source, enc: derive('phone-encryption-v1'), mac: derive('phone-matching-v1') };
  }
  return cached;
}

const b64 = (b: Buffer): string => b.toString('base64url');

/**
 * Encrypts `plain`; `context` (the member's openid, the order's id) is authenticated with it, so a
 * ciphertext copied onto another document does not decrypt there.
 */
export function seal(plain: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keys().enc, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, b64(iv), b64(cipher.getAuthTag()), b64(body)].join('.');
}

export function open(sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown ciphertext format');
  const decipher = createDecipheriv(CIPHER, keys().enc, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** A keyed hash: equal inputs match, and without the key nobody can test guesses against it. */
export function keyedHash(purpose: string, value: string, length = 32): string {
  return createHmac('sha256', keys().mac).update(`${purpose}\n${value}`).digest('base64url').slice(0, length);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The matching key of a phone number: country code and national number. */
export const phoneHash = (countryCode: string, national: string): string => keyedHash('phone', `+${countryCode}${national}`);

/** 138****8000; shorter numbers keep only their last four digits. */
export function maskPhone(national: string): string {
  if (national.length >= 11) return `${national.slice(0, 3)}****${national.slice(-4)}`;
  return `****${national.slice(-4)}`;
}
