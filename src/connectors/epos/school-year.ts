// Which of `core/api/academic_years` a read is about. A nightly roster window starts two weeks back, so in the first days
// of September it begins in the year that has just ended: taken by its first day, the read kept reading last year's
// groups and pupils — the new year's classes and 1st-graders were missing for two weeks (found by an audit). The year
// holding the window's last day is the one the read is about; then the one holding its first day (a window wholly in
// a year the platform no longer lists), then the platform's current year.
import type { AcademicYear } from './schemas.js';

// A read that must be about the scope's own year (`ReadScope.scopeYearOnly`: the autumn re-read of last year's final
// marks) takes no fallback: the current year's marks read in its stead would be reported as last year's. It is the
// year holding the scope's first day: the scope ends on 31 August, which a platform starting its new year in late
// August (`begin_date` 2026-08-25) already counts to the new one.
export function yearOfScope(years: readonly AcademicYear[], scope: { from: string; to: string; scopeYearOnly?: boolean }): AcademicYear | undefined {
  const holding = (day: string) => years.find((y) => y.begin_date <= day && day <= y.end_date);
  if (scope.scopeYearOnly) return holding(scope.from);
  return holding(scope.to) ?? holding(scope.from) ?? years.find((y) => y.current_year) ?? years.at(-1);
}
