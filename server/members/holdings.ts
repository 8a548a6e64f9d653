/**
 * Where the store keeps records about a member, in one list: the staff data export reads every
 * collection named here, and a test holds the list against every declared collection, so a new
 * collection that mentions members has to be placed here (or in `NOT_ABOUT_MEMBERS`, with why)
 * before the export can miss it. The member's own export (profile.ts) is the readable summary of the
 * same records and is included in the staff export as it is.
 */
import { COLLECTIONS } from '../../database/collections';
import type { MemberDoc } from './model';

type Who = Pick<MemberDoc, '_id' | 'phoneHash'>;

export interface Holding {
  collection: string;
  /** The queries that find the member's documents (several: their results are merged by `_id`). */
  where: (m: Who) => Record<string, unknown>[];
}

export const MEMBER_HOLDINGS: Holding[] = [
  { collection: COLLECTIONS.members, where: (m) => [{ _id: m._id }] },
  { collection: COLLECTIONS.events, where: (m) => [{ openid: m._id }] },
  { collection: COLLECTIONS.pointsLedger, where: (m) => [{ openid: m._id }] },
  // Bound orders, and orders imported with their phone that they have not bound.
  { collection: COLLECTIONS.orders, where: (m) => [{ boundTo: m._id }, { phoneHash: m.phoneHash }] },
  { collection: COLLECTIONS.coupons, where: (m) => [{ holder: m._id }] },
  { collection: COLLECTIONS.couponReminderCredits, where: (m) => [{ openid: m._id }] },
  { collection: COLLECTIONS.repurchaseReminderCredits, where: (m) => [{ openid: m._id }] },
  { collection: COLLECTIONS.inviteCodes, where: (m) => [{ openid: m._id }] },
  // Who invited them, and whom they invited.
  { collection: COLLECTIONS.invites, where: (m) => [{ _id: m._id }, { inviter: m._id }] },
  { collection: COLLECTIONS.inviteBoards, where: (m) => [{ 'entries.openid': m._id }] },
  { collection: COLLECTIONS.groupBuys, where: (m) => [{ 'members.openid': m._id }] },
  { collection: COLLECTIONS.groupBuyJoins, where: (m) => [{ openid: m._id }] },
  { collection: COLLECTIONS.communityAssignments, where: (m) => [{ openid: m._id }] },
  { collection: COLLECTIONS.ownershipHistory, where: (m) => [{ memberId: m._id }] },
  { collection: COLLECTIONS.outbox, where: (m) => [{ toOpenid: m._id }] },
  { collection: COLLECTIONS.auditLog, where: (m) => [{ target: `${COLLECTIONS.members}/${m._id}` }, { 'before.members.openid': m._id }] },
  { collection: COLLECTIONS.prospects, where: (m) => [{ _id: m.phoneHash }] },
  { collection: COLLECTIONS.memberDataExports, where: (m) => [{ openid: m._id }] },
];

/** Collections that hold nothing about a particular member, and why. */
export const NOT_ABOUT_MEMBERS: Record<string, string> = {
  [COLLECTIONS.settings]: 'store settings',
  [COLLECTIONS.staff]: 'employees, not members',
  [COLLECTIONS.staffInvites]: 'employee invitations',
  [COLLECTIONS.campaigns]: 'campaign definitions',
  [COLLECTIONS.couponTemplates]: 'coupon definitions',
  [COLLECTIONS.orderImports]: 'import jobs (file, columns, counts, row errors without phones)',
  [COLLECTIONS.memberTombstones]: 'anonymised totals of deleted members',
  [COLLECTIONS.dayCounters]: 'per-day totals',
  [COLLECTIONS.cardBatches]: 'card batches',
  [COLLECTIONS.cardExports]: 'print jobs of card batches',
  [COLLECTIONS.repurchaseRules]: 'rule definitions',
  [COLLECTIONS.repurchaseRuns]: 'daily run totals',
  [COLLECTIONS.inviteCampaigns]: 'campaign definitions',
  [COLLECTIONS.growthState]: 'timer cursors',
  [COLLECTIONS.adminState]: 'timer cursors and store-wide totals',
  [COLLECTIONS.segmentExports]: 'export jobs (the files are listed by job, not by member)',
  [COLLECTIONS.prospectExports]: 'export jobs of non-member buyers',
  [COLLECTIONS.communityEntries]: 'live-code entries',
  [COLLECTIONS.communityGroups]: 'WeChat groups and seat counts',
  [COLLECTIONS.staffContacts]: 'employees\' contact codes',
  [COLLECTIONS.communityAlertCredits]: 'employees\' alert subscriptions',
  [COLLECTIONS.communityAlertDeliveries]: 'alerts to employees',
  [COLLECTIONS.ownershipHandovers]: 'handover jobs between employees (counts per employee)',
  [COLLECTIONS.groupBuySlots]: 'group-buy stock (held by groups)',
};
