/**
 * The scene of a card's mini program code: at most 32 characters, base62 only (a subset of what
 * `wxacode.getUnlimited` accepts, and nothing `decodeURIComponent` changes), signed with an HMAC so
 * it is verified without a database read and no card can be guessed from its neighbours.
 *
 *   [batch 7][serial 3][profile 2][template 11][mac 9]   = 32 characters, fixed width
 *
 * - batch: the batch id, 7 characters of [0-9a-z].
 * - serial: 1-based card number, base62 (up to 238,327; batches hold at most 50,000).
 * - profile: how the card's benefit is claimed: 0 none, 1 a coupon with a fixed window, 1 + d a
 *   coupon valid d days from the claim.
 * - template: the benefit's coupon template (its 64-bit hex id in base62), zeros without a benefit.
 * - mac: HMAC (runtime/signing) over everything before it.
 *
 * Packing the template and its validity rule into the signed scene is what lets claiming a card be
 * ONE conditional write with no read (see coupons/reserved.ts): the slot's id, the coupon's sort
 * key and its validity are all known from the scene. The scene grants nothing by itself: the slot
 * it names must still be reserved, and only one claim can take it.
 */
import { sign, verify } from '../runtime/signing';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PURPOSE = 'card-scene-v1';

const BATCH_LEN = 7;
const SERIAL_LEN = 3;
const PROFILE_LEN = 2;
const TEMPLATE_LEN = 11;
const MAC_LEN = 9;
const BODY_LEN = BATCH_LEN + SERIAL_LEN + PROFILE_LEN + TEMPLATE_LEN;
export const SCENE_LENGTH = BODY_LEN + MAC_LEN;

export const BATCH_ID_PATTERN = /^[0-9a-z]{7}$/;
const SCENE_PATTERN = new RegExp(`^[0-9A-Za-z]{${SCENE_LENGTH}}$`);
const TEMPLATE_ID = /^tpl_([0-9a-f]{16})$/;
export const MAX_SERIAL = 50_000;
export const MAX_RELATIVE_DAYS = 365;

/** How a card's benefit becomes a coupon. */
export type BenefitProfile =
  | { kind: 'none' }
  /** The coupon's window is fixed dates, written on the slot when it was reserved. */
  | { kind: 'fixed'; templateId: string }
  /** The coupon is valid `days` days from the claim (the claim day is day 1). */
  | { kind: 'relative'; templateId: string; days: number };

export interface SceneFacts {
  batchId: string;
  serial: number;
  benefit: BenefitProfile;
}

function toBase62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  if (rest !== 0n) throw new Error(`value does not fit in ${width} base62 characters`);
  return out;
}

function fromBase62(text: string): bigint {
  let value = 0n;
  for (const ch of text) value = value * 62n + BigInt(BASE62.indexOf(ch));
  return value;
}

function profileCode(benefit: BenefitProfile): number {
  if (benefit.kind === 'none') return 0;
  if (benefit.kind === 'fixed') return 1;
  return 1 + benefit.days;
}

/** The scene printed as card `serial` of a batch. */
export function sceneFor(facts: SceneFacts): string {
  const { batchId, serial, benefit } = facts;
  if (!BATCH_ID_PATTERN.test(batchId)) throw new Error(`invalid batch id ${batchId}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL) throw new Error(`invalid serial ${serial}`);
  if (benefit.kind === 'relative' && !(Number.isInteger(benefit.days) && benefit.days >= 1 && benefit.days <= MAX_RELATIVE_DAYS)) {
    throw new Error(`invalid validity days ${benefit.days}`);
  }
  let template = 0n;
  if (benefit.kind !== 'none') {
    const hex = TEMPLATE_ID.exec(benefit.templateId)?.[1];
    if (!hex) throw new Error(`invalid template id ${benefit.templateId}`);
    template = BigInt(`0x${hex}`);
  }
  const body =
    batchId +
    toBase62(BigInt(serial), SERIAL_LEN) +
    toBase62(BigInt(profileCode(benefit)), PROFILE_LEN) +
    toBase62(template, TEMPLATE_LEN);
  return body + sign(PURPOSE, body, MAC_LEN);
}

/** Everything a verified scene says, or null for a forged, altered, damaged or foreign one. */
export function decodeScene(scene: string): SceneFacts | null {
  if (typeof scene !== 'string' || !SCENE_PATTERN.test(scene)) return null;
  const body = scene.slice(0, BODY_LEN);
  if (!verify(PURPOSE, body, scene.slice(BODY_LEN))) return null;

  let at = 0;
  const take = (n: number) => body.slice(at, (at += n));
  const batchId = take(BATCH_LEN);
  const serial = Number(fromBase62(take(SERIAL_LEN)));
  const profile = Number(fromBase62(take(PROFILE_LEN)));
  const template = fromBase62(take(TEMPLATE_LEN));
  // A valid MAC over a body we never sign would mean a leaked key; refuse it all the same.
  if (!BATCH_ID_PATTERN.test(batchId) || serial < 1 || serial > MAX_SERIAL || profile > 1 + MAX_RELATIVE_DAYS) return null;
  if (template >= 1n << 64n) return null;
  if (profile === 0) return template === 0n ? { batchId, serial, benefit: { kind: 'none' } } : null;
  const templateId = `tpl_${template.toString(16).padStart(16, '0')}`;
  const benefit: BenefitProfile = profile === 1 ? { kind: 'fixed', templateId } : { kind: 'relative', templateId, days: profile - 1 };
  return { batchId, serial, benefit };
}

/** The card a scene names (signature checked, no database read), or null. */
export function parseScene(scene: string): { batchId: string; serial: number } | null {
  const facts = decodeScene(scene);
  return facts && { batchId: facts.batchId, serial: facts.serial };
}

export const cardIdOf = (batchId: string, serial: number): string => `${batchId}-${serial}`;
