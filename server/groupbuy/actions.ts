/**
 * The `groupbuy` function's actions: customers open, view, join and list groups; staff (admin and
 * owner) run campaigns and look at their groups. Inputs are parsed at the edge; the modules next to
 * this file do the work.
 */
import { z } from 'zod';
import type { GroupBuyApi, GroupView } from '../../typings';
import { ABILITY_ROLES } from '../admin/access';
import { appendEvents } from '../events/log';
import type { ActionContext, ActionSpec } from '../runtime/define';
import { createCampaign, listCampaigns, loadCampaign, setCampaignStatus } from './campaigns';
import { topUpCampaign, updateCampaign } from './manage';
import { closeIfExpired, failEvent, groupByToken, joinGroup, loadMember, openGroup } from './groups';
import { campaignGroups, campaignPage, myGroups } from './lists';
import { type GroupCampaignDoc, type GroupDoc, isMemberOf } from './model';
import * as s from './schemas';
import { groupView } from './views';

type Actions = { [K in keyof GroupBuyApi]: ActionSpec<GroupBuyApi[K]['req'], GroupBuyApi[K]['res']> };

/** The caller's view of a group; membership is read only when they are not in the group. */
async function present(ctx: ActionContext, group: GroupDoc, campaign?: GroupCampaignDoc): Promise<GroupView> {
  const joined = isMemberOf(group, ctx.openid);
  const [c, member] = await Promise.all([campaign ?? loadCampaign(group.campaignId), joined ? null : loadMember(ctx.openid)]);
  return groupView(group, c, { openid: ctx.openid, isMember: joined || !!member }, ctx.now);
}

export const groupbuyActions: Actions = {
  // ---- customers -------------------------------------------------------------------------------

  'groupbuy.campaign.get': {
    input: z.strictObject({ campaignId: s.campaignId }),
    async handler(ctx, input) {
      return campaignPage(ctx.openid, input.campaignId, ctx.now);
    },
  },

  'groupbuy.open': {
    input: z.strictObject({ campaignId: s.campaignId, subscribed: s.subscribed }),
    mutates: true,
    async handler(ctx, input) {
      const { group, campaign, alreadyOpened } = await openGroup(ctx, input.campaignId, input.subscribed ?? false);
      const { group: current, closed } = await closeIfExpired(group, ctx.now);
      if (closed) await appendEvents([failEvent(current)], ctx.now);
      return { group: await present(ctx, current, campaign), alreadyOpened };
    },
  },

  'groupbuy.detail': {
    input: z.strictObject({ token: s.token }),
    async handler(ctx, input) {
      const { group, closed } = await closeIfExpired(await groupByToken(input.token), ctx.now);
      if (closed) await appendEvents([failEvent(group)], ctx.now);
      return present(ctx, group);
    },
  },

  'groupbuy.join': {
    input: z.strictObject({ token: s.token, subscribed: s.subscribed }),
    mutates: true,
    async handler(ctx, input) {
      const { group, alreadyJoined } = await joinGroup(ctx, input.token, input.subscribed ?? false);
      return { group: await present(ctx, group), alreadyJoined };
    },
  },

  'groupbuy.mine': {
    input: z.strictObject({ cursor: s.mineCursor.optional() }),
    async handler(ctx, input) {
      return myGroups(ctx.openid, input.cursor, ctx.now);
    },
  },

  // ---- staff -----------------------------------------------------------------------------------

  'groupbuy.campaign.create': {
    input: s.campaignInput,
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return createCampaign(ctx, input);
    },
  },

  'groupbuy.campaign.list': {
    input: z.strictObject({ status: s.status.optional() }),
    staff: 'admin',
    async handler(_ctx, input) {
      return { campaigns: await listCampaigns(input.status) };
    },
  },

  'groupbuy.campaign.setStatus': {
    input: z.strictObject({ campaignId: s.campaignId, status: s.status }),
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return setCampaignStatus(ctx, input.campaignId, input.status);
    },
  },

  'groupbuy.campaign.update': {
    input: s.campaignUpdate,
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return updateCampaign(ctx, input);
    },
  },

  'groupbuy.campaign.topUp': {
    input: z.strictObject({ campaignId: s.campaignId, quantity: s.topUpQuantity }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return topUpCampaign(ctx, input.campaignId, input.quantity);
    },
  },

  'groupbuy.group.list': {
    input: z.strictObject({ campaignId: s.campaignId, state: s.groupState.optional(), cursor: s.groupCursor.optional() }),
    staff: 'admin',
    async handler(ctx, input) {
      return campaignGroups(input.campaignId, input.state, input.cursor, ctx.now);
    },
  },
};
