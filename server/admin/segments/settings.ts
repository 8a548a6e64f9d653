/** The merchant's segment rules, kept in `settings/segmentRules` with a version the recompute follows. */
import { COLLECTIONS } from '../../../database/collections';
import type { SegmentRules } from '../../../typings';
import { audit } from '../../runtime/audit';
import { getById, getDb } from '../../runtime/db';
import { DEFAULT_SEGMENT_RULES, SEGMENT_RULES_ID } from './rules';

export interface SegmentRulesDoc extends SegmentRules {
  _id: typeof SEGMENT_RULES_ID;
  /** Bumped by every save: a recompute made with an older version starts over. */
  version: number;
  updatedAt: Date;
  updatedBy: string;
  /** The save that wrote it: its retry changes nothing. */
  requestId: string;
}

export interface LoadedRules {
  rules: SegmentRules;
  /** 0 for the defaults (never saved). */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const rulesOf = (d: SegmentRules): SegmentRules => ({ heavy: { ...d.heavy }, buyer: { ...d.buyer }, potential: { ...d.potential }, activeDays: d.activeDays });

const loaded = (doc: SegmentRulesDoc | null): LoadedRules =>
  doc
    ? { rules: rulesOf(doc), version: doc.version, updatedAt: doc.updatedAt, updatedBy: doc.updatedBy }
    : { rules: rulesOf(DEFAULT_SEGMENT_RULES), version: 0, updatedAt: null, updatedBy: null };

export async function loadSegmentRules(): Promise<LoadedRules> {
  return loaded(await getById<SegmentRulesDoc>(COLLECTIONS.settings, SEGMENT_RULES_ID));
}

/** Saves the rules (every save bumps the version, so the timer recomputes) and records who changed what. */
export async function saveSegmentRules(rules: SegmentRules, actor: string, requestId: string, now: Date): Promise<LoadedRules> {
  const stored = await getById<SegmentRulesDoc>(COLLECTIONS.settings, SEGMENT_RULES_ID);
  if (stored?.requestId === requestId) return loaded(stored);
  const before = loaded(stored);
  const doc: Omit<SegmentRulesDoc, '_id'> = { ...rulesOf(rules), version: before.version + 1, updatedAt: now, updatedBy: actor, requestId };
  await getDb().collection(COLLECTIONS.settings).doc(SEGMENT_RULES_ID).set({ data: doc as unknown as Record<string, unknown> });
  await audit({ actor, action: 'segment.rules.set', target: `${COLLECTIONS.settings}/${SEGMENT_RULES_ID}`, before: before.rules, after: rulesOf(rules) }, now);
  return { rules: rulesOf(rules), version: doc.version, updatedAt: now, updatedBy: actor };
}
