// A migration's window judged against the source's and the target's current school year (past-year-window.ts;
// docs/migration.md "A window before the current school year"). Before, `migrate --since` before that year's first day
// read the source through its current year's groups: those days migrated nothing (or the wrong days), the target read
// back the same, and the reconciliation said "nothing lost". Now the migration is refused with the same
// PastYearWindowError (exit 64), dry run or not.
// Дневник.ру could read such a year by the ids linked then (`pastYearJournal: 'by-linked-ids'`), but a migration does
// not only read: it writes that year into the target and reads the target back (plan, drift, reconciliation) through the
// lessons the target lists now — the current year's. That year's marks would find no lesson there, so the window is
// refused on that platform too, whichever side it is.
// When it is judged: before any request (what the store knows), then after each side's roster read, which tells a store
// that never read that platform which year is current. Both rosters are read before either journal (migrate.ts), so a
// window refused on the target only is refused before the source's journal is read. Before, the target's roster came
// after the whole source journal: the operator waited for that read, and the store kept it, for a refused migration.
// ЭлЖур as the target (migrate-by-package.ts) has its roster read but not stored: its terms are judged as that read
// lists them (`JudgedSide.terms`), also before the source's journal. Before, a store that never read ЭлЖур never judged
// the window against ЭлЖур's year, and the package was written.
import type { Connector } from '../connectors/contract.js';
import type { Store } from '../store/index.js';
import { yearLabel } from './journal-year-links.js';
import { PastYearWindowError, planPastYearWindow, type LinkedTerm } from './past-year-window.js';
import type { RunIdentity } from './reference-resolver.js';

export interface JudgedSide {
  connector: Pick<Connector, 'declaration'>;
  run: Pick<RunIdentity, 'system' | 'instance'>;
  /** The side's terms as a roster read just listed them, where that read is not stored (ЭлЖур as a package's target). */
  terms?: readonly LinkedTerm[];
}

/**
 * Throws {@link PastYearWindowError} when `window` starts before the current school year of any of `sides` (as the store
 * knows it, or as a side's `terms` say). Makes no request: called before any, and again after each side's roster read,
 * which is what tells a store that never read the platform which year is current.
 */
export async function judgeMigrationWindow(store: Store, organizationId: string, sides: readonly JudgedSide[], window: { from: string; to: string }, target: string): Promise<void> {
  for (const side of sides) {
    const plan = await planPastYearWindow(store, side.run, organizationId, side.connector.declaration, window, side.terms);
    if (plan.kind === 'as-before') continue;
    const year = plan.current;
    throw new PastYearWindowError(side.run.instance, window, year,
      `${side.connector.declaration.title} could read ${yearLabel(plan.schoolYear)} by the ids linked then, but a migration writes it into ${target} and reads ${target} back through the lessons it lists now (the current year's): that year's marks would find no lesson there; ask for a window from ${year.firstDay}`);
  }
}
