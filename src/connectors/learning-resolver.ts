// Shared by every connector whose event records name their lesson only by platform id (Дневник.ру marks, ЭлЖур marks).
// Marks and log entries name their lesson only by platform id; the lesson's canonical id is natural
// (section, date, number) and known once its lesson page was mapped. The sync engine records that in the
// crosswalk; this resolver does the same in memory for a read run: a base lookup (the crosswalk of
// long-lived records) plus what the run has mapped so far.
import type { IdResolver } from './mapping.js';
import type { CanonicalRecord } from '../model/records.js';

export interface LearningResolver {
  resolve: IdResolver;
  /** Remembers (entity, platform id) → canonical id of mapped lessons. */
  learn(records: readonly CanonicalRecord[]): void;
}

/** `system`: whose lesson source refs to learn (the platform being read). */
export function createLearningResolver(base?: IdResolver, system = 'dnevnik_ru'): LearningResolver {
  const learned = new Map<string, string>(); // lesson platform id → canonical id
  return {
    resolve: (entity, sourceId) => base?.(entity, sourceId) ?? (entity === 'lesson' ? learned.get(sourceId) : undefined),
    learn(records) {
      for (const r of records) {
        if (r.entity !== 'lesson') continue;
        for (const ref of r.sourceRefs) if (ref.system === system && ref.kind === 'lesson') learned.set(ref.sourceId, r.id);
      }
    },
  };
}
