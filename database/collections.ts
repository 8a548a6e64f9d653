/**
 * Every collection the product uses, with its indexes and client security rule, declared once.
 * The local executor creates them on open; `npm run deploy` applies them to a CloudBase env.
 */
import { DENY_ALL, type CollectionDecl } from './schema';

export const COLLECTIONS = {
  settings: 'settings',
  staff: 'staff',
  staffInvites: 'staffInvites',
  campaigns: 'campaigns',
  auditLog: 'auditLog',
  outbox: 'outbox',
  members: 'members',
  events: 'events',
  couponTemplates: 'couponTemplates',
  coupons: 'coupons',
  couponReminderCredits: 'couponReminderCredits',
} as const;

export const collections: CollectionDecl[] = [
  {
    name: COLLECTIONS.settings,
    description: 'Store-wide settings; one document per concern (`store`, ...).',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.staff,
    description: 'Store staff; `_id` is the openid. Roles owner/admin/clerk; revoked members stay for the record.',
    indexes: [{ name: 'status_role', keys: { status: 1, role: 1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.staffInvites,
    description: 'One-time staff invitations; `_id` is derived from the inviter and request id.',
    indexes: [{ name: 'createdBy_createdAt', keys: { createdBy: 1, createdAt: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.campaigns,
    description: 'Campaigns of every kind (coupon, package card, group-buy, ...) with their status.',
    indexes: [{ name: 'status_startsAt', keys: { status: 1, startsAt: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.auditLog,
    description: 'Who changed what and when (before and after), for admins to read.',
    indexes: [
      { name: 'at', keys: { at: -1 } },
      { name: 'target_at', keys: { target: 1, at: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.members,
    description:
      'Members; `_id` is the openid. Fields other areas rely on: joinedAt (Date), nickname, phoneMasked, segments (string[]), tags (string[]).',
    indexes: [{ name: 'joinedAt', keys: { joinedAt: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.events,
    description: 'Append-only funnel events (scan, sign-up, bind, claim, ...), with the Shanghai day and minute they fall on.',
    indexes: [
      { name: 'minute', keys: { minute: 1 } },
      { name: 'openid_at', keys: { openid: 1, at: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.outbox,
    description: 'Messages queued for customers and staff; sent by the platform in production, kept locally.',
    indexes: [{ name: 'dedupeKey', keys: { dedupeKey: 1 }, unique: true }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.couponTemplates,
    description:
      'Coupon templates (满减 / 折扣 / 赠品 / 无门槛); `_id` derived from the creator and request id. Stock lives in `coupons` as free slots, never as a counter here.',
    indexes: [{ name: 'status_createdAt', keys: { status: 1, createdAt: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.coupons,
    description:
      'One document per unit of stock (state free) or issued coupon (available / used / expired). Free slots carry `free:<_id>` in holderSeq and claimKey because a unique index treats a missing field as null.',
    indexes: [
      { name: 'code', keys: { code: 1 }, unique: true },
      { name: 'templateId_holderSeq', keys: { templateId: 1, holderSeq: 1 }, unique: true },
      { name: 'templateId_claimKey', keys: { templateId: 1, claimKey: 1 }, unique: true },
      { name: 'templateId_state', keys: { templateId: 1, state: 1 } },
      { name: 'holder_sortKey', keys: { holder: 1, sortKey: -1 } },
      { name: 'holder_templateId', keys: { holder: 1, templateId: 1 } },
      { name: 'state_expiresAt', keys: { state: 1, expiresAt: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.couponReminderCredits,
    description:
      'One document per accepted expiry-reminder subscription (wx.requestSubscribeMessage): unused until the timer spends it on one reminder.',
    indexes: [
      { name: 'openid_state', keys: { openid: 1, state: 1 } },
      { name: 'couponId', keys: { couponId: 1 } },
    ],
    rule: DENY_ALL,
  },
];
