/**
 * The event log: every step of the funnel (scan, sign-up, bind, claim, redeem, ...) appends an
 * event. A call appends all its events in ONE write (a batch add), so the log costs one billable
 * operation per call however many steps it records. Per-day counters are folded from the log
 * (server/events/fold.ts), so the dashboard reads counters, never the log.
 */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../runtime/db';
import { inShanghai } from '../runtime/shanghai';

export type EventType =
  | 'card_scan'
  | 'card_scan_invalid'
  | 'member_signup'
  | 'member_delete'
  | 'card_claim'
  | 'order_bind'
  | 'coupon_claim'
  | 'coupon_redeem'
  | 'invite_signup'
  | 'invite_order'
  | 'group_join'
  | 'group_complete'
  | 'group_open'
  | 'group_fail'
  | 'community_open'
  | 'invite_open'
  | 'invite_reward'
  | 'repurchase_issue'
  | 'repurchase_remind';

/** What a caller says about an event; time fields are added here. */
export interface EventInput {
  type: EventType;
  /** Who it is about ('' for anonymous scans of forged codes). */
  openid: string;
  batchId?: string;
  channel?: string;
  staffId?: string;
  /** Money involved, integer fen (orders, redemptions). */
  amountFen?: number;
  /** Free-form reference: card id, coupon id, order number, ... */
  ref?: string;
}

export interface EventDoc extends EventInput {
  at: Date;
  /** Shanghai business day, YYYY-MM-DD. */
  day: string;
  /** Shanghai minute, YYYY-MM-DDTHH:mm: the unit the fold works in. */
  minute: string;
}

export function toEventDoc(input: EventInput, at: Date): EventDoc {
  const local = inShanghai(at);
  return { ...input, at, day: local.format('YYYY-MM-DD'), minute: local.format('YYYY-MM-DDTHH:mm') };
}

/** Appends the events of one call in a single write. */
export async function appendEvents(events: EventInput[], at: Date): Promise<void> {
  if (events.length === 0) return;
  const docs = events.map((e) => toEventDoc(e, at)) as unknown as Record<string, unknown>[];
  await getDb().collection(COLLECTIONS.events).add({ data: docs });
}
