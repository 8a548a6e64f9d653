/**
 * The admin tab's actions in the `admin` function. Each names its lowest role from access.ts, the
 * same table the tab is drawn from; the guard checks it on every call.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AdminTabApi, DashboardRange, MemberSearchBy, SegmentKey } from '../../typings';
import { openid } from '../members/schemas';
import type { ActionSpec } from '../runtime/define';
import { fail } from '../runtime/errors';
import { platform } from '../runtime/platform';
import { shanghaiDate } from '../runtime/shanghai';
import { ABILITY_ROLES, abilitiesFor, AREA_ROLES, areasFor } from './access';
import { auditPage } from './audit-read';
import { exportFollowUps } from './export-jobs';
import { dashboard, todayLine } from './dashboard';
import { memberPage } from './member-page';
import { findMembers } from './search';
import { segmentExports, startExport } from './segments/export';
import { segmentsOverview } from './segments/overview';
import { SEGMENT_KEYS, segmentRulesInput } from './segments/rules';
import { saveSegmentRules } from './segments/settings';
import { setTags, tagsInput } from './tags';
import { timelinePage } from './timeline';

type Actions = { [K in keyof AdminTabApi]: ActionSpec<AdminTabApi[K]['req'], AdminTabApi[K]['res']> };

const SEARCH_KINDS: MemberSearchBy[] = ['phone', 'orderNo', 'nickname'];
const RANGES: DashboardRange[] = ['today', '7d', '30d'];
/** The CSV a phone sends through the function when there is no cloud storage to upload to (local backend). */
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const instant = (what: string) => z.string({ error: `${what}无效` }).datetime({ message: `${what}无效` });

const searchInput = z
  .strictObject({
    by: z.enum(SEARCH_KINDS as [MemberSearchBy, ...MemberSearchBy[]], { error: '请选择按手机号、订单号或昵称查找' }),
    q: z.string({ error: '请输入要查找的内容' }).trim().min(1, '请输入要查找的内容').max(80, '内容过长'),
  })
  .superRefine((input, ctx) => {
    if (input.by === 'phone' && !/^(\d{4}|1\d{10})$/.test(input.q)) ctx.addIssue({ code: 'custom', path: ['q'], message: '请输入手机号后 4 位或完整的 11 位手机号' });
    if (input.by === 'nickname' && input.q.length > 20) ctx.addIssue({ code: 'custom', path: ['q'], message: '昵称最多 20 个字' });
    if (input.by === 'orderNo' && !/^[\w-]{4,80}$/.test(input.q)) ctx.addIssue({ code: 'custom', path: ['q'], message: '订单号由字母、数字或连字符组成' });
  });

const segment = z.enum(SEGMENT_KEYS as [SegmentKey, ...SegmentKey[]], { error: '请选择会员分层' });
const exportId = z.string({ error: '缺少导出任务编号' }).regex(/^sx_[0-9a-f]{20}$/, '导出任务编号无效');
const segmentExport = exportFollowUps(segmentExports, ABILITY_ROLES.exportSegments, exportId);

export const adminTabActions: Actions = {
  'admin.home': {
    input: z.strictObject({}),
    staff: 'clerk',
    async handler(ctx) {
      const staff = ctx.staff!;
      return {
        me: { openid: ctx.openid, name: staff.name, role: staff.role },
        areas: areasFor(staff.role),
        abilities: abilitiesFor(staff.role),
        today: await todayLine(ctx.now),
      };
    },
  },

  'member.find': {
    input: searchInput,
    staff: AREA_ROLES.members,
    async handler(_ctx, input) {
      return findMembers(input.by, input.q);
    },
  },

  'member.page': {
    input: z.strictObject({ openid }),
    staff: AREA_ROLES.members,
    async handler(_ctx, input) {
      return memberPage(input.openid);
    },
  },

  'member.timeline': {
    input: z.strictObject({ openid, before: instant('时间') }),
    staff: AREA_ROLES.members,
    async handler(_ctx, input) {
      return timelinePage(input.openid, input.before);
    },
  },

  'member.tags.set': {
    input: z.strictObject({ openid, tags: tagsInput }),
    staff: ABILITY_ROLES.editTags,
    mutates: true,
    async handler(ctx, input) {
      return setTags(input.openid, input.tags, ctx.openid, ctx.now);
    },
  },

  'segment.overview': {
    input: z.strictObject({}),
    staff: AREA_ROLES.segments,
    async handler() {
      return segmentsOverview();
    },
  },

  'segment.rules.set': {
    input: segmentRulesInput,
    staff: ABILITY_ROLES.editSegmentRules,
    mutates: true,
    async handler(ctx, input) {
      await saveSegmentRules(input, ctx.openid, ctx.requestId, ctx.now);
      return segmentsOverview();
    },
  },

  'segment.export.start': {
    input: z.strictObject({ segment }),
    staff: ABILITY_ROLES.exportSegments,
    mutates: true,
    async handler(ctx, input) {
      return startExport(input.segment, ctx.openid, ctx.requestId, ctx.now);
    },
  },

  'segment.export.continue': segmentExport.continue,
  'segment.export.get': segmentExport.get,

  'dashboard.get': {
    input: z.strictObject({ range: z.enum(RANGES as [DashboardRange, ...DashboardRange[]], { error: '请选择今日、近 7 天或近 30 天' }) }),
    staff: AREA_ROLES.dashboard,
    async handler(ctx, input) {
      return dashboard(input.range, ctx.now);
    },
  },

  'audit.list': {
    input: z.strictObject({
      before: instant('时间').optional(),
      target: z.string({ error: '对象无效' }).min(1, '对象无效').max(200, '对象无效').optional(),
    }),
    staff: ABILITY_ROLES.readAudit,
    async handler(_ctx, input) {
      return auditPage(input.before, input.target);
    },
  },

  'import.file.put': {
    input: z.strictObject({
      name: z.string({ error: '缺少文件名' }).trim().min(1, '缺少文件名').max(120, '文件名过长').regex(/\.csv$/i, '请选择 .csv 文件'),
      base64: z.string({ error: '缺少文件内容' }).min(1, '文件是空的').max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4, '文件超过 2MB，请分成几个文件导入'),
    }),
    staff: AREA_ROLES.imports,
    mutates: true,
    async handler(ctx, input) {
      const content = Buffer.from(input.base64, 'base64');
      if (content.length === 0) fail('INVALID_INPUT', undefined, [{ path: 'payload.base64', message: '文件是空的' }]);
      // Named by the request: a retried upload lands on the same file. The import that reads it
      // has it deleted 30 days after finishing (file-retention.ts).
      const key = createHash('sha256').update(`${ctx.openid}\n${ctx.requestId}`).digest('hex').slice(0, 20);
      const { fileId } = await platform().storeFile(`imports/uploads/${shanghaiDate(ctx.now)}/${key}.csv`, content);
      return { fileId };
    },
  },
};
