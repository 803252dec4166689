// A migration's window judged against the source's and the target's current school year (past-year-window.ts;
// docs/migration.md "A window before the current school year"). Before, `migrate --since` before that year's first day
// read the source through its current year's groups: those days migrated nothing (or the wrong days), the target read
// back the same, and the reconciliation said "nothing lost". Now the migration is refused with the same
// PastYearWindowError (exit 64), dry run or not.
// Дневник.ру could read such a year by the ids linked then (`pastYearJournal: 'by-linked-ids'`), but a migration does
// not only read: it writes that year into the target and reads the target back (plan, drift, reconciliation) through the
// lessons the target lists now — the current year's. That year's marks would find no lesson there, so the window is
// refused on that platform too, whichever side it is.
import type { Connector } from '../connectors/contract.js';
import type { Store } from '../store/index.js';
import { yearLabel } from './journal-year-links.js';
import { PastYearWindowError, planPastYearWindow } from './past-year-window.js';
import type { RunIdentity } from './reference-resolver.js';

export interface JudgedSide { connector: Pick<Connector, 'declaration'>; run: Pick<RunIdentity, 'system' | 'instance'> }

/**
 * Throws {@link PastYearWindowError} when `window` starts before the current school year of any of `sides` (as the store
 * knows it). Asks the store only: called before any request, and again after each side's roster read, which is what
 * tells a store that never read the platform which year is current.
 */
export async function judgeMigrationWindow(store: Store, organizationId: string, sides: readonly JudgedSide[], window: { from: string; to: string }, target: string): Promise<void> {
  for (const side of sides) {
    const plan = await planPastYearWindow(store, side.run, organizationId, side.connector.declaration, window);
    if (plan.kind === 'as-before') continue;
    const year = plan.current;
    throw new PastYearWindowError(side.run.instance, window, year,
      `${side.connector.declaration.title} could read ${yearLabel(plan.schoolYear)} by the ids linked then, but a migration writes it into ${target} and reads ${target} back through the lessons it lists now (the current year's): that year's marks would find no lesson there; ask for a window from ${year.firstDay}`);
  }
}
