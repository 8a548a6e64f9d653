/**
 * Community steps that page stories arrange through the real cloud functions (no pages involved):
 * the owner's live code entries and groups, staff contact codes.
 */
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import type { CommunityEntryView, CommunityGroupInput, CommunityGroupView } from '../../../typings';
import { act } from './members';

export function ownerCreatesEntry(name = '龙井包裹卡 3 月', welcome = '群里每周三有茶友专享价'): Promise<CommunityEntryView> {
  return act(DEMO_OWNER_OPENID, 'community', 'community.entry.create', { name, purpose: 'card_batch', welcome });
}

export function ownerAddsGroup(
  entryId: string,
  name: string,
  overrides: Partial<Omit<CommunityGroupInput, 'entryId' | 'name'>> = {},
): Promise<CommunityGroupView> {
  return act(DEMO_OWNER_OPENID, 'community', 'community.group.add', {
    entryId,
    name,
    qrFileId: `cloud://stand-in-env.7374-stand-in/community/${entryId}/${encodeURIComponent(name)}.png`,
    ...overrides,
  });
}

/** `staffId` uploads their contact code (a personal WeChat code unless said otherwise). */
export async function staffSetsContact(staffId: string, kind: 'wechat' | 'wecom' = 'wechat'): Promise<void> {
  await act(staffId, 'community', 'community.contact.set', {
    qrFileId: `cloud://stand-in-env.7374-stand-in/contacts/${staffId}.png`,
    kind,
    note: '添加时请备注：会员',
  });
}
