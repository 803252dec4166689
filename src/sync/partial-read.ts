// Whether a read is a whole snapshot of what it asked for, so that a record it lacks was deleted on the platform —
// the one question the system of record's journal deletes (journal-sync.ts) and a push target's "deleted here by
// hand" (target-deletes.ts) both ask before they take anything missing as gone.
import type { RouteDeclaration } from '../connectors/contract.js';
import type { MappedBatch } from '../connectors/mapping.js';
import { HeldCells } from './held-cells.js';

export interface ReadCompleteness {
  /** Why the read is partial for its marks and absences; undefined when it is whole but for `held`. */
  partial?: string;
  /** The cells (pupil × lesson, a pupil, a lesson) whose marks and absences a line could not map: not judged. */
  held: HeldCells;
}

/**
 * How whole the mapped read is for its marks and absences. A line of a journal route that names the cell it may hide
 * (a mark failing its check: its pupil and lesson) holds that cell only — before, one mark failing every night refused
 * every journal delete of its school. A journal route's line naming no cell (a page that could not be read, a record
 * without its ids), or a page the connector knows may lack records the platform still has (a paged list that changed
 * between two of its page requests: connectors/paged-list.ts), makes the read partial.
 *
 * A line on a route the connector declares for another capability (final marks, the roster, a group the platform
 * refused — Дневник.ру's last-year groups, every autumn night) hides no mark or absence: without it a mark's pupil
 * or column is still read, or its own line comes on the journal route. A line of a route the connector does not
 * declare counts as one of a journal route.
 */
export function readCompleteness(mapped: readonly MappedBatch[], routes: readonly RouteDeclaration[]): ReadCompleteness {
  const elsewhere = new Set(routes.filter((r) => r.capability !== 'journal.read').map((r) => r.name));
  const held = new HeldCells();
  let unplaced = false;
  for (const m of mapped) {
    for (const q of m.quarantine) {
      if (elsewhere.has(q.route) || q.holds === 'none') continue;
      if (!held.add(q.holds)) unplaced = true;
      // The line's own platform id too: the record it stands for is held wherever its cell is now.
      else if (q.sourceId !== undefined) held.sourceIds.add(q.sourceId);
    }
  }
  if (unplaced) return { partial: 'a page or record could not be mapped', held };
  const partial = mapped.find((m) => m.context.partial)?.context.partial;
  return partial ? { partial, held } : { held };
}
