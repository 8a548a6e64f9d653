/**
 * 注销账号, from 我的 and from 个人资料: a confirmation that says what goes and what stays, then
 * `member.delete`. The request id is kept by the caller until the deletion is confirmed done.
 */
import type { ApiResult } from '../../../typings';
import { call } from '../../services/api';

export const DELETE_TITLE = '注销会员账号';

export const DELETE_EXPLANATION =
  '将删除：手机号、昵称、头像、生日，以及积分和未使用的优惠券。\n' +
  '将保留：不能识别到你的统计数字（如入会月份、订单数和消费金额），已绑定的订单仍留在店铺的销售记录中，但不再与你关联。\n' +
  '注销后不能恢复；你之后可以重新加入会员，但积分和优惠券不会恢复。';

/** Asks first; resolves true only when the person confirmed. */
export function confirmDelete(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: DELETE_TITLE,
      content: DELETE_EXPLANATION,
      confirmText: '确认注销',
      confirmColor: '#d54941',
      cancelText: '再想想',
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

export function deleteAccount(requestId: string): Promise<ApiResult<{ deleted: true }>> {
  return call('member', 'member.delete', { confirm: true }, { requestId });
}

/** After the deletion: back to a fresh 首页, which offers joining again. */
export function leaveAfterDelete(): void {
  wx.showToast({ title: '已注销', icon: 'success' });
  wx.reLaunch({ url: '/pages/home/index' });
}
