/**
 * `card`: package-card batches (包裹卡), their print-ready exports, and the scan of a card's code
 * that opens the landing page (`pages/entry/index`).
 */

/** Where a batch's parcels were sold; the scan and every later step are attributed to it. */
export type CardChannel = 'taobao' | 'jd' | 'pdd' | 'douyin' | 'offline' | 'other';

/** What the landing page shows about one card; also what `member.join` reports about it. */
export interface CardSummary {
  /** `<batchId>-<serial>`: the card as attribution records it. */
  cardId: string;
  batchId: string;
  /** 1-based number of the card within its batch, printed as 「No.000123」. */
  serial: number;
  channel: CardChannel;
  /** 「淘宝」「京东」「拼多多」「抖音」「线下」「其他」. */
  channelName: string;
  /** The product or note the batch was made for, e.g. 「明前龙井 250g」. */
  product: string;
  /** The founder's thank-you letter printed on the card; may contain line breaks. */
  letter: string;
  /** One line for people, e.g. 「满99减20」; null when the card only invites into the community. */
  benefit: string | null;
  /** The benefit coupon's title, e.g. 「老客回购券」; null without a benefit. */
  benefitTitle: string | null;
  /** Last moment (ISO) the benefit can be claimed: the end of the batch's last valid day (Shanghai). */
  claimUntil: string;
  /** Staff member (openid) the batch's customers are assigned to, or null. */
  ownerStaffId: string | null;
}

/**
 * What scanning a card says:
 * - `fresh`: the benefit is still there (or the card has none: `card.benefit` is null): offer 「一键入会」.
 * - `mine`: the caller already claimed it (`couponId` is their coupon).
 * - `used`: someone else claimed it; the customer can still join the community.
 * - `invalid`: not a card of this store (forged, damaged or mistyped code); `card` is null.
 * - `expired` / `revoked`: the batch is past its last day or was withdrawn by the store.
 * Every state is answered with `ok: true`; the landing always keeps the way into the community.
 */
export type CardScanState = 'fresh' | 'mine' | 'used' | 'invalid' | 'expired' | 'revoked' | 'paused' | 'scheduled';

export interface CardScanView {
  state: CardScanState;
  /** Null only for `invalid`. */
  card: CardSummary | null;
  /** The caller's coupon from this card when `state` is `mine`, else null. */
  couponId: string | null;
  /** One sentence for the landing page, in Chinese. */
  message: string;
}

export type CardBatchStatus =
  /** Reserving one benefit per card (large batches take a few steps); not exportable yet. */
  | 'preparing'
  | 'active'
  /** Held by staff: its cards claim nothing until resumed (the landing says so). */
  | 'paused'
  /** Withdrawn by staff: its cards land on the friendly page and claim nothing. */
  | 'revoked';

export interface CardBatchInput {
  channel: CardChannel;
  /** Product or note, 1–40 characters. */
  product: string;
  /** 1–50,000 cards. */
  quantity: number;
  /** The thank-you letter, 1–240 characters; left out: the default letter (`card.batch.list`). */
  letter?: string;
  /** The benefit: a coupon template each card reserves one coupon of; null or left out: none. */
  templateId?: string | null;
  /** Staff member (openid) the batch belongs to; must be active staff. */
  ownerStaffId?: string | null;
  /** Last day (YYYY-MM-DD, Asia/Shanghai, inclusive) a card can be claimed; today or later. */
  validUntil: string;
  /** ISO instant from which cards can be claimed (print now, open later); null or left out: at once. */
  startsAt?: string | null;
}

/** What can change once cards are printed: the claim window, never what is printed on them. */
export interface CardBatchUpdate {
  batchId: string;
  /** Today or later (Shanghai), and not after the benefit coupon's last day. */
  validUntil?: string;
  /** Only before the batch opened; null opens it now. */
  startsAt?: string | null;
}

export interface CardBatchView {
  id: string;
  channel: CardChannel;
  channelName: string;
  product: string;
  quantity: number;
  letter: string;
  benefit: { templateId: string; title: string; line: string } | null;
  ownerStaffId: string | null;
  validUntil: string;
  startsAt: string | null;
  status: CardBatchStatus;
  /** Past `validUntil` (its cards land on the expired page), whatever the status. */
  expired: boolean;
  /** Cards whose benefit is reserved; equals `quantity` once active (0 without a benefit). */
  prepared: number;
  /** Cards whose benefit a member claimed, and of those the coupons already redeemed. */
  claimed: number;
  redeemed: number;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

/** One file pair of an export: cards `fromSerial`–`toSerial`. Links are temporary (about 1 hour). */
export interface CardExportPart {
  index: number;
  fromSerial: number;
  toSerial: number;
  /** Print-ready A4 PDF, four cards per page with cut marks. */
  pdfUrl: string;
  pages: number;
  /** The PNG codes (`<serial>.png`) plus `manifest.csv` (serial, scene, channel, batch, file). */
  zipUrl: string;
}

export interface CardExportView {
  id: string;
  batchId: string;
  status: 'running' | 'done' | 'failed';
  /** Mini program version the codes open: release (default), trial or develop. */
  envVersion: 'release' | 'trial' | 'develop';
  total: number;
  /** Cards exported so far. */
  done: number;
  /**
   * Cards per part: a batch is split into several PDF + ZIP pairs, one per step of at most this
   * many cards (500 unless asked for fewer), so no step outgrows a function's memory or time.
   */
  partSize: number;
  parts: CardExportPart[];
  /** Why it failed, in Chinese; null otherwise. */
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface CardApi {
  // Customers
  /** The landing page: what this card is and whether its benefit is still there. Records the scan. */
  'card.scan': { req: { scene: string }; res: CardScanView };
  // Staff
  /** Creates a batch and reserves one benefit per card (status `preparing` until all are reserved). */
  'card.batch.create': { req: CardBatchInput; res: CardBatchView };
  /** Reserves the next cards of a `preparing` batch; call until it is `active` (a timer also does). */
  'card.batch.prepare': { req: { batchId: string }; res: CardBatchView };
  /** Newest first, at most 50, with counts; `defaultLetter` prefills a new batch's letter. */
  'card.batch.list': { req: { status?: CardBatchStatus }; res: { batches: CardBatchView[]; defaultLetter: string } };
  'card.batch.get': { req: { batchId: string }; res: { batch: CardBatchView; exports: CardExportView[] } };
  /** Pauses (`paused`) or resumes (`active`) an active batch: unclaimed cards claim nothing meanwhile. */
  'card.batch.setStatus': { req: { batchId: string; status: 'active' | 'paused' }; res: CardBatchView };
  'card.batch.update': { req: CardBatchUpdate; res: CardBatchView };
  /** Withdraws a batch: unclaimed cards land on the friendly page; coupons already claimed stay. */
  'card.batch.revoke': { req: { batchId: string; reason: string }; res: CardBatchView };
  /**
   * Starts exporting an active batch and runs its first step. `partSize`: cards per PDF/ZIP file,
   * 4–500 (default 500; smaller files suit a home printer).
   */
  'card.export.start': { req: { batchId: string; envVersion?: 'release' | 'trial' | 'develop'; partSize?: number }; res: CardExportView };
  /** Runs the next step; call until `status` is not `running` (a timer also continues exports). */
  'card.export.continue': { req: { exportId: string }; res: CardExportView };
  'card.export.get': { req: { exportId: string }; res: CardExportView };
}
