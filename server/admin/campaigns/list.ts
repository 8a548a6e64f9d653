/**
 * Every campaign in one list, newest first. Each kind reads one bounded page from its own
 * collection (by its createdAt index); the pages merge below the "horizon": the newest of the
 * oldest rows of the kinds that had more to give, below which a kind's next rows are not read yet.
 */
import type { CampaignRow, CampaignStatus, CampaignType, StaffRole } from '../../../typings';
import { cardKind } from './card';
import { communityKind } from './community';
import { couponKind } from './coupon';
import { groupbuyKind } from './groupbuy';
import { inviteKind } from './invite';
import type { CampaignKind, Listed } from './kind';
import { present } from './present';
import { repurchaseKind } from './repurchase';

export const CAMPAIGN_PAGE = 20;
/** With a status filter most rows may be filtered out: each kind reads a longer page. */
const FILTERED_READ = 100;

export const KINDS: Record<CampaignType, CampaignKind> = {
  coupon: couponKind,
  card: cardKind,
  repurchase: repurchaseKind,
  groupbuy: groupbuyKind,
  invite: inviteKind,
  community: communityKind,
};

const at = (l: Listed): number => new Date(l.row.createdAt).getTime();

export async function listCampaigns(
  filter: { type?: CampaignType; status?: CampaignStatus; cursor?: string },
  role: StaffRole,
  now: Date,
): Promise<{ campaigns: CampaignRow[]; nextCursor: string | null }> {
  const kinds = filter.type ? [KINDS[filter.type]] : Object.values(KINDS);
  const read = filter.status ? FILTERED_READ : CAMPAIGN_PAGE + 1;
  const before = filter.cursor ? new Date(filter.cursor) : null;
  const pages = await Promise.all(kinds.map((k) => k.page(before, read, now)));
  // A kind that filled its page may have older rows not read yet: nothing below its oldest row is shown.
  const horizon = Math.max(0, ...pages.filter((p) => p.length === read).map((p) => at(p[p.length - 1])));
  const candidates = pages
    .flat()
    .filter((l) => at(l) >= horizon)
    .sort((a, b) => at(b) - at(a));
  const shown = candidates.filter((l) => !filter.status || l.row.status === filter.status).slice(0, CAMPAIGN_PAGE);
  const last = shown[shown.length - 1];
  const moreShown = last && candidates.filter((l) => (!filter.status || l.row.status === filter.status) && at(l) < at(last)).length > 0;
  const nextCursor = moreShown ? last.row.createdAt : horizon > 0 ? new Date(horizon).toISOString() : null;
  return { campaigns: shown.map((l) => present(l, role)), nextCursor };
}
