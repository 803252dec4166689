// The school year of a Дневник.ру school, which classes, sections and subjects hang off. platforms.md §3.3 lists the
// reporting period types Quarter, Semester, Trimester, HalfYear and Module; a `Year` period is what the emulator adds
// ([U]). With one, it is the year; without, the year is the span of the periods, under a source id of the gateway's own
// (`year:<year>`, as a section's is `{group}:{subject}`). Before, a school without a Year period had no classes,
// sections, subjects or enrollments at all.

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

export function schoolYearOfPeriods(periods: readonly PeriodLike[]): SchoolYearOfPeriods | undefined {
  const year = periods.find((p) => p.type === 'Year');
  const endOf = (p: PeriodLike) => (p.finish ?? p.start).slice(0, 10);
  if (year) return { sourceId: year.id_str, start: year.start.slice(0, 10), end: endOf(year), year: year.year, fromPlatform: true };
  if (periods.length === 0) return undefined;
  const latest = Math.max(...periods.map((p) => p.year));
  const ofYear = periods.filter((p) => p.year === latest);
  return {
    sourceId: `year:${latest}`, year: latest, fromPlatform: false,
    start: ofYear.map((p) => p.start.slice(0, 10)).sort()[0], end: ofYear.map(endOf).sort().at(-1)!,
  };
}
