/**
 * The `community` function's live-code and contact actions. Inputs are parsed at the edge; the
 * modules next to this file do the work. Ownership actions live in `ownership/actions.ts`.
 */
import { z } from 'zod';
import type { CommunityApi } from '../../typings';
import { ABILITY_ROLES, AREA_ROLES } from '../admin/access';
import type { ActionContext, ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { roleAtLeast } from '../runtime/staff-guard';
import { alertStatus, subscribeAlerts } from './alerts';
import { getContact, myContact, setContact } from './contacts';
import { createEntry, entryDetail, listEntries, updateEntry } from './entries';
import { addGroup, countGroup, updateGroup } from './groups';
import type { StaffCall } from './model';
import { confirmJoined, openEntry } from './open';
import { MAX_QR_IMAGE_BYTES, storeQrImage } from './qr-images';
import * as s from './schemas';

type LiveCodeApi = Pick<CommunityApi, Extract<keyof CommunityApi, `community.${string}`>>;
type Actions = { [K in keyof LiveCodeApi]: ActionSpec<LiveCodeApi[K]['req'], LiveCodeApi[K]['res']> };

const staffCall = (ctx: ActionContext): StaffCall => ({ openid: ctx.openid, requestId: ctx.requestId, now: ctx.now });

const entryFields = {
  name: s.entryName,
  purpose: s.purpose,
  ref: s.ref.nullable().optional(),
  welcome: s.welcome.optional(),
  fallbackStaffId: s.staffId.nullable().optional(),
  startsAt: s.startsAt.optional(),
  endsAt: s.endsAt.optional(),
};
const entryStatus = z.enum(['active', 'paused', 'archived'], { error: '请选择启用、暂停或停用' });

export const communityActions: Actions = {
  // ---- customers -------------------------------------------------------------------------------

  'community.open': {
    input: z.strictObject({ entryId: s.entryId }),
    async handler(ctx, input) {
      return openEntry(ctx.openid, input.entryId, ctx.now);
    },
  },

  'community.confirmJoined': {
    input: z.strictObject({ entryId: s.entryId }),
    mutates: true,
    async handler(ctx, input) {
      return confirmJoined(ctx.openid, input.entryId, ctx.now);
    },
  },

  'community.myContact': {
    input: z.strictObject({}),
    async handler(ctx) {
      return myContact(ctx.openid, ctx.now);
    },
  },

  // ---- staff: entries and groups ---------------------------------------------------------------
  // Roles come from the admin tab's role table: the 社群 area to look and count, manageCampaigns to
  // change (a community entry is one of the campaigns).

  'community.entry.create': {
    input: z.strictObject(entryFields),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return createEntry(staffCall(ctx), input);
    },
  },

  'community.entry.update': {
    input: z.strictObject({
      entryId: s.entryId,
      name: entryFields.name.optional(),
      purpose: entryFields.purpose.optional(),
      ref: entryFields.ref,
      welcome: entryFields.welcome,
      fallbackStaffId: entryFields.fallbackStaffId,
      startsAt: entryFields.startsAt,
      endsAt: entryFields.endsAt,
      status: entryStatus.optional(),
    }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return updateEntry(staffCall(ctx), input);
    },
  },

  'community.entry.list': {
    input: z.strictObject({ status: entryStatus.optional() }),
    staff: AREA_ROLES.community,
    async handler(ctx, input) {
      return { entries: await listEntries(input.status, ctx.now) };
    },
  },

  'community.entry.get': {
    input: z.strictObject({ entryId: s.entryId }),
    staff: AREA_ROLES.community,
    async handler(ctx, input) {
      return entryDetail(input.entryId, ctx.now);
    },
  },

  'community.group.add': {
    input: z.strictObject({
      entryId: s.entryId,
      name: s.groupName,
      qrFileId: s.qrFileId,
      expiresAt: s.expiresAt.optional(),
      capacity: s.capacity.optional(),
      priority: s.priority.optional(),
    }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return addGroup(staffCall(ctx), input);
    },
  },

  'community.group.update': {
    input: z.strictObject({
      groupId: s.groupId,
      name: s.groupName.optional(),
      qrFileId: s.qrFileId.optional(),
      expiresAt: s.expiresAt.optional(),
      capacity: s.capacity.optional(),
      priority: s.priority.optional(),
      status: z.enum(['active', 'retired'], { error: '请选择启用或停用' }).optional(),
    }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return updateGroup(staffCall(ctx), input);
    },
  },

  'community.group.count': {
    input: z.strictObject({ groupId: s.groupId, memberCount: s.memberCount, note: s.contactNote.optional() }),
    staff: AREA_ROLES.community,
    mutates: true,
    async handler(ctx, input) {
      return countGroup(staffCall(ctx), input.groupId, input.memberCount, input.note || undefined);
    },
  },

  // ---- staff: contact codes --------------------------------------------------------------------

  'community.contact.set': {
    input: z.strictObject({ qrFileId: s.qrFileId, kind: s.contactKind, note: s.contactNote.optional(), staffId: s.staffId.optional() }),
    staff: AREA_ROLES.community,
    mutates: true,
    async handler(ctx, input) {
      return setContact(staffCall(ctx), ctx.staff!, input);
    },
  },

  'community.contact.get': {
    input: z.strictObject({ staffId: s.staffId.optional() }),
    staff: AREA_ROLES.community,
    async handler(ctx, input) {
      return { contact: await getContact(staffCall(ctx), ctx.staff!, input.staffId) };
    },
  },

  // Where there is no `wx.cloud.uploadFile` (the local backend) the QR image comes through here. Every
  // staff member keeps their own contact code; a group's QR is for those who may add groups.
  'community.qr.put': {
    input: z.strictObject({
      entryId: s.entryId.optional(),
      name: z.string({ error: '缺少图片文件名' }).trim().min(1, '缺少图片文件名').max(200, '图片文件名过长'),
      base64: z
        .string({ error: '缺少图片内容' })
        .min(1, '图片是空的，请重新选择')
        .max(Math.ceil((MAX_QR_IMAGE_BYTES * 4) / 3) + 4, '图片超过 1MB，请截取二维码部分后重试')
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, '图片内容无效，请重新选择'),
    }),
    staff: AREA_ROLES.community,
    mutates: true,
    async handler(ctx, input) {
      if (input.entryId && !roleAtLeast(ctx.staff!.role, ABILITY_ROLES.manageCampaigns)) fail('FORBIDDEN', '当前角色没有权限进行此操作');
      return storeQrImage(staffCall(ctx), input);
    },
  },

  // ---- staff: alerts ---------------------------------------------------------------------------

  'community.alerts.status': {
    input: z.strictObject({}),
    staff: ABILITY_ROLES.manageCampaigns,
    async handler(ctx) {
      return alertStatus(ctx.openid);
    },
  },

  'community.alerts.subscribe': {
    input: z.strictObject({ accepted: z.boolean({ error: '缺少订阅结果' }) }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return subscribeAlerts(ctx.openid, ctx.requestId, input.accepted, ctx.now);
    },
  },
};
