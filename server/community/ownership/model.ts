/**
 * Ownership in the database: every member's `staffId` (members collection), the merchant's rule, the
 * history of who served whom, and handover jobs.
 */
import type { OwnershipCause, OwnershipHandoverStatus, OwnershipRule } from '../../../typings';

export const OWNERSHIP_SETTINGS_ID = 'ownership';
/** The round-robin turn counter (settings collection): turns are reserved a page at a time. */
export const TURN_COUNTER_ID = 'ownershipTurns';

/** Who performed a change the timer made. */
export const SYSTEM_ACTOR = 'system';

export interface OwnershipSettingsDoc {
  _id: typeof OWNERSHIP_SETTINGS_ID;
  rule: OwnershipRule;
  pool: string[];
  updatedAt: Date;
  updatedBy: string;
}

export interface TurnCounterDoc {
  _id: typeof TURN_COUNTER_ID;
  n: number;
}

/** The part of a member this area reads. */
export interface OwnedMember {
  _id: string;
  staffId?: string | null;
  status?: string;
  joinedAt?: Date;
  attribution?: { source?: string; batchId?: string | null; inviter?: string | null } | null;
}

export interface HistoryDoc {
  _id: string;
  memberId: string;
  from: string | null;
  to: string;
  cause: OwnershipCause;
  at: Date;
  by: string;
  handoverId: string | null;
  reason: string | null;
}

export interface HandoverTarget {
  openid: string;
  name: string;
  moved: number;
}

export interface HandoverDoc {
  _id: string;
  from: string;
  fromName: string;
  targets: HandoverTarget[];
  status: OwnershipHandoverStatus;
  /** Members the source had at the start. */
  total: number;
  moved: number;
  /** Members who reached the source after it was done (a card batch it owned) and were moved on. */
  late: number;
  failure: string | null;
  reason: string;
  leaseId: string | null;
  leaseUntil: Date;
  createdAt: Date;
  createdBy: string;
  requestId: string;
  finishedAt: Date | null;
}

/** One member changing hands: written to the history first, then applied to the member. */
export interface Move {
  memberId: string;
  from: string | null;
  to: string;
}
