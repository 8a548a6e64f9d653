/** The segments page: the rules, the counts of the last recompute, tags in use, and a recompute under way. */
import type { SegmentsView } from '../../../typings';
import { iso } from '../../members/model';
import { readSnapshot } from '../state';
import { passProgress } from './pass';
import { ruleSentences, SEGMENT_KEYS, SEGMENT_NAMES } from './rules';
import { loadSegmentRules } from './settings';

export async function segmentsOverview(): Promise<SegmentsView> {
  const [loaded, snapshot, progress] = await Promise.all([loadSegmentRules(), readSnapshot(), passProgress()]);
  const figures = snapshot?.members ?? null;
  const sentences = ruleSentences(loaded.rules);
  const staffName = (openid: string | null) => (openid ? (snapshot?.staff.find((s) => s.id === openid)?.name ?? openid) : null);
  return {
    rules: loaded.rules,
    rulesUpdatedAt: loaded.updatedAt ? iso(loaded.updatedAt) : null,
    rulesUpdatedBy: staffName(loaded.updatedBy),
    computedAt: figures ? iso(figures.computedAt) : null,
    members: figures?.members ?? 0,
    counts: SEGMENT_KEYS.map((key) => ({ key, label: SEGMENT_NAMES[key], count: figures?.segments[key] ?? 0, rule: sentences[key] })),
    tags: figures?.tags ?? [],
    recompute: {
      running: progress.running,
      processed: progress.processed,
      startedAt: progress.startedAt ? iso(progress.startedAt) : null,
      // The counts shown were made with older rules (or none yet) than the ones saved.
      rulesPending: loaded.version > 0 && figures?.rulesVersion !== loaded.version,
    },
  };
}
