/**
 * One coupon as a ticket: the benefit large on the left, title and expiry on the right, and a badge
 * such as 即将过期. Greyed out once used or expired. The page handles taps on it.
 */
Component({
  properties: {
    benefit: { type: String, value: '' },
    title: { type: String, value: '' },
    /** The expiry line, e.g. 有效期至 2025-03-14 23:59. */
    note: { type: String, value: '' },
    badge: { type: String, value: '' },
    muted: { type: Boolean, value: false },
  },
});
