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
  | { kind: 'by-linked-ids'; schoolYear: number; yearLinks: YearLinks; current: CurrentYear };

/** A term linked to the platform instance: its school year and days, as `academic_session` holds them. */
export type LinkedTerm = { schoolYear: number; startDate: string; endDate: string };

/** The terms of the organization linked to `run`'s instance, none deleted. */
async function linkedTerms(store: Pick<Store, 'ofOrganization' | 'sourceIdsFor'>, run: Pick<RunIdentity, 'system' | 'instance'>, organizationId: string): Promise<LinkedTerm[]> {
  const sessions = (await store.ofOrganization(organizationId, ['academic_session'])).flatMap((r) => (r.entity === 'academic_session' && r.status !== 'deleted' ? [r] : []));
  if (sessions.length === 0) return [];
  const linked = await store.sourceIdsFor(run.system, run.instance, 'academic_session', sessions.map((s) => s.id));
  return sessions.filter((s) => linked.has(s.id));
}

/**
 * The first day of `schoolYear` on this instance: the earliest start of its linked terms (a school starting in August),
 * but no later than 1 September. A first term starting after 1 September (on a Monday, say) does not make the days
 * before it last year's: they are the year's by the calendar (schoolYearOfDate).
 */
function firstDayOf(terms: readonly LinkedTerm[], schoolYear: number): string {
  const firstTerm = terms.filter((t) => t.schoolYear === schoolYear).map((t) => t.startDate).sort()[0];
  const september = `${schoolYear - 1}-09-01`;
  return firstTerm !== undefined && firstTerm < september ? firstTerm : september;
}

/**
 * The school year of a day: that of a linked term whose days hold it — so 25–31 August of a school that started its
 * year then are that year's, not the one before — else by the calendar (schoolYearOfDate).
 */
function schoolYearOfDay(terms: readonly LinkedTerm[], day: string): number {
  return terms.find((t) => t.startDate <= day && day <= t.endDate)?.schoolYear ?? schoolYearOfDate(day);
}

/** The current school year of `run`'s instance as its linked terms say, or undefined when none is linked. */
export async function currentSchoolYear(store: Pick<Store, 'ofOrganization' | 'sourceIdsFor'>, run: Pick<RunIdentity, 'system' | 'instance'>, organizationId: string): Promise<CurrentYear | undefined> {
  return currentOf(await linkedTerms(store, run, organizationId));
}

function currentOf(terms: readonly LinkedTerm[]): CurrentYear | undefined {
  if (terms.length === 0) return undefined;
  const schoolYear = Math.max(...terms.map((t) => t.schoolYear));
  return { schoolYear, firstDay: firstDayOf(terms, schoolYear) };
}

/**
 * Judges a one-off window for one platform instance; throws {@link PastYearWindowError} where it cannot be read. Makes
 * no request to the platform: only the store is asked — or, given `readTerms`, the instance's terms as a roster read
 * just listed them, where that read is not stored (a migration's ЭлЖур target, migrate-by-package.ts).
 */
export async function planPastYearWindow(
  store: Store, run: Pick<RunIdentity, 'system' | 'instance'>, organizationId: string,
  declaration: Pick<ConnectorDeclaration, 'platform' | 'title' | 'pastYearJournal'>, window: { from: string; to: string },
  readTerms?: readonly LinkedTerm[],
): Promise<PastYearPlan> {
  const terms = readTerms ?? await linkedTerms(store, run, organizationId);
  const year = currentOf(terms);
  if (!year || window.from >= year.firstDay) return { kind: 'as-before' };
  const where = `docs/platforms/${declaration.platform}.md`;
  if (declaration.pastYearJournal !== 'by-linked-ids') {
    throw new PastYearWindowError(run.instance, window, year, `${declaration.title} reads its journal through the current year's groups only (${where}); ask for a window from ${year.firstDay}`);
  }
  // One earlier year per read: its groups are asked for by id, and a day of another year would be read under them.
  // Its year is the linked terms' (an August start is that year's, as for the current year), and so is its last day:
  // the day before the next year's first day. Before, both went by the calendar (1 September): a year whose terms
  // started on 25 August was taken for two, and its last August days were read under the year before's ids.
  const schoolYear = schoolYearOfDay(terms, window.from);
  if (window.to >= year.firstDay) {
    throw new PastYearWindowError(run.instance, window, year, `an earlier year is read on its own, by the ids linked then: ask for ${window.from}…${addDays(year.firstDay, -1)} and ${year.firstDay}…${window.to} separately`);
  }
  const lastDay = addDays(firstDayOf(terms, schoolYear + 1), -1);
  if (window.to > lastDay) {
    throw new PastYearWindowError(run.instance, window, year, `an earlier year is read one school year at a time, by the ids linked then: end the window by ${lastDay}`);
  }
  const links = await yearLinks(store, run, organizationId, schoolYear);
  if (!links.homeroom_class.length && !links.section.length) {
    // Every id of that year kept into a later one (year-links.ts keptLater): the year was read, but no id answers as
    // that year's any more. Said so: before, this read "the gateway did not read that year from it", which was untrue.
    throw new PastYearWindowError(run.instance, window, year, links.keptLater
      ? `every class and group of ${yearLabel(schoolYear)} linked to this platform kept its id into a later school year, where the gateway links it now: none answers as ${yearLabel(schoolYear)}'s, so there are no ids to ask for (${where} "Last year's journal")`
      : `no class or group of ${yearLabel(schoolYear)} is linked to this platform: the gateway did not read that year from it, so there are no ids to ask for`);
  }
  return { kind: 'by-linked-ids', schoolYear, yearLinks: links, current: year };
}
