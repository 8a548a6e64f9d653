/**
 * The member privacy notice. It lives in code, versioned: joining checks the version the customer
 * accepted without a database read, and a new version is a reviewed change, not a settings edit.
 * (WeChat's own 《小程序用户隐私保护指引》, configured in the admin console, covers the platform's
 * prompts such as getPhoneNumber; this one is the store's membership notice.)
 */
import type { PrivacyNotice } from '../../typings';

export const PRIVACY_VERSION = '2026-03-01';

export const PRIVACY_NOTICE: PrivacyNotice = {
  version: PRIVACY_VERSION,
  title: '会员隐私保护指引',
  effectiveDate: PRIVACY_VERSION,
  sections: [
    {
      heading: '我们收集哪些信息',
      body: '加入会员时：你授权的手机号，以及你主动填写的昵称、头像和生日（可不填）。绑定订单时：你填写的订单号，我们用店铺从电商平台导出的订单核对手机号后四位。此外会记录你扫描包裹卡、领取和使用优惠券等会员活动。',
    },
    {
      heading: '我们如何使用',
      body: '用于识别你的会员身份、计算会员等级和积分、发放和核销优惠券、提供售后与会员服务，以及统计活动效果（统计只使用汇总数字）。我们不会把你的信息出售或提供给第三方用于营销。',
    },
    {
      heading: '我们如何保存和保护',
      body: '手机号加密保存，店铺员工只能看到部分隐藏的号码（如 138****8000）。信息保存在本店的微信云开发环境中，只在提供会员服务所需的期限内保存。',
    },
    {
      heading: '你的权利',
      body: '你可以随时在「我的 - 个人资料」中修改昵称和头像，查看本指引，导出我们保存的与你有关的全部信息，或注销会员。注销后你的个人信息会被删除，只保留不能识别到你的统计数字。',
    },
    {
      heading: '联系我们',
      body: '如有疑问，可通过小程序首页的客服方式联系店铺。',
    },
  ],
};
