/** Manual tags on a member (e.g. 「茶艺爱好者」「企业采购」): set by admins, recorded in the audit log. */
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import { audit } from '../runtime/audit';
import { getDb } from '../runtime/db';
import { activeMember } from './member-page';

export const MAX_TAGS = 10;

export const tagsInput = z
  .array(
    z
      .string({ error: '标签须为文字' })
      .trim()
      .min(1, '标签不能为空')
      .max(12, '每个标签最多 12 个字')
      .refine((t) => !/[\u0000-\u001f\u007f,，;；]/.test(t), '标签不能包含逗号、分号或不可见字符'),
    { error: '请提供标签列表' },
  )
  .max(MAX_TAGS, `每位会员最多 ${MAX_TAGS} 个标签`)
  .transform((tags) => [...new Set(tags)]);

/** Replaces the member's tags. Setting the same tags again changes nothing and records nothing. */
export async function setTags(openid: string, tags: string[], actor: string, now: Date): Promise<{ tags: string[] }> {
  const member = await activeMember(openid);
  const before = member.tags ?? [];
  if (before.length === tags.length && before.every((t, i) => t === tags[i])) return { tags };
  await getDb().collection(COLLECTIONS.members).doc(openid).update({ data: { tags, updatedAt: now } });
  await audit({ actor, action: 'member.tags.set', target: `${COLLECTIONS.members}/${openid}`, before, after: tags }, now);
  return { tags };
}
