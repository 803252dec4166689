// Whether a read is a whole snapshot of what it asked for, so that a record it lacks was deleted on the platform —
// the one question the system of record's journal deletes (journal-sync.ts) and a push target's "deleted here by
// hand" (target-deletes.ts) both ask before they take anything missing as gone.
import type { MappedBatch } from '../connectors/mapping.js';

/**
 * Why the mapped read is partial, or undefined when it is whole: a page or record could not be mapped, or the
 * connector knows a page may lack records the platform still has (a paged list that changed between two of its page
 * requests: connectors/paged-list.ts).
 */
export function partialReadReason(mapped: readonly MappedBatch[]): string | undefined {
  if (mapped.some((m) => m.quarantine.length > 0)) return 'a page or record could not be mapped';
  return mapped.find((m) => m.context.partial)?.context.partial;
}
