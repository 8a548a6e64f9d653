/**
 * Hands a sign-up's result back to the page that sent the customer to join (the landing page of the
 * card they scanned), so it can show the card as theirs without asking the cloud again: another
 * `card.scan` would count one more scan of the card in the store's funnel.
 */
import type { CardClaimView } from '../../../typings';

let last: { card: CardClaimView | null } | null = null;

/** Called by the join page with what the join did with the card it was given (null without one). */
export function rememberJoin(card: CardClaimView | null): void {
  last = { card };
}

/** The join made since the last call, once; null when the customer came back without joining. */
export function takeJoin(): { card: CardClaimView | null } | null {
  const found = last;
  last = null;
  return found;
}
