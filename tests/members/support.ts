/** Shared steps of the membership stories: joining, reading raw documents, making a card batch. */
import { COLLECTIONS } from '../../database/collections';
import { getById, getDb } from '../../server/runtime/db';
import { PRIVACY_VERSION } from '../../server/members/privacy';
import type { MemberDoc } from '../../server/members/model';
import type { JoinRequest, JoinResult } from '../../typings';
import { ok, rid, type TestRuntime } from '../support/runtime';

/** What the join page sends after the customer ticks the notice and taps 「授权手机号并加入」. */
export function joinRequest(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return { phoneCode: 'dev:13912345678', privacyAccepted: true, privacyVersion: PRIVACY_VERSION, ...overrides };
}

export async function joinAs(t: TestRuntime, openid: string, overrides: Partial<JoinRequest> = {}): Promise<JoinResult> {
  return ok(await t.call(openid, 'member', 'member.join', joinRequest(overrides), rid('join')));
}

export const memberDoc = (openid: string): Promise<MemberDoc | null> => getById<MemberDoc>(COLLECTIONS.members, openid);

/** Every document of a collection, straight from the database. */
export async function allOf<T>(collection: string, where: object = {}): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const res = await getDb().collection(collection).where(where).skip(out.length).limit(1000).get();
    out.push(...(res.data as T[]));
    if (res.data.length < 1000) return out;
  }
}
