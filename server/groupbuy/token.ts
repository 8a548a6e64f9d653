/**
 * The share token of a group: its id's 16 hex digits and a 12-character HMAC (28 characters, also
 * short enough to be a mini program code scene for a poster). A token is verified without a
 * database read; a changed or made-up one names no group.
 */
import { sign, verify } from '../runtime/signing';
import { DETAIL_PAGE } from './model';

const PURPOSE = 'groupbuy-share-v1';
const MAC_LEN = 12;
const GROUP_ID = /^gb_([0-9a-f]{16})$/;
export const TOKEN_PATTERN = /^[0-9a-f]{16}[0-9A-Za-z]{12}$/;

export function tokenFor(groupId: string): string {
  const m = GROUP_ID.exec(groupId);
  if (!m) throw new Error(`not a group id: ${groupId}`);
  return m[1] + sign(PURPOSE, m[1], MAC_LEN);
}

/** The group a token names, or null when it is not one this store signed. */
export function groupIdOf(token: string): string | null {
  if (!TOKEN_PATTERN.test(token)) return null;
  const hex = token.slice(0, 16);
  return verify(PURPOSE, hex, token.slice(16)) ? `gb_${hex}` : null;
}

export const sharePathOf = (token: string): string => `/${DETAIL_PAGE}?token=${token}`;
