// Which ЭПОС academic year a read is about, when the platform lists the year just ended and the new one (1 September).
import { describe, expect, it } from 'vitest';
import { yearOfScope } from '../../src/connectors/epos/school-year.js';

const ended = { id: 12, name: '2025/2026', begin_date: '2025-09-01', end_date: '2026-08-31', current_year: false };
const current = { id: 13, name: '2026/2027', begin_date: '2026-09-01', end_date: '2027-08-31', current_year: true };

describe('ЭПОС: the academic year of a read', () => {
  it('is the new year on 5 September, though a two-week roster window starts in August', () => {
    expect(yearOfScope([ended, current], { from: '2026-08-22', to: '2026-09-05' })?.id).toBe(13);
  });
  it('is the year ended for a window wholly inside it (a late correction, a migration of last year)', () => {
    expect(yearOfScope([ended, current], { from: '2026-05-01', to: '2026-05-26' })?.id).toBe(12);
  });
  it('is the platform\'s current year for a window in no year it lists, else its last', () => {
    expect(yearOfScope([current, ended], { from: '2024-05-01', to: '2024-05-02' })?.id).toBe(13);
    expect(yearOfScope([{ ...ended }, { ...current, current_year: false }], { from: '2024-05-01', to: '2024-05-02' })?.id).toBe(13);
    expect(yearOfScope([], { from: '2026-09-01', to: '2026-09-02' })).toBeUndefined();
  });
  it('asked for the scope\'s own year alone (the autumn read of last year\'s final marks): that year, or none — never the current one', () => {
    const lastYear = { from: '2025-09-01', to: '2026-08-31', scopeYearOnly: true };
    expect(yearOfScope([ended, current], lastYear)?.id).toBe(12);
    // A platform that ends its year in May still holds the scope's first day.
    expect(yearOfScope([{ ...ended, end_date: '2026-05-31' }, current], lastYear)?.id).toBe(12);
    expect(yearOfScope([current], lastYear)).toBeUndefined();
    // A new year that begins before 1 September holds the scope's last day, not its first: still last year's.
    expect(yearOfScope([{ ...current, begin_date: '2026-08-25' }, ended], lastYear)?.id).toBe(12);
  });
});
