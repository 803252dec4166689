// The school year of a Дневник.ру school, which classes, sections and subjects hang off. platforms.md §3.3 lists the
// reporting period types Quarter, Semester, Trimester, HalfYear and Module; a `Year` period is what the emulator adds
// ([U]). With one, it is the year; without, the year is the span of the periods, under a source id of the gateway's own
// (`year:<year>`, as a section's is `{group}:{subject}`). Before, a school without a Year period had no classes,
// sections, subjects or enrollments at all.
import { localDayOf } from '../../model/dates.js';

export interface PeriodLike {
  id_str: string;
  type: string;
  start: string;
  finish?: string;
  year: number;
}

export interface SchoolYearOfPeriods {
  /** The Year period's id, or `year:<year>` when the platform has none. */
  sourceId: string;
  /** YYYY-MM-DD */
  start: string;
  end: string;
  year: number;
  /** Whether the platform has the year as a period of its own (else the record is derived). */
  fromPlatform: boolean;
}

/**
 * The school year of the periods. Their days are the school's (`timeZone`, model/dates.ts localDayOf): a start sent as
 * an instant (`2025-08-31T20:00:00Z`, 1 September in Samara) is not the 31 August its first ten characters say, which
 * opened the year a day early.
 */
export function schoolYearOfPeriods(periods: readonly PeriodLike[], timeZone: string): SchoolYearOfPeriods | undefined {
  const year = periods.find((p) => p.type === 'Year');
  const startOf = (p: PeriodLike) => localDayOf(p.start, timeZone);
  const endOf = (p: PeriodLike) => localDayOf(p.finish ?? p.start, timeZone);
  if (year) return { sourceId: year.id_str, start: startOf(year), end: endOf(year), year: year.year, fromPlatform: true };
  if (periods.length === 0) return undefined;
  const latest = Math.max(...periods.map((p) => p.year));
  const ofYear = periods.filter((p) => p.year === latest);
  return {
    sourceId: `year:${latest}`, year: latest, fromPlatform: false,
    start: ofYear.map(startOf).sort()[0], end: ofYear.map(endOf).sort().at(-1)!,
  };
}
