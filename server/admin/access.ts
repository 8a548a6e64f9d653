/**
 * Who sees what in the admin tab, in one place. The tab renders `areasFor(role)`; every action
 * names its lowest role from these same tables, and the guard checks it again on every call.
 */
import type { AdminAbilities, AdminArea, StaffRole } from '../../typings';
import { roleAtLeast } from '../runtime/staff-guard';

/** The lowest role that sees each area, in the order the tab lists them. */
export const AREA_ROLES: Record<AdminArea, StaffRole> = {
  verify: 'clerk',
  members: 'clerk',
  dashboard: 'clerk',
  // Clerks at the counter see which campaigns run (and preview them); changing them is manageCampaigns.
  campaigns: 'clerk',
  cards: 'admin',
  imports: 'admin',
  segments: 'admin',
  prospects: 'admin',
  team: 'admin',
  audit: 'admin',
  // Every staff member counts group members and keeps their own contact code; changing entries and
  // groups is manageCampaigns (a community entry is one of the campaigns).
  community: 'clerk',
  // Moving a colleague's members to others is a manager's decision.
  handover: 'admin',
};

/** The lowest role for each ability inside an area. */
export const ABILITY_ROLES: Record<keyof AdminAbilities, StaffRole> = {
  editTags: 'admin',
  editSegmentRules: 'admin',
  // A list of customers leaving the system is the owner's call (离职带走客户 is what 私域 guards against).
  exportSegments: 'owner',
  readAudit: 'admin',
  // Same reasoning: a list of buyers, or everything about one member with the full phone, leaves the system.
  exportProspects: 'owner',
  exportMemberData: 'owner',
  // Irreversible, and the member's own right to ask for: the owner answers for it.
  eraseMember: 'owner',
  manageCampaigns: 'admin',
};

export function areasFor(role: StaffRole): AdminArea[] {
  return (Object.keys(AREA_ROLES) as AdminArea[]).filter((area) => roleAtLeast(role, AREA_ROLES[area]));
}

export function abilitiesFor(role: StaffRole): AdminAbilities {
  const out = {} as AdminAbilities;
  for (const key of Object.keys(ABILITY_ROLES) as (keyof AdminAbilities)[]) out[key] = roleAtLeast(role, ABILITY_ROLES[key]);
  return out;
}
