/** Who may receive a template's coupons. Members are read from `members` (missing = not a member). */
import type { Audience } from '../../typings';

export interface MemberDoc {
  _id: string;
  joinedAt: Date;
  nickname?: string;
  phoneMasked?: string | null;
  segments?: string[];
}

/** Null when the member may have it; otherwise why not, for people. */
export function checkAudience(audience: Audience, member: MemberDoc | null, now: Date): string | null {
  switch (audience.type) {
    case 'everyone':
      return null;
    case 'members':
      return member ? null : '该券仅限会员领取，请先加入会员';
    case 'new_members': {
      if (!member) return '该券仅限新会员领取，请先加入会员';
      const joinedAt = new Date(member.joinedAt).getTime();
      return now.getTime() - joinedAt <= audience.withinDays * 86_400_000 ? null : `该券仅限入会 ${audience.withinDays} 天内的新会员领取`;
    }
    case 'segment':
      return member?.segments?.includes(audience.segment) ? null : '该券仅限特定会员领取';
  }
}
