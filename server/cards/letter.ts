/**
 * The default thank-you letter: a few lines from the owner, not a "5 yuan for a good review" slip
 * (DOMAIN.md: customers ignore those). Staff edit it per batch; it is printed on every card.
 */
export const DEFAULT_LETTER = [
  '亲爱的朋友：',
  '见字如面。谢谢你在那么多店铺里选择了我们。这份包裹从挑选、打包到发出，都经过我们自己的手，希望它配得上你的期待。',
  '用得好不好，都欢迎扫码告诉我，我会亲自回复。',
  '—— 店主 敬上',
].join('\n');
