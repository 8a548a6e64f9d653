/** What the profile page renders, mapped from the contract's MemberCard. */
import type { MemberCard } from '../../../../typings';
import { formatDate } from '../../../utils/format';

export interface ProfileView {
  nickname: string;
  avatar: string;
  initial: string;
  phone: string;
  devPhone: boolean;
  /** Set birthdays are shown, never edited: the member sets it once. */
  birthday: string;
  joinedAt: string;
}

export function toProfileView(card: MemberCard): ProfileView {
  return {
    nickname: card.nickname,
    avatar: card.avatar ?? '',
    initial: card.nickname.slice(0, 1),
    phone: card.phoneMasked,
    devPhone: card.phoneIsDevelopment,
    birthday: card.birthday ?? '',
    joinedAt: formatDate(card.joinedAt),
  };
}

export function birthdayQuestion(birthday: string): string {
  return `生日设置后不能修改，确认你的生日是 ${birthday} 吗？`;
}
