/** The home page: the store, what it offers right now, and whether the viewer works here. */
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import type { AppApi, CampaignCard } from '../../typings';
import { benefitText } from '../coupons/discount';
import type { TemplateDoc } from '../coupons/model';
import { getDb } from '../runtime/db';
import type { ActionSpec } from '../runtime/define';
import { findActiveStaff } from '../runtime/staff-guard';
import { loadStore } from './store';

type Actions = { [K in keyof AppApi]: ActionSpec<AppApi[K]['req'], AppApi[K]['res']> };

interface CampaignDoc extends CampaignCard {
  _id: string;
  status: 'draft' | 'active' | 'paused' | 'ended';
  startsAt: Date;
}

const HOME_CAMPAIGNS = 6;

export const appActions: Actions = {
  'home.get': {
    input: z.strictObject({}),
    async handler(ctx) {
      const [store, staff, campaigns, templates] = await Promise.all([
        loadStore(),
        findActiveStaff(ctx.openid),
        getDb()
          .collection(COLLECTIONS.campaigns)
          .where({ status: 'active' })
          .orderBy('startsAt', 'desc')
          .limit(HOME_CAMPAIGNS)
          .get(),
        // Coupons open to everyone or to members are campaigns a visitor can claim from home.
        getDb()
          .collection(COLLECTIONS.couponTemplates)
          .where({
            status: 'active',
            publicClaim: getDb().command.neq(false),
            'audience.type': getDb().command.in(['everyone', 'members', 'new_members']),
          })
          .orderBy('createdAt', 'desc')
          .limit(HOME_CAMPAIGNS)
          .get(),
      ]);
      const couponCards: CampaignCard[] = (templates.data as TemplateDoc[]).map((t) => ({
        id: t._id,
        title: t.title,
        subtitle: benefitText(t),
        kind: 'coupon',
      }));
      return {
        store,
        campaigns: [
          ...(campaigns.data as CampaignDoc[]).map(({ _id, title, subtitle, kind }): CampaignCard => ({ id: _id, title, subtitle, kind })),
          ...couponCards,
        ].slice(0, HOME_CAMPAIGNS),
        viewer: { isStaff: !!staff, role: staff?.role ?? null },
        localRuntime: process.env.PRIVDOM_LOCAL === '1',
      };
    },
  },
};
