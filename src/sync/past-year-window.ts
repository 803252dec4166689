// A one-off journal read (a job's window, the CLI's --from/--to) judged against the platform's current school year
// before any request (docs/sync.md "One-off reads of an earlier school year"). Most platforms read their journal
// through the groups or classes they list now — the current year's: a window into last year read nothing, or last
// year's days under this year's groups, and the snapshot deletes of that read (journal-deletes.ts) then took last
// year's stored marks and absences for deleted on the platform. Such a window is refused as a usage error (exit 64,
// a job fails without retries); a platform whose declaration says `pastYearJournal: 'by-linked-ids'` (Дневник.ру)
// reads that year by the ids the gateway linked then (year-links.ts), with no snapshot deletes.
// The current year is what the store knows of this platform instance: its linked terms. Before the new year's roster
// is read, the store knows only last year, and a window into it is read as before (nothing else says a year ended).
import type { ConnectorDeclaration, YearLinks } from '../connectors/contract.js';
import { UsageError } from '../infra/operator-errors.js';
import { addDays, schoolYearOfDate } from '../model/dates.js';
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';
import { yearLabel } from './journal-year-links.js';
import { yearLinks } from './year-links.js';

/** The latest school year of the terms linked to one platform instance, and its first day. */
export interface CurrentYear {
  /** The year a school year ends in (2027 = 2026/2027), as `academic_session.schoolYear` holds it. */
  schoolYear: number;
  /** The earliest start of that year's linked terms (a school starting in August), but no later than 1 September. */
  firstDay: string;
}

/** A window starting before the platform's current school year, on a platform that cannot read it (or not so). */
export class PastYearWindowError extends UsageError {
  constructor(readonly instance: string, readonly window: { from: string; to: string }, readonly year: CurrentYear, why: string) {
    super(`${instance}: the window ${window.from}…${window.to} starts before ${year.firstDay}, the first day of the school year ${yearLabel(year.schoolYear)} the gateway has read from this platform; ${why}. Nothing was read (docs/sync.md "One-off reads of an earlier school year")`);
    this.name = 'PastYearWindowError';
  }
}

/** What a one-off read of `window` does: read as before, or read an earlier year by its linked ids. */
export type PastYearPlan =
  | { kind: 'as-before' }
  | { kind: 'by-linked-ids'; schoolYear: number; yearLinks: YearLinks };

/** The current school year of `run`'s instance as its linked terms say, or undefined when none is linked. */
export async function currentSchoolYear(store: Pick<Store, 'ofOrganization' | 'sourceIdsFor'>, run: Pick<RunIdentity, 'system' | 'instance'>, organizationId: string): Promise<CurrentYear | undefined> {
  const sessions = (await store.ofOrganization(organizationId, ['academic_session'])).flatMap((r) => (r.entity === 'academic_session' && r.status !== 'deleted' ? [r] : []));
  if (sessions.length === 0) return undefined;
  const linked = await store.sourceIdsFor(run.system, run.instance, 'academic_session', sessions.map((s) => s.id));
  const mine = sessions.filter((s) => linked.has(s.id));
  if (mine.length === 0) return undefined;
  const schoolYear = Math.max(...mine.map((s) => s.schoolYear));
  // A first term starting after 1 September (on a Monday, say) does not make the days before it last year's: they are
  // the year's by the calendar (schoolYearOfDate), and a window from 1 September is read as before.
  const firstTerm = mine.filter((s) => s.schoolYear === schoolYear).map((s) => s.startDate).sort()[0];
  const september = `${schoolYear - 1}-09-01`;
  return { schoolYear, firstDay: firstTerm < september ? firstTerm : september };
}

/**
 * Judges a one-off window for one platform instance; throws {@link PastYearWindowError} where it cannot be read. Makes
 * no request to the platform: only the store is asked.
 */
export async function planPastYearWindow(
  store: Store, run: Pick<RunIdentity, 'system' | 'instance'>, organizationId: string,
  declaration: Pick<ConnectorDeclaration, 'platform' | 'title' | 'pastYearJournal'>, window: { from: string; to: string },
): Promise<PastYearPlan> {
  const year = await currentSchoolYear(store, run, organizationId);
  if (!year || window.from >= year.firstDay) return { kind: 'as-before' };
  const where = `docs/platforms/${declaration.platform}.md`;
  if (declaration.pastYearJournal !== 'by-linked-ids') {
    throw new PastYearWindowError(run.instance, window, year, `${declaration.title} reads its journal through the current year's groups only (${where}); ask for a window from ${year.firstDay}`);
  }
  // One earlier year per read: its groups are asked for by id, and a day of another year would be read under them.
  const schoolYear = schoolYearOfDate(window.from);
  if (window.to >= year.firstDay) {
    throw new PastYearWindowError(run.instance, window, year, `an earlier year is read on its own, by the ids linked then: ask for ${window.from}…${addDays(year.firstDay, -1)} and ${year.firstDay}…${window.to} separately`);
  }
  if (schoolYearOfDate(window.to) !== schoolYear) {
    throw new PastYearWindowError(run.instance, window, year, `an earlier year is read one school year at a time, by the ids linked then: end the window by ${schoolYear}-08-31`);
  }
  const links = await yearLinks(store, run, organizationId, schoolYear);
  if (!links.homeroom_class.length && !links.section.length) {
    throw new PastYearWindowError(run.instance, window, year, `no class or group of ${yearLabel(schoolYear)} is linked to this platform: the gateway did not read that year from it, so there are no ids to ask for`);
  }
  return { kind: 'by-linked-ids', schoolYear, yearLinks: links };
}
