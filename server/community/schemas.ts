/** Input schemas of the community and ownership actions; every message says in Chinese what to fix. */
import { z } from 'zod';
import { instantOrNull } from '../runtime/schedule';
import { ENTRY_ID_PATTERN, GROUP_ID_PATTERN, MAX_CAPACITY } from './model';

const noControl = (s: string): boolean => !/[\u0000-\u001f\u007f]/.test(s);

export const entryId = z.string({ error: '缺少入口编号' }).regex(ENTRY_ID_PATTERN, '入口编号无效');
export const groupId = z.string({ error: '缺少群编号' }).regex(GROUP_ID_PATTERN, '群编号无效');
export const staffId = z.string({ error: '请选择员工' }).regex(/^[A-Za-z0-9_-]{1,64}$/, '员工编号无效');
export const memberId = z.string({ error: '缺少会员编号' }).regex(/^[A-Za-z0-9_-]{1,64}$/, '会员编号无效');

/** A file id from `wx.cloud.uploadFile` (or one the local runtime stored). */
export const qrFileId = z
  .string({ error: '请上传二维码图片' })
  .max(512, '图片地址过长')
  .regex(/^(cloud|local):\/\/\S+$/, '请上传二维码图片（云存储文件）');

export const entryName = z
  .string({ error: '请填写入口名称' })
  .trim()
  .min(1, '请填写入口名称')
  .max(30, '入口名称最多 30 个字')
  .refine(noControl, '名称含有无法显示的字符');

export const purpose = z.enum(['card_batch', 'poster', 'counter', 'other'], { error: '请选择用途：包裹卡、海报、门店柜台或其他' });

export const ref = z.string({ error: '关联内容须为文字' }).trim().max(40, '关联内容最多 40 个字').refine(noControl, '关联内容含有无法显示的字符');

export const welcome = z.string({ error: '欢迎语须为文字' }).trim().max(120, '欢迎语最多 120 个字').refine(noControl, '欢迎语含有无法显示的字符');

export const groupName = z
  .string({ error: '请填写群名称' })
  .trim()
  .min(1, '请填写群名称')
  .max(30, '群名称最多 30 个字')
  .refine(noControl, '群名称含有无法显示的字符');

export const capacity = z
  .number({ error: '请填写群容量' })
  .int('群容量须为整数')
  .min(1, '群容量至少 1 人')
  .max(MAX_CAPACITY, `群容量最多 ${MAX_CAPACITY} 人`);

export const priority = z.number({ error: '排序须为数字' }).int('排序须为整数').min(0, '排序不能为负数').max(9999, '排序最大 9999');

/** An ISO time; how far ahead it may be is checked against the clock by the action. */
export const expiresAt = z.iso.datetime({ offset: true, error: '过期时间格式无效，例如 2026-03-17T10:00:00+08:00' });

export const startsAt = instantOrNull('开始时间');
export const endsAt = instantOrNull('结束时间');

export const contactKind = z.enum(['wechat', 'wecom'], { error: '请选择个人微信或企业微信' });
export const contactNote = z.string({ error: '备注须为文字' }).trim().max(40, '备注最多 40 个字').refine(noControl, '备注含有无法显示的字符');

export const memberCount = z.number({ error: '请填写群成员数' }).int('群成员数须为整数').min(0, '群成员数不能为负数').max(2000, '群成员数最多 2000');

export const reason = z.string({ error: '请填写原因' }).trim().min(1, '请填写原因').max(200, '原因最多 200 个字');

export const handoverId = z.string({ error: '缺少交接编号' }).regex(/^ho_[0-9a-f]{16}$/, '交接编号无效');

/** `<joinedAt ms>~<openid>` of the last member on the previous page. */
export const memberCursor = z.string({ error: '翻页参数无效' }).regex(/^\d{1,15}~[A-Za-z0-9_-]{1,64}$/, '翻页参数无效');
