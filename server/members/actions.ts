/**
 * The `member` function's actions: the customer's membership from sign-up to deletion. Inputs are
 * parsed at the edge; the modules next to this file do the work.
 */
import { z } from 'zod';
import type { MemberApi } from '../../typings';
import { inviteToken } from '../growth/invites/schemas';
import { bindOrder } from '../orders/bind';
import { boundOrderView } from '../orders/model';
import type { ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { shanghaiDate } from '../runtime/shanghai';
import { loadActiveMember, memberHome } from './home';
import { claimCard, join } from './join';
import { ledgerPage } from './points';
import { PRIVACY_NOTICE } from './privacy';
import { deleteMember } from './delete';
import { acceptPrivacy, boundOrders, exportMember, updateProfile } from './profile';
import * as s from './schemas';

type Actions = { [K in keyof MemberApi]: ActionSpec<MemberApi[K]['req'], MemberApi[K]['res']> };

function refuseFutureBirthday(birthday: string | undefined, now: Date): void {
  if (birthday && birthday > shanghaiDate(now)) fail('INVALID_INPUT', undefined, [{ path: 'payload.birthday', message: '生日不能晚于今天' }]);
}

export const memberActions: Actions = {
  'member.home': {
    input: z.strictObject({}),
    async handler(ctx) {
      return memberHome(ctx.openid, ctx.now);
    },
  },

  'member.privacy': {
    input: z.strictObject({}),
    async handler() {
      return PRIVACY_NOTICE;
    },
  },

  'member.acceptPrivacy': {
    input: z.strictObject({ version: s.privacyVersion }),
    mutates: true,
    async handler(ctx, input) {
      return acceptPrivacy(ctx.openid, input.version, ctx.now);
    },
  },

  'member.join': {
    input: z.strictObject({
      phoneCode: s.phoneCode,
      privacyAccepted: z.boolean({ error: '请先阅读并同意《会员隐私保护指引》' }),
      privacyVersion: s.privacyVersion,
      nickname: s.nickname.optional(),
      avatar: s.avatar.optional(),
      birthday: s.birthday.optional(),
      scene: s.scene.optional(),
      invite: inviteToken.optional(),
    }),
    mutates: true,
    async handler(ctx, input) {
      refuseFutureBirthday(input.birthday, ctx.now);
      return join(ctx, input);
    },
  },

  'member.claimCard': {
    input: z.strictObject({ scene: s.scene }),
    mutates: true,
    async handler(ctx, input) {
      return claimCard(ctx, input.scene);
    },
  },

  'member.profile.update': {
    input: z
      .strictObject({ nickname: s.nickname.optional(), avatar: s.avatar.nullable().optional(), birthday: s.birthday.optional() })
      .refine((p) => p.nickname !== undefined || p.avatar !== undefined || p.birthday !== undefined, '没有要修改的内容'),
    mutates: true,
    async handler(ctx, input) {
      refuseFutureBirthday(input.birthday, ctx.now);
      return updateProfile(ctx.openid, input, ctx.now);
    },
  },

  'member.bindOrder': {
    input: z.strictObject({ orderNo: s.orderNo, phoneLast4: s.phoneLast4 }),
    mutates: true,
    async handler(ctx, input) {
      return bindOrder(ctx.openid, input.orderNo, input.phoneLast4, ctx.now);
    },
  },

  'member.orders': {
    input: z.strictObject({}),
    async handler(ctx) {
      await loadActiveMember(ctx.openid);
      return { orders: (await boundOrders(ctx.openid)).map(boundOrderView) };
    },
  },

  'member.points': {
    input: z.strictObject({ cursor: z.iso.datetime({ error: '分页参数无效' }).optional() }),
    async handler(ctx, input) {
      const member = await loadActiveMember(ctx.openid);
      return { ...(await ledgerPage(ctx.openid, input.cursor)), balance: member.points };
    },
  },

  'member.export': {
    input: z.strictObject({}),
    async handler(ctx) {
      return exportMember(ctx.openid, ctx.now);
    },
  },

  'member.delete': {
    input: z.strictObject({ confirm: z.literal(true, { error: '请确认注销' }) }),
    mutates: true,
    async handler(ctx) {
      return deleteMember(ctx.openid, ctx.now);
    },
  },
};
