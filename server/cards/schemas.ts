/** Input schemas of the card actions; every field says in Chinese what is wrong with it. */
import { z } from 'zod';
import { instantOrNull } from '../runtime/schedule';
import { isCalendarDate } from '../runtime/shanghai';
import { MIN_PART_SIZE, PART_SIZE } from './export/job';
import { BATCH_ID_PATTERN, MAX_SERIAL } from './scene';

export const MAX_LETTER = 240;

export const channel = z.enum(['taobao', 'jd', 'pdd', 'douyin', 'offline', 'other'], {
  error: '请选择渠道：淘宝、京东、拼多多、抖音、线下或其他',
});

export const batchId = z.string({ error: '缺少批次编号' }).regex(BATCH_ID_PATTERN, '批次编号无效');
export const exportId = z.string({ error: '缺少导出编号' }).regex(/^exp_[0-9a-f]{16}$/, '导出编号无效');
const templateId = z.string({ error: '请选择优惠券' }).regex(/^tpl_[0-9a-f]{16}$/, '优惠券编号无效');
const staffId = z.string({ error: '请选择负责的员工' }).regex(/^[A-Za-z0-9_-]{1,64}$/, '员工编号无效');

export const validUntil = z.string({ error: '请选择领取截止日期' }).refine(isCalendarDate, '领取截止日期须为有效日期，格式 YYYY-MM-DD');
export const startsAt = instantOrNull('开始领取时间');

export const batchInput = z.strictObject({
  channel,
  product: z.string({ error: '请填写商品或备注' }).trim().min(1, '请填写商品或备注').max(40, '商品或备注最多 40 个字'),
  quantity: z
    .number({ error: '请填写卡片数量' })
    .int('卡片数量须为整数')
    .min(1, '至少 1 张卡片')
    .max(MAX_SERIAL, `一批最多 ${MAX_SERIAL} 张卡片`),
  letter: z
    .string({ error: '请填写感谢信' })
    .trim()
    .min(1, '感谢信不能为空')
    .max(MAX_LETTER, `感谢信最多 ${MAX_LETTER} 个字，印在卡片上要简短`)
    .optional(),
  templateId: templateId.nullable().optional(),
  ownerStaffId: staffId.nullable().optional(),
  validUntil,
  startsAt: startsAt.optional(),
});

export const envVersion = z.enum(['release', 'trial', 'develop'], { error: '请选择小程序版本：正式版、体验版或开发版' });

export const reason = z.string({ error: '请填写原因' }).trim().min(1, '请填写停用原因').max(200, '原因最多 200 个字');

export const partSize = z
  .number({ error: '请填写每个文件的卡片数' })
  .int('每个文件的卡片数须为整数')
  .min(MIN_PART_SIZE, `每个文件至少 ${MIN_PART_SIZE} 张卡片（一整页）`)
  .max(PART_SIZE, `每个文件最多 ${PART_SIZE} 张卡片`);
