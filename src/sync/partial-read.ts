// Whether a read is a whole snapshot of what it asked for, so that a record it lacks was deleted on the platform —
// the one question the system of record's journal deletes (journal-sync.ts) and a push target's "deleted here by
// hand" (target-deletes.ts) both ask before they take anything missing as gone.
import type { RouteDeclaration } from '../connectors/contract.js';
import type { MappedBatch } from '../connectors/mapping.js';

/**
 * Why the mapped read is partial for its marks and absences, or undefined when it is whole: a page or record of a
 * journal route could not be mapped, or the connector knows a page may lack records the platform still has (a paged
 * list that changed between two of its page requests: connectors/paged-list.ts).
 *
 * A line on a route the connector declares for another capability (final marks, the roster, a group the platform
 * refused — Дневник.ру's last-year groups, every autumn night) hides no mark or absence: without it a mark's pupil
 * or column is still read, or its own line comes on the journal route. Such lines used to refuse the run's deletes
 * too, so one final mark failing its check every night kept every deleted mark in the store and on the targets.
 * A line of a route the connector does not declare refuses, as one of a journal route does.
 */
export function partialReadReason(mapped: readonly MappedBatch[], routes: readonly RouteDeclaration[]): string | undefined {
  const elsewhere = new Set(routes.filter((r) => r.capability !== 'journal.read').map((r) => r.name));
  if (mapped.some((m) => m.quarantine.some((q) => !elsewhere.has(q.route)))) return 'a page or record could not be mapped';
  return mapped.find((m) => m.context.partial)?.context.partial;
}
