/**
 * The admin tab's data work beyond members and segments: 潜力买家 (the best buyers in the imported
 * platform orders who are not members yet, for a targeted offer) and the member's data rights
 * handled by staff (export everything held about a member; erase a member on request).
 */
import type { OrderPlatform } from './member';

// ---- 潜力买家 -----------------------------------------------------------------------------------

/** How the list ranks buyers; ties fall to the next key, then to a stable buyer key. */
export type ProspectSort = 'spent' | 'orders' | 'recent';

export interface ProspectFilter {
  /** Total paid across their imported orders, at least this many fen. */
  minSpentFen: number;
  minOrders: number;
  /** Their last order within this many days; null = any time (不限). */
  withinDays: number | null;
  sort: ProspectSort;
}

export interface ProspectRow {
  /** Position in the ranking under the filter (1-based). */
  rank: number;
  /** An opaque key of the buyer (not their phone): pass it back to nothing, show it to nobody. */
  key: string;
  /** 138****8000: staff never see the full number of a buyer who is not a member. */
  phoneMasked: string;
  orders: number;
  spentFen: number;
  firstOrderAt: string;
  lastOrderAt: string;
  platforms: OrderPlatform[];
  /** The newest order's platform number, to reach the buyer through the platform's own tools. */
  lastOrderNo: string;
}

export interface ProspectsView {
  filter: ProspectFilter;
  /** Buyers matching the filter (from the last refresh). */
  total: number;
  rows: ProspectRow[];
  /** Pass as `offset` for the next page; null at the end. */
  nextOffset: number | null;
  /** Buyers on this page who became members since the last refresh (left out of `rows`). */
  joinedSince: number;
  /** The rollup of orders into buyers this list reads. */
  refresh: {
    /** Null before the first finished refresh. */
    computedAt: string | null;
    running: boolean;
    /** Buyers and orders seen by the last finished refresh. */
    buyers: number;
    prospects: number;
    orders: number;
    /** Orders whose export had no full phone number: they cannot be told apart by buyer. */
    ordersWithoutPhone: number;
  };
}

/** A CSV export the cloud writes in steps (segments, 潜力买家). */
export interface ExportJobView {
  id: string;
  status: 'running' | 'done' | 'failed';
  rows: number;
  /** 0–100, against the size when the export started (an estimate until done). */
  percent: number;
  /** Temporary download link of the CSV (about 1 hour) once done. */
  fileUrl: string | null;
  fileName: string;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
  /**
   * When done: when the file is deleted (7 days after the export was made). Asking for the job after
   * that answers EXPIRED with a sentence to show.
   */
  fileExpiresAt: string | null;
}

export interface ProspectExportView extends ExportJobView {
  filter: ProspectFilter;
}

export interface ProspectApi {
  /** Admin and up: one page of the ranking, phones masked. */
  'prospect.list': { req: Partial<ProspectFilter> & { offset?: number }; res: ProspectsView };
  /** Admin and up: refresh the buyer rollup now (the timer also does it daily and after imports). */
  'prospect.refresh': { req: Record<string, never>; res: ProspectsView['refresh'] };
  /** Owner only: the whole ranking under a filter as CSV (masked phones), in steps like segments. */
  'prospect.export.start': { req: Partial<ProspectFilter>; res: ProspectExportView };
  'prospect.export.continue': { req: { exportId: string }; res: ProspectExportView };
  'prospect.export.get': { req: { exportId: string }; res: ProspectExportView };
}

// ---- data rights ------------------------------------------------------------------------------

export interface MemberDataExportView {
  /** Temporary download link (about 1 hour) of one JSON file; the file is deleted after a day. */
  fileUrl: string;
  fileName: string;
  /** Records written, by collection. */
  counts: Record<string, number>;
  exportedAt: string;
}

/** What the owner types to confirm an erasure. */
export type EraseConfirmation = '确认删除';

export interface MemberEraseRequest {
  openid: string;
  /** Typed by the owner; anything but `EraseConfirmation` is refused. */
  confirm: string;
  /** Why (e.g. 「会员来电要求删除」), 2–100 characters; kept in the audit log. */
  reason: string;
}

export interface DataRightsApi {
  /** Owner only: everything held about a member, full phone included, as a file; audited. */
  'member.dataExport': { req: { openid: string }; res: MemberDataExportView };
  /**
   * Owner only: the member's own deletion, done for them: personal data removed, a tombstone with
   * anonymised counts kept. Answers the same when run again. Audited under the tombstone's id.
   */
  'member.erase': { req: MemberEraseRequest; res: { erased: true; tombstone: string | null } };
}
