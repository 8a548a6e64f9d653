/** How other people appear on customers' screens: nicknames masked, never an openid. */
import { DEFAULT_NICKNAME } from '../members/model';

/** 「小明」→「小*」, 「爱丽丝」→「爱*丝」, 「微信用户」→「微**户」. */
export function maskName(name: string | null | undefined): string {
  const chars = Array.from((name ?? '').trim() || DEFAULT_NICKNAME);
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`;
}
