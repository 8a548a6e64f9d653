/** Input schemas of the member and admin actions; every message says in Chinese what to fix. */
import { z } from 'zod';
import { isCalendarDate } from '../runtime/shanghai';

export const nickname = z
  .string({ error: '昵称须为文字' })
  .trim()
  .min(1, '请填写昵称')
  .max(20, '昵称最多 20 个字')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), '昵称含有无法显示的字符');

/** A cloud file id from `wx.cloud.uploadFile`, or an https URL. */
export const avatar = z
  .string({ error: '头像地址无效' })
  .max(512, '头像地址过长')
  .regex(/^(cloud:\/\/|https:\/\/)\S+$/, '头像须为上传后的云文件或 https 地址');

/** Born 1900 or later, and not in the future (checked against Shanghai today by the caller). */
export const birthday = z
  .string({ error: '请选择生日' })
  .refine((s) => isCalendarDate(s) && s >= '1900-01-01', '生日须为有效日期，格式 YYYY-MM-DD');

/** Scenes are at most 32 visible characters of the set `wxacode.getUnlimited` accepts. */
export const scene = z
  .string({ error: '卡片参数无效' })
  .min(1, '卡片参数无效')
  .max(32, '卡片参数无效')
  .regex(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/, '卡片参数无效');

export const openid = z.string({ error: '缺少会员编号' }).regex(/^[A-Za-z0-9_-]{1,64}$/, '会员编号无效');

export const phoneCode = z.string({ error: '请先授权手机号' }).min(1, '请先授权手机号').max(256, '手机号授权码无效');

export const privacyVersion = z.string({ error: '缺少隐私保护指引版本' }).min(1, '缺少隐私保护指引版本').max(32, '隐私保护指引版本无效');

export const orderNo = z.string({ error: '请填写订单号' }).trim().min(1, '请填写订单号').max(80, '订单号过长');

export const phoneLast4 = z.string({ error: '请填写手机号后四位' }).regex(/^\d{4}$/, '请填写订单手机号的后四位数字');

export const shanghaiDay = z.string({ error: '请选择日期' }).refine(isCalendarDate, '日期格式为 YYYY-MM-DD');
