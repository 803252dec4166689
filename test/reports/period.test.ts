// `--period`: sessions by id or title, months, and the 7 days ending on a day.
import { describe, expect, it } from 'vitest';
import type { AcademicSessionRecord } from '../../src/model/index.js';
import { lastDayOfMonth, monthsOf, resolvePeriod } from '../../src/reports/period.js';

const session = (id: string, title: string, startDate: string, endDate: string, kind = 'quarter') =>
  ({ id, title, startDate, endDate, kind }) as AcademicSessionRecord;
const sessions = [
  session('q1-2025', '1 четверть', '2025-09-01', '2025-10-24'),
  session('q1-2026', '1 четверть', '2026-09-01', '2026-10-23'),
  session('h2', '2 полугодие', '2026-01-12', '2026-05-26', 'half_year'),
];
const all = ['session', 'month', 'week'] as const;

describe('report periods', () => {
  it('a month runs from its first to its last day, leap years included', () => {
    expect(resolvePeriod('2024-02', [], all, 'attendance')).toEqual({ kind: 'month', title: 'февраль 2024', from: '2024-02-01', to: '2024-02-29' });
    expect(lastDayOfMonth('2025-12')).toBe('2025-12-31');
  });

  it('a day means the 7 days ending that day, across a month boundary', () => {
    expect(resolvePeriod('2025-10-02', [], all, 'family-printout')).toMatchObject({ kind: 'week', from: '2025-09-26', to: '2025-10-02' });
  });

  it('months of a period cross the new year in order', () => {
    expect(monthsOf('2025-11-03', '2026-02-10')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('a session by title ignores case and spacing; a title two years share asks for the id', () => {
    expect(resolvePeriod('  2   ПОЛУГОДИЕ ', sessions, all, 'progress')).toMatchObject({ sessionId: 'h2', sessionKind: 'half_year', from: '2026-01-12' });
    expect(() => resolvePeriod('1 четверть', sessions, all, 'progress')).toThrow('--period "1 четверть" names 2 sessions (q1-2025 2025-09-01, q1-2026 2026-09-01); give the id');
    expect(resolvePeriod('q1-2026', sessions, all, 'progress')).toMatchObject({ sessionId: 'q1-2026', to: '2026-10-23' });
  });

  it('a form the report does not take is refused with the forms it takes', () => {
    expect(() => resolvePeriod('2 полугодие', sessions, ['month'], 'attendance'))
      .toThrow('report attendance does not take a session period ("2 полугодие"); it takes a month YYYY-MM');
    expect(() => resolvePeriod('2025-10-10', sessions, ['session', 'month'], 'progress')).toThrow(/does not take a week period/);
  });
});
