/** What the community entry page renders, mapped from `community.open`. */
import type { CommunityOpenResult, StaffContactKind } from '../../../typings';
import { formatDate } from '../../utils/format';

const ENTRY_ID = /^[0-9a-z]{8}$/;

/** The entry id from `?entry=` (shares) or `?scene=` (a mini program code); '' when invalid. */
export function entryIdOf(query: Record<string, string | undefined>): string {
  const raw = query.entry ?? (query.scene ? safeDecode(query.scene) : '');
  const id = (raw ?? '').trim();
  return ENTRY_ID.test(id) ? id : '';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface CodeView {
  kind: 'group' | 'contact' | 'none';
  title: string;
  welcome: string;
  /** The big QR to long-press. */
  src: string;
  /** Above the code: the group's name, or who the contact is. */
  heading: string;
  /** Under the code: how to use it. */
  howTo: string;
  note: string;
  message: string;
  joined: boolean;
}

export function contactHowTo(kind: StaffContactKind): string {
  return kind === 'wecom' ? '长按识别，添加店员企业微信' : '长按识别，添加店员微信';
}

export function toCodeView(r: CommunityOpenResult): CodeView {
  const base = { title: r.entry.name, welcome: r.entry.welcome, note: '', message: '', joined: false };
  if (r.kind === 'group') {
    return {
      ...base,
      kind: 'group',
      src: r.group.qr.src,
      heading: r.group.name,
      howTo: '长按识别二维码，加入群聊',
      note: `二维码 ${formatDate(r.group.expiresAt)} 前有效`,
      joined: r.joined,
    };
  }
  if (r.kind === 'contact') {
    return {
      ...base,
      kind: 'contact',
      src: r.contact.qr.src,
      heading: `群已满员，请添加店员 ${r.contact.staffName}，由TA邀请你入群`,
      howTo: contactHowTo(r.contact.kind),
      note: r.contact.note,
    };
  }
  return { ...base, kind: 'none', src: '', heading: '', howTo: '', message: r.message };
}
