/**
 * Members who joined since the admin timer last looked: their phone's last four digits go to the
 * indexed `phoneLast4` (staff search by phone suffix), and they get a first segment so a new member
 * is not unplaced until the next daily recompute.
 *
 * Why here and not at sign-up: joining is another area's hot path (four billable operations), and
 * the last four digits are already in `phoneMasked` (138****8000). A member not reached yet is
 * still found: the search reads `phoneLast4: null` members too and matches their masked number
 * (search.ts), and `phoneLast4: null` is exactly the indexed set this step works through.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../runtime/db';
import { factsOf, type PassMember, writeSegments } from './segments/pass';
import { classify, isSegmentKey, withSegments } from './segments/rules';
import { loadSegmentRules } from './segments/settings';

const PAGE = 200;

/** The last four digits of a masked number (138****8000 → 8000), '' when there are none. */
export const last4Of = (phoneMasked: string | null | undefined): string => /(\d{4})$/.exec(phoneMasked ?? '')?.[1] ?? '';

export async function settleNewMembers(now: Date, deadline: number): Promise<{ members: number }> {
  const db = getDb();
  let members = 0;
  let rules: Awaited<ReturnType<typeof loadSegmentRules>>['rules'] | null = null;
  for (let page = 0; page === 0 || performance.now() < deadline; page++) {
    const res = await db
      .collection(COLLECTIONS.members)
      .where({ phoneLast4: null })
      .limit(PAGE)
      .field({ phoneMasked: true, status: true, joinedAt: true, stats: true, segments: true, tags: true })
      .get();
    const docs = res.data as (PassMember & { phoneMasked?: string })[];
    if (docs.length && !rules) rules = (await loadSegmentRules()).rules;
    for (const m of docs) {
      const phoneLast4 = last4Of(m.phoneMasked);
      const segments = m.segments ?? [];
      let written = false;
      if (m.status === 'active' && rules && !segments.some(isSegmentKey)) {
        const placed = classify(rules, factsOf(m, new Date(m.joinedAt), null), now);
        written = await writeSegments(m._id, segments, withSegments(segments, placed.segments), { phoneLast4 });
      }
      if (!written) await db.collection(COLLECTIONS.members).doc(m._id).update({ data: { phoneLast4 } });
      members += 1;
    }
    if (docs.length < PAGE) break;
  }
  return { members };
}
