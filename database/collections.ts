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
  orders: 'orders',
  orderImports: 'orderImports',
  pointsLedger: 'pointsLedger',
  memberTombstones: 'memberTombstones',
  dayCounters: 'dayCounters',
  cardBatches: 'cardBatches',
  cardExports: 'cardExports',
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
    indexes: [
      { name: 'joinedAt', keys: { joinedAt: -1 } },
      { name: 'phoneHash', keys: { phoneHash: 1 } },
    ],
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
  {
    name: COLLECTIONS.orders,
    description:
      'Platform orders imported from CSV exports; `_id` is `<platform>:<order number>`. Buyer phone encrypted with a keyed hash; bindState unbound → binding → bound (to one member, once).',
    indexes: [
      { name: 'boundTo_boundAt', keys: { boundTo: 1, boundAt: -1 } },
      { name: 'bindState_boundAt', keys: { bindState: 1, boundAt: 1 } },
      { name: 'phoneHash', keys: { phoneHash: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.orderImports,
    description: 'CSV order import jobs: the file, the column mapping, progress (byte offset, counts), the first row errors, and a lease.',
    indexes: [
      { name: 'createdAt', keys: { createdAt: -1 } },
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.pointsLedger,
    description: 'Append-only points ledger; `_id` is deterministic per cause (`bind:<order id>`), so a retried credit cannot add twice. A member\'s balance equals the sum of their entries.',
    indexes: [{ name: 'openid_at', keys: { openid: 1, at: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.memberTombstones,
    description: 'What is left of a deleted member: an anonymous id, the month they joined, anonymised totals and the card channel. No personal data.',
    indexes: [{ name: 'deletedAt', keys: { deletedAt: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.dayCounters,
    description:
      'Per-day funnel counters folded from `events` by the member function\'s timer (`_id` the Shanghai day), with the minutes already folded; `_id: cursor` holds the fold\'s progress.',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.cardBatches,
    description:
      'Package-card batches; `_id` is 7 characters of [0-9a-z] derived from creator and request id (it is part of every card scene). A batch with a benefit has one reserved slot per card in `coupons` (`<templateId>_k<batchId>_<serial>`); status preparing → active → revoked.',
    indexes: [
      { name: 'createdAt', keys: { createdAt: -1 } },
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.cardExports,
    description:
      'Print exports of a card batch, done in steps (one PDF + ZIP part per step); progress, parts (file ids) and a lease on the job document.',
    indexes: [
      { name: 'batchId_createdAt', keys: { batchId: 1, createdAt: -1 } },
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
    ],
    rule: DENY_ALL,
  },
];
