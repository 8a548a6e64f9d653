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
  repurchaseRules: 'repurchaseRules',
  repurchaseRuns: 'repurchaseRuns',
  repurchaseReminderCredits: 'repurchaseReminderCredits',
  inviteCampaigns: 'inviteCampaigns',
  inviteCodes: 'inviteCodes',
  invites: 'invites',
  inviteBoards: 'inviteBoards',
  growthState: 'growthState',
  adminState: 'adminState',
  segmentExports: 'segmentExports',
  communityEntries: 'communityEntries',
  communityGroups: 'communityGroups',
  communityAssignments: 'communityAssignments',
  staffContacts: 'staffContacts',
  communityAlertCredits: 'communityAlertCredits',
  communityAlertDeliveries: 'communityAlertDeliveries',
  ownershipHistory: 'ownershipHistory',
  ownershipHandovers: 'ownershipHandovers',
  groupBuys: 'groupBuys',
  groupBuyJoins: 'groupBuyJoins',
  groupBuySlots: 'groupBuySlots',
  prospects: 'prospects',
  prospectExports: 'prospectExports',
  memberDataExports: 'memberDataExports',
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
    indexes: [
      { name: 'status_startsAt', keys: { status: 1, startsAt: -1 } },
      // The admin tab's campaign list reads each kind newest first.
      { name: 'kind_createdAt', keys: { kind: 1, createdAt: -1 } },
    ],
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
      { name: 'staffId_joinedAt', keys: { staffId: 1, joinedAt: -1 } },
      { name: 'lastOrderAt', keys: { 'stats.lastOrderAt': 1 } },
      { name: 'inviter_joinedAt', keys: { 'attribution.inviter': 1, joinedAt: -1 } },
      { name: 'segments', keys: { segments: 1 } },
      // Staff search (server/admin/search.ts): phoneLast4 is filled in by the admin timer after a join.
      { name: 'phoneLast4_joinedAt', keys: { phoneLast4: 1, joinedAt: -1 } },
      // Staff search by the start of a nickname, ASCII letters in lower case (members/model.ts nicknameKey).
      { name: 'nicknameKey', keys: { nicknameKey: 1 } },
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
    indexes: [
      { name: 'status_createdAt', keys: { status: 1, createdAt: -1 } },
      { name: 'createdAt', keys: { createdAt: -1 } },
    ],
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
      // How the member timer finds claims and redemptions to count (server/coupons/counted.ts).
      { name: 'claimMinute', keys: { claimMinute: 1 } },
      { name: 'redemption_minute', keys: { 'redemption.minute': 1 } },
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
    description:
      'CSV order import jobs: the file, the column mapping, progress (byte offset, counts), the first row errors, and a lease; `filesDeletedAt` once the admin timer deleted the uploaded file (30 days after the job finished).',
    indexes: [
      { name: 'createdAt', keys: { createdAt: -1 } },
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
      // The file sweep: finished jobs by when they finished (their last write); a deleted file by its id.
      { name: 'status_updatedAt', keys: { status: 1, updatedAt: 1 } },
      { name: 'fileId', keys: { fileId: 1 } },
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
  {
    name: COLLECTIONS.communityEntries,
    description:
      'Live-code entries (社群活码): one permanent entry per purpose (card batch, poster, store counter); `_id` is 8 characters of [0-9a-z] derived from creator and request id (it is the share path\'s `entry` and the code\'s scene).',
    indexes: [
      { name: 'status_createdAt', keys: { status: 1, createdAt: -1 } },
      { name: 'createdAt', keys: { createdAt: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.communityGroups,
    description:
      'WeChat groups behind an entry: the uploaded QR image, its expiry, capacity, and `taken` (seats given out, taken with one conditional $inc each), `assigned`, `joined`; status active | retired.',
    indexes: [{ name: 'entryId_status_priority', keys: { entryId: 1, status: 1, priority: 1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.communityAssignments,
    description:
      'Which group an entry gave a customer; `_id` is `<entryId>_<openid>`, so a reopen (or two at once) holds one seat. `joinedAt` once they tap 「我已入群」.',
    indexes: [
      { name: 'groupId', keys: { groupId: 1 } },
      { name: 'entryId_at', keys: { entryId: 1, at: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.staffContacts,
    description: 'Each staff member\'s contact code (personal WeChat or WeCom 「联系我」 image file id); `_id` is the staff openid.',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.communityAlertCredits,
    description:
      'One document per accepted subscription of an admin to the community alerts (wx.requestSubscribeMessage): unused until an alert spends it (`deliveryId`).',
    indexes: [
      { name: 'state_openid', keys: { state: 1, openid: 1 } },
      { name: 'deliveryId', keys: { deliveryId: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.communityAlertDeliveries,
    description:
      'One document per alert, admin and Shanghai day (`_id` from the dedupe key): pending → spent (a credit paid for it) → sent. A rerun finds it and sends nothing twice.',
    indexes: [{ name: 'at', keys: { at: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.ownershipHistory,
    description:
      'Append-only history of which staff member serves a member: from, to, cause (card_batch / inviter / round_robin / manual / handover), when, by whom; `_id` is deterministic per cause so a retried step writes each entry once.',
    indexes: [{ name: 'memberId_at', keys: { memberId: 1, at: -1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.ownershipHandovers,
    description:
      'Handover jobs (离职继承): all members of one staff member to one or several others, in bounded steps under a lease; progress per target.',
    indexes: [
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
      { name: 'from_status', keys: { from: 1, status: 1 } },
      { name: 'createdAt', keys: { createdAt: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.groupBuys,
    description:
      'Group-buy groups (拼团); `_id` derived from campaign, leader and request id. Seats are taken with one conditional write on the group (count, state open, not past expiresAt, members not holding the openid); the write taking the last seat sets state complete. benefitsIssued stays false until the benefits (or consolation) of a closed group are issued and members told.',
    indexes: [
      { name: 'campaignId_sortKey', keys: { campaignId: 1, sortKey: -1 } },
      { name: 'state_expiresAt', keys: { state: 1, expiresAt: 1 } },
      { name: 'benefitsIssued_closedAt', keys: { benefitsIssued: 1, closedAt: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.groupBuyJoins,
    description:
      'One document per member per group-buy group they open or join (`_id` `<groupId>:<openid>`), written before the seat is taken. capKey `<campaignId>:<openid>#<k>`, k = 1..joinsPerMember, is unique: the per-member cap across groups; openKey `<campaignId>:<openid>#open<m>`, m = 1..opensPerMember, likewise for groups opened (`j:<_id>` on joins). Also the index of 「我的拼团」.',
    indexes: [
      { name: 'capKey', keys: { capKey: 1 }, unique: true },
      { name: 'openKey', keys: { openKey: 1 }, unique: true },
      { name: 'openid_campaignId', keys: { openid: 1, campaignId: 1 } },
      { name: 'openid_sortKey', keys: { openid: 1, sortKey: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.groupBuySlots,
    description:
      'A group-buy campaign\'s cap on groups as stock: one document `<campaignId>_<n>` per group that may be opened, created with the campaign; opening takes a free one with one conditional write. holder is the group (unique; `free:<_id>` while free).',
    indexes: [
      { name: 'campaignId_state', keys: { campaignId: 1, state: 1 } },
      { name: 'holder', keys: { holder: 1 }, unique: true },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.repurchaseRules,
    description:
      'Repurchase rules (复购激励): trigger (after_order / birthday_month / birthday_day / win_back / new_product_trial), coupon template, optional reminder line; `_id` `rp_<16 hex>` derived from creator and request id; status paused → active (activeSince) → ended; an optional schedule (startsAt, endsAt).',
    indexes: [
      { name: 'status_createdAt', keys: { status: 1, createdAt: -1 } },
      { name: 'createdAt', keys: { createdAt: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.repurchaseRuns,
    description:
      'One document per daily repurchase run, `_id` the Shanghai day: the steps planned at its start, the cursor (step + last id), a lease, and what it did (evaluated, issued, reminded, skipped by reason; in total and per rule).',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.repurchaseReminderCredits,
    description:
      'One document per accepted repurchase-reminder subscription (wx.requestSubscribeMessage): unused until the daily run spends it on one reminder (`grantKey` `<ruleId>:<period>:<openid>`).',
    indexes: [
      { name: 'openid_state', keys: { openid: 1, state: 1 } },
      { name: 'grantKey', keys: { grantKey: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.inviteCampaigns,
    description:
      'Invite campaigns (邀请有礼): the inviter\'s rewards (sign-up, first order), per-inviter daily caps, a campaign cap, dates; `_id` 6 characters of [0-9a-z] (part of every invite token). One is active at a time.',
    indexes: [
      { name: 'status_createdAt', keys: { status: 1, createdAt: -1 } },
      { name: 'createdAt', keys: { createdAt: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.inviteCodes,
    description:
      'A member\'s invite code (`_id`, 10 base62 characters, a keyed hash of the openid) → openid, so tokens never show openids; with the cached poster (file id and what it was drawn from).',
    indexes: [{ name: 'openid', keys: { openid: 1 } }],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.invites,
    description:
      'One document per invitee (`_id` the invitee\'s openid), written by the growth timer from the sign-up event: the FIRST inviter and campaign, why it earns nothing (self / loop / phone_seen / ...), and each reward\'s state (signup, order: pending → reserved → issued | capped | refused | failed | none). Kept when the invitee deletes the account, so a re-registration earns no second reward, but re-keyed under a keyed pseudonym (`erased_<hash>`, server/growth/invites/erased.ts), as is any `inviter` naming them.',
    indexes: [
      { name: 'inviter_signupDay', keys: { inviter: 1, 'signup.day': 1 } },
      { name: 'inviter_orderDay', keys: { inviter: 1, 'order.day': 1 } },
      { name: 'campaign_signupState', keys: { campaign: 1, 'signup.state': 1 } },
      { name: 'campaign_orderState', keys: { campaign: 1, 'order.state': 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.inviteBoards,
    description: 'The top 20 inviters of a campaign (`_id` the campaign id), rebuilt by the growth timer after it processes new invites; nicknames stored masked.',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.growthState,
    description: 'The growth timer\'s own state: `invites` holds the cursor over the event log (minute range, pass, last id) and its lease.',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.adminState,
    description:
      'The admin tab\'s own state, one document per concern: `snapshot` (member figures and segment counts from the last recompute, batch and staff labels for the dashboard), `segmentPass` (the segment recompute: rules version, cursor, counts so far, lease).',
    indexes: [],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.segmentExports,
    description:
      'CSV exports of one segment (owner only), done in steps: cursor over members by `_id`, rows written, part files, the final file, a lease; `_id` derived from the owner and request id; `filesDeletedAt` once the admin timer deleted the files (7 days after the export).',
    indexes: [
      { name: 'createdAt', keys: { createdAt: -1 } },
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.prospects,
    description:
      'Imported buyers who are not members (潜力买家), one per buyer phone: `_id` the phone\'s keyed hash, order count, spend, first and last order, masked phone. Rebuilt by the admin timer from `orders` (daily and after imports); no full phone.',
    indexes: [
      { name: 'spentFen', keys: { spentFen: -1 } },
      { name: 'orders', keys: { orders: -1 } },
      { name: 'lastPaidAt', keys: { lastPaidAt: -1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.prospectExports,
    description:
      'CSV exports of the 潜力买家 ranking (owner only), done in steps like segment exports: filter, cursor by buyer key, part files, the final file, a lease; `filesDeletedAt` once the admin timer deleted the files (7 days after the export).',
    indexes: [
      { name: 'createdAt', keys: { createdAt: -1 } },
      { name: 'status_leaseUntil', keys: { status: 1, leaseUntil: 1 } },
    ],
    rule: DENY_ALL,
  },
  {
    name: COLLECTIONS.memberDataExports,
    description: 'Files of staff-made member data exports (everything about one member): which member, the file, when. The file is deleted after a day and when the member is erased.',
    indexes: [
      { name: 'openid', keys: { openid: 1 } },
      { name: 'createdAt', keys: { createdAt: 1 } },
    ],
    rule: DENY_ALL,
  },
];
