// Which edu-groups a Дневник.ру read asks for, and — for a read of an earlier school year — which of their final marks
// are that year's. `schools/{id}/edu-groups` lists the current year's groups only, and no public source shows it taking
// a year (platforms.md §3.3). Last year's groups are found instead by the ids the gateway linked last year
// (ReadScope.yearLinks, src/sync/year-links.ts) and read one by one with `edu-groups/{id}` [V route].
// [U] that a group of a closed year still answers `edu-groups/{id}`, `…/reporting-periods`, `…/final-marks` and — for a
// one-off read of that year's journal (src/sync/past-year-window.ts) — its lessons, marks and log entries with that
// year's data (docs/platforms/dnevnik.md "Last year's final marks", "Last year's journal"). This file is the one seam for it: if the
// platform turns out to list past years (a year parameter, `persons/{p}/edu-groups/all`), only `groupsOfScope` changes.
import type { ReadScope } from '../contract.js';
import { addDays, localDayOf, schoolYearOfDate, schoolYearOfSpan } from '../../model/dates.js';
import type { Period } from './class-periods.js';
import { NothingOfYearToAskError } from '../past-year-errors.js';
import { failOnRefusal, type UnreadGroups } from './unread-groups.js';

export type EduGroup = { id_str: string; type: string; name: string; parallel?: number; parentIds_str?: string[]; subjects?: { id_str: string }[] };
type Get = <T>(route: string, pathParams: Record<string, string>) => Promise<T>;

/** The group of a class id or a section id (`{group}:{subject}`, a subgroup's journal page being its own group). */
const groupIdsOf = (classes: readonly string[], sections: readonly string[]) =>
  [...new Set([...classes, ...sections.map((s) => s.split(':')[0])])].filter((id) => /^\d+$/.test(id));

/**
 * The groups to read: the school's current list, or for a read about the scope's year only (`scopeYearOnly`) the
 * groups of that year's linked classes and sections, but none the platform kept into a later year (keptGroupsNotRead).
 * Section ids are `{group}:{subject}` (a subgroup's journal page is its own group). A group the platform refuses (a
 * plain 403 or 404: archived, access withdrawn) is, given `unread` (a finals-only read), left out and kept there
 * (unread-groups.ts), every one refused failing the read; without it (a journal read) its refusal fails the read
 * (failOnRefusal). When every group of that year the store knows was kept, none is left to ask: the read fails rather
 * than read nothing and count as done.
 */
export async function groupsOfScope(scope: ReadScope, school: string, get: Get, unread?: UnreadGroups): Promise<EduGroup[]> {
  if (!scope.scopeYearOnly) return get<EduGroup[]>('schools/{id}/edu-groups', { id: school });
  const links = scope.yearLinks;
  if (!links) return []; // no year's links given: nothing of that year is known to ask for
  const kept = new Set(keptGroupsNotRead(scope));
  const ids = groupIdsOf(links.homeroom_class, links.section).filter((id) => !kept.has(id));
  if (ids.length === 0 && kept.size > 0) {
    const some = [...kept].slice(0, 10).join(', ');
    throw new NothingOfYearToAskError(`dnevnik: every edu-group of the year asked for (${kept.size}: ${some}${kept.size > 10 ? ', …' : ''}) kept its id into a later school year, where the gateway links it now; none answers as that year's, so nothing of that year was read (docs/platforms/dnevnik.md "Last year's journal")`);
  }
  const out: EduGroup[] = [];
  for (const id of ids) {
    const ask = () => get<EduGroup>('edu-groups/{id}', { id });
    const g = unread ? await unread.ask(id, ask) : await failOnRefusal(id, 'edu-groups/{id}', ask);
    if (g) out.push(g);
  }
  unread?.assertSomeRead();
  return out;
}

/**
 * That year's groups whose ids the platform kept into a later year (`YearLinks.keptLater`): a kept class's group, or a
 * kept section's. Not asked for, even where another link of that year still names the group (a journal page of a
 * subject the class no longer has, its link left open): the platform answers a kept id as the later year's group — as
 * the emulator does; [U] whether the real platform still serves an earlier year's days under it — so its pages would
 * be that year's, or nothing, and the read would count the group read. Each is said instead: one quarantined page by
 * id (unread-group.ts), never left out quietly.
 */
export function keptGroupsNotRead(scope: Pick<ReadScope, 'scopeYearOnly' | 'yearLinks'>): string[] {
  const kept = scope.scopeYearOnly ? scope.yearLinks?.keptLater : undefined;
  return kept ? groupIdsOf(kept.homeroom_class, kept.section) : [];
}

/**
 * Whether a reporting period is of the scope's school year: by its middle day (model/dates.ts schoolYearOfSpan), its
 * days taken in the school's zone (localDayOf). Before, a period was the year's only if its first and last day lay
 * inside the scope's days, read as the first ten characters of the stamps: a Year period opened on 30 August, or one
 * sent as a UTC instant (`2025-08-31T20:00:00Z`, 1 September in Samara), was taken for another year's, and its final
 * marks — the year marks this read is for — were left out.
 */
export function ofScopeYear(p: Period, scope: { from: string; to: string }, timeZone: string): boolean {
  return schoolYearOfSpan(localDayOf(p.start, timeZone), localDayOf(p.finish ?? p.start, timeZone)) === schoolYearOfDate(scope.from);
}

/**
 * The final-marks page without the entries of a period of another school year than the scope's (ofScopeYear). A read
 * of the scope's year only must not take another year's marks for it: a group id the platform kept into the new year
 * (other-year-ids.ts) answers the new year's periods, whose marks are not last year's. An entry naming no period the
 * list holds stays, for the mapper to quarantine with its reason; a page that is no list is handed on as it came.
 */
export function finalsOfScopeYear(entries: unknown, periods: readonly Period[], scope: { from: string; to: string }, timeZone: string): unknown {
  if (!Array.isArray(entries)) return entries;
  const outside = new Set(periods.filter((p) => !ofScopeYear(p, scope, timeZone)).map((p) => p.id_str));
  return entries.filter((e) => !outside.has((e as { reportingPeriod_str?: unknown })?.reportingPeriod_str as string));
}

/** Days of the lessons page read before a past year's final marks: the longest range the connectors ask for. */
const LAST_LESSONS_DAYS = 30;

/**
 * The days of the group's last lessons of the scope's year: the month up to the end of its last term in the scope (a
 * `Year` period ends in August on some schools, after the lessons). A final mark has no author; a read of the year
 * took the subject's scheduled teacher from the lessons it read (docs/platforms/dnevnik.md "Who recorded a mark"), so
 * the re-read must learn them the same way — else every final mark of last year would change author to the reader.
 */
export function lastLessonsRange(periods: readonly Period[], scope: { from: string; to: string }, timeZone: string): [string, string] | undefined {
  const ends = (types: (t: string) => boolean) => periods
    .filter((p) => types(p.type) && ofScopeYear(p, scope, timeZone))
    .map((p) => localDayOf(p.finish ?? p.start, timeZone)).sort();
  const last = ends((t) => t !== 'Year').at(-1) ?? ends(() => true).at(-1);
  if (!last) return undefined;
  const to = last > scope.to ? scope.to : last;
  const from = addDays(to, -LAST_LESSONS_DAYS);
  return [from < scope.from ? scope.from : from, to];
}
