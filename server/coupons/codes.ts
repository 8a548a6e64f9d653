/**
 * Redemption codes: 10 characters drawn by the OS's CSPRNG from an alphabet without look-alikes
 * (no 0/O, 1/I/L), so staff can type what they read and no code says anything about another.
 * 31^10 ≈ 8×10^14 codes; a unique index catches the practically impossible collision.
 */
import { randomInt } from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;
export const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

export function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What staff type or scan, made comparable: spaces and dashes dropped, upper case. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}
