/**
 * The name an erased member keeps in the invite records: a keyed one-way pseudonym of their openid
 * (members/crypto.ts's keyed hash, under its own purpose). Nobody can turn it back into the openid or
 * test guesses against it without the key, yet the growth timer can still recognise the same WeChat
 * user when they come back (it computes the pseudonym of every invitee and chain node it compares),
 * so the first-inviter, loop and cap rules hold across a deletion.
 */
import { keyedHash } from '../../members/crypto';

const PREFIX = 'erased_';

/** 34 characters of [A-Za-z0-9_-]: valid wherever an openid is (coupon holders, request keys, ids). */
export const erasedId = (openid: string): string => `${PREFIX}${keyedHash('invite-erased-openid', openid, 27)}`;

export const isErasedId = (id: string): boolean => id.startsWith(PREFIX);

/** The ids an invite record or chain node of `openid` may be stored under: the live one first. */
export const bothIds = (openid: string): string[] => (isErasedId(openid) ? [openid] : [openid, erasedId(openid)]);
