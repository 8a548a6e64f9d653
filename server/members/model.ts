/**
 * What a member looks like in the database. `_id` is the openid, so the insert at sign-up is also
 * the uniqueness check (a second device or a double tap lands on the same document).
 *
 * Fields other areas read: `joinedAt` (Date), `nickname`, `phoneMasked`, `segments`, `tags`
 * (coupons' audiences and staff verification).
 */
import type { Attribution } from '../../typings';

/** Segments set here; other areas may add theirs. */
export const SEGMENT_BUYER = 'buyer';

export interface StoredPhone {
  /** AES-256-GCM ciphertext of the national number, bound to the openid (crypto.ts). */
  enc: string;
  countryCode: string;
}

export interface MemberAttribution extends Omit<Attribution, 'at'> {
  at: Date;
  /** Invite joins only: the invite campaign the link was shared under (absent: none ran). */
  campaign?: string;
}

export interface MemberDoc {
  _id: string;
  unionid: string | null;
  status: 'active' | 'deleting';
  joinedAt: Date;
  nickname: string;
  /**
   * `nickname` as staff search compares it (nicknameKey below), written wherever the nickname is.
   * Members from before it existed get it from the admin timer (admin/nickname-keys.ts).
   */
  nicknameKey?: string;
  avatar: string | null;
  birthday: string | null;
  phone: StoredPhone;
  /** Keyed hash of +<country><number>: staff search and order matching, never reversible. */
  phoneHash: string;
  phoneMasked: string;
  phoneIsDevelopment: boolean;
  privacy: { version: string; acceptedAt: Date };
  attribution: MemberAttribution;
  /** The staff member the member is assigned to for service (the card batch's owner), or null. */
  staffId: string | null;
  /** The request that created the member. */
  joinRequestId: string;
  points: number;
  stats: { orders: number; spentFen: number; lastOrderAt: Date | null };
  segments: string[];
  tags: string[];
  /** Failed order-binding attempts of one Shanghai day (rate limit against guessing). */
  bindGuard: { day: string; failures: number } | null;
  /** Set when the member asked to be deleted: the anonymous id their records move to. */
  deletion?: { anonId: string; requestedAt: Date };
  updatedAt: Date;
}

export const iso = (d: Date | string | null | undefined): string => (d ? new Date(d).toISOString() : '');

/**
 * Staff see who invited a member; the member only that someone did (the inviter's openid is the
 * inviter's personal data, not theirs).
 */
export function attributionView(a: MemberAttribution, viewer: 'member' | 'staff' = 'member'): Attribution {
  const inviter = a.inviter && viewer === 'member' ? INVITER_HIDDEN : a.inviter;
  return { source: a.source, channel: a.channel, batchId: a.batchId, serial: a.serial, inviter, at: iso(a.at) };
}

/** What a member's own views show in place of their inviter's openid. */
export const INVITER_HIDDEN = 'invited';

export const DEFAULT_NICKNAME = '微信用户';

/**
 * A nickname as staff search compares it: ASCII letters in lower case, everything else (Chinese,
 * digits, emoji) as written, so 「Amy」 is found by 「am」 and 「王小姐」 by 「王」.
 */
export const nicknameKey = (nickname: string): string => nickname.replace(/[A-Z]+/g, (s) => s.toLowerCase());

/** What people see as the member's name. */
export const displayName = (m: Pick<MemberDoc, 'nickname'>): string => m.nickname || DEFAULT_NICKNAME;
