/**
 * The `admin` function's actions: staff find members (phone shown masked only), set the level and
 * points rules, import platform orders from CSV, and read the funnel's day counters.
 */
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import type { MemberAdminApi } from '../../typings';
import { daysBetween, readDayCounters } from '../events/counters';
import { ORDER_PLATFORMS, boundOrderView } from '../orders/model';
import { getJob, listJobs, runStep, startImport } from '../orders/import';
import { previewImport } from '../orders/preview';
import { PRESETS } from '../orders/presets';
import { audit } from '../runtime/audit';
import { getById, getDb } from '../runtime/db';
import type { ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { phoneHash } from './crypto';
import { staffView } from './home';
import { LEVEL_SETTINGS_ID, levelRulesInput, loadLevelRules, type LevelSettingsDoc } from './levels';
import type { MemberDoc } from './model';
import { boundOrders } from './profile';
import * as s from './schemas';

type Actions = { [K in keyof MemberAdminApi]: ActionSpec<MemberAdminApi[K]['req'], MemberAdminApi[K]['res']> };

const SEARCH_LIMIT = 20;
const MAX_DAYS = 92;

const field = z.string().trim().min(1, '列名不能为空').max(40, '列名过长');
const importSource = z.strictObject({
  fileId: z
    .string({ error: '请先上传文件' })
    .max(512, '文件编号过长')
    .regex(/^(cloud|local):\/\/\S+$/, '请先上传文件'),
  platform: z.enum(ORDER_PLATFORMS as [string, ...string[]], { error: '请选择订单来源平台' }) as z.ZodType<(typeof ORDER_PLATFORMS)[number]>,
  mapping: z
    .strictObject({
      orderNo: field.optional(),
      phone: field.optional(),
      amount: field.optional(),
      paidAt: field.optional(),
      product: field.optional(),
      quantity: field.optional(),
      status: field.optional(),
    })
    .optional(),
  amountUnit: z.enum(['yuan', 'fen'], { error: '金额单位为元或分' }).optional(),
});
const jobId = z.string({ error: '缺少导入任务编号' }).regex(/^imp_[A-Za-z0-9_-]{1,40}$/, '导入任务编号无效');

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const memberAdminActions: Actions = {
  'member.search': {
    input: z.strictObject({
      phone: z.string({ error: '手机号无效' }).regex(/^1\d{10}$/, '请输入 11 位手机号').optional(),
      nickname: z.string({ error: '昵称无效' }).trim().min(1, '请输入昵称').max(20, '昵称最多 20 个字').optional(),
    }),
    staff: 'clerk',
    async handler(_ctx, input) {
      const db = getDb();
      const query: Record<string, unknown> = { status: 'active' };
      if (input.phone) query.phoneHash = phoneHash('86', input.phone);
      if (input.nickname) query.nickname = db.RegExp({ regexp: escapeRegExp(input.nickname), options: 'i' });
      const [res, rules] = await Promise.all([
        db.collection(COLLECTIONS.members).where(query).orderBy('joinedAt', 'desc').limit(SEARCH_LIMIT).get(),
        loadLevelRules(),
      ]);
      return { members: (res.data as MemberDoc[]).map((m) => staffView(m, rules)) };
    },
  },

  'member.detail': {
    input: z.strictObject({ openid: s.openid }),
    staff: 'clerk',
    async handler(_ctx, input) {
      const member = await getById<MemberDoc>(COLLECTIONS.members, input.openid);
      if (!member || member.status !== 'active') fail('NOT_FOUND', '找不到这位会员');
      const [rules, orders] = await Promise.all([loadLevelRules(), boundOrders(member._id)]);
      return { member: staffView(member, rules), orders: orders.map(boundOrderView) };
    },
  },

  'member.levels.get': {
    input: z.strictObject({}),
    staff: 'clerk',
    async handler() {
      return loadLevelRules();
    },
  },

  'member.levels.set': {
    input: levelRulesInput,
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      const before = await loadLevelRules();
      const data: Omit<LevelSettingsDoc, '_id'> = { ...input, updatedAt: ctx.now, updatedBy: ctx.openid };
      await getDb().collection(COLLECTIONS.settings).doc(LEVEL_SETTINGS_ID).set({ data });
      await audit({ actor: ctx.openid, action: 'member.levels.set', target: `${COLLECTIONS.settings}/${LEVEL_SETTINGS_ID}`, before, after: input }, ctx.now);
      return input;
    },
  },

  'order.import.presets': {
    input: z.strictObject({}),
    staff: 'admin',
    async handler() {
      return { presets: PRESETS };
    },
  },

  'order.import.preview': {
    input: importSource,
    staff: 'admin',
    async handler(_ctx, input) {
      return previewImport(input);
    },
  },

  'order.import.start': {
    input: importSource,
    staff: 'admin',
    mutates: true,
    async handler(ctx, input) {
      return startImport(input, ctx.openid, ctx.requestId, ctx.now);
    },
  },

  // Idempotent by the job's own progress (a step resumes where the last one stopped), so no request id.
  'order.import.step': {
    input: z.strictObject({ jobId }),
    staff: 'admin',
    async handler(ctx, input) {
      return runStep(input.jobId, ctx.now);
    },
  },

  'order.import.get': {
    input: z.strictObject({ jobId }),
    staff: 'admin',
    async handler(_ctx, input) {
      return getJob(input.jobId);
    },
  },

  'order.import.list': {
    input: z.strictObject({}),
    staff: 'admin',
    async handler() {
      return { jobs: await listJobs() };
    },
  },

  'stats.days': {
    input: z.strictObject({ fromDay: s.shanghaiDay, toDay: s.shanghaiDay }).refine((r) => r.fromDay <= r.toDay, { message: '开始日期不能晚于结束日期', path: ['toDay'] }),
    staff: 'clerk',
    async handler(_ctx, input) {
      const days = daysBetween(input.fromDay, input.toDay);
      if (days.length > MAX_DAYS) fail('INVALID_INPUT', undefined, [{ path: 'payload.toDay', message: `一次最多查看 ${MAX_DAYS} 天` }]);
      return { days: await readDayCounters(days) };
    },
  },
};
