/**
 * Invite tokens: the same 30 characters work in the share path (`?invite=`) and as the scene of the
 * poster's mini program code (at most 32 characters), and never show an openid.
 *
 *   [iv][code 10][campaign 6][mac 12]   = 30 base62 characters, fixed width
 *
 * - `iv` tells an invite from a card scene (those are 32 characters) on the entry page.
 * - code: the inviter's invite code, a keyed hash of their openid (10 base62 characters, about 59
 *   bits); `inviteCodes/<code>` maps it back. Being a keyed hash it cannot be computed for someone
 *   else, and a collision (not expected below billions of members) moves to the next attempt.
 * - campaign: the invite campaign the link was shared under, `000000` without one.
 * - mac: HMAC over everything before it, checked without a database read, so forged or guessed
 *   tokens cost nothing and reveal nothing.
 */
import { sign, verify } from '../../runtime/signing';

const CODE_PURPOSE = 'invite-code-v1';
const TOKEN_PURPOSE = 'invite-token-v1';
const PREFIX = 'iv';
const CODE_LEN = 10;
const CAMPAIGN_LEN = 6;
const MAC_LEN = 12;
export const TOKEN_LENGTH = PREFIX.length + CODE_LEN + CAMPAIGN_LEN + MAC_LEN;
export const NO_CAMPAIGN = '000000';

export const CAMPAIGN_ID_PATTERN = /^[0-9a-z]{6}$/;
const TOKEN_PATTERN = new RegExp(`^${PREFIX}([0-9A-Za-z]{${CODE_LEN}})([0-9a-z]{${CAMPAIGN_LEN}})([0-9A-Za-z]{${MAC_LEN}})$`);

/** The invite code of `openid`; `attempt` > 0 only after a collision with another member's code. */
export const inviteCodeOf = (openid: string, attempt = 0): string => sign(CODE_PURPOSE, attempt ? `${openid}#${attempt}` : openid, CODE_LEN);

export function inviteToken(code: string, campaignId: string | null): string {
  const body = `${PREFIX}${code}${campaignId ?? NO_CAMPAIGN}`;
  return body + sign(TOKEN_PURPOSE, body, MAC_LEN);
}

export interface TokenFacts {
  code: string;
  /** Null: shared while no campaign ran. */
  campaignId: string | null;
}

/** The token's code and campaign when it is one of ours; null when forged, damaged or not a token. */
export function parseInviteToken(token: string): TokenFacts | null {
  const m = TOKEN_PATTERN.exec(token);
  if (!m || !verify(TOKEN_PURPOSE, token.slice(0, -MAC_LEN), m[3])) return null;
  return { code: m[1], campaignId: m[2] === NO_CAMPAIGN ? null : m[2] };
}

export const sharePathOf = (token: string): string => `/pages/entry/index?invite=${token}`;
/** The page the poster's code opens; the token is its scene. */
export const POSTER_PAGE = 'pages/entry/index';
