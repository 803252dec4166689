// When the nightly re-reads last school year's final marks (src/sync/last-year-finals.ts): from 1 September until the
// configured day of the re-take season, with the previous school year as the read's scope.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { LAST_YEAR_FINALS_UNTIL, lastYearFinalsScope } from '../../src/sync/last-year-finals.js';

describe('last year\'s final marks in the autumn', () => {
  const lastYear = { from: '2025-09-01', to: '2026-08-31' };

  it('from 1 September to 31 October (the default) the scope is the whole previous school year', () => {
    expect(LAST_YEAR_FINALS_UNTIL).toBe('10-31');
    for (const today of ['2026-09-01', '2026-09-15', '2026-10-01', '2026-10-31']) expect(lastYearFinalsScope(today), today).toEqual(lastYear);
  });

  it('not after the configured day, nor in the rest of the school year, nor in summer', () => {
    for (const today of ['2026-11-01', '2026-12-20', '2027-01-15', '2027-05-31', '2026-08-31', '2026-06-10']) expect(lastYearFinalsScope(today), today).toBeUndefined();
  });

  it('the end day is configurable, and inclusive', () => {
    expect(lastYearFinalsScope('2026-09-30', '09-30')).toEqual(lastYear);
    expect(lastYearFinalsScope('2026-10-01', '09-30')).toBeUndefined();
    expect(lastYearFinalsScope('2026-11-30', '12-15')).toEqual(lastYear);
  });

  it('both ends of the scope lie inside the previous school year, whatever the year', () => {
    expect(lastYearFinalsScope('2030-09-02')).toEqual({ from: '2029-09-01', to: '2030-08-31' });
    // A leap year's February changes nothing: the year ends the day before 1 September.
    expect(lastYearFinalsScope('2028-10-10')).toEqual({ from: '2027-09-01', to: '2028-08-31' });
  });

  describe('config', () => {
    const config = (settings: string) => parseConfigText(`region: { id: t, name: T }
platforms:
  - { instance: ep, platform: epos, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b } }
schools:
  - { id: s1, name: S, timeZone: Europe/Samara, systemOfRecord: ep, platforms: [{ instance: ep, schoolId: "1" }]${settings} }
`, 't.yaml', {});
    it('defaults: until 31 October, weekly', () => {
      const s = config('').schools[0];
      expect(s.journalLastYearFinalsUntil).toBe('10-31');
      expect(s.journalLastYearFinalsIntervalHours).toBe(168);
    });
    it('takes a day of September…December, refuses another month or no real day', () => {
      expect(config(', journalLastYearFinalsUntil: "09-30"').schools[0].journalLastYearFinalsUntil).toBe('09-30');
      expect(() => config(', journalLastYearFinalsUntil: "08-31"')).toThrow(/journalLastYearFinalsUntil/);
      expect(() => config(', journalLastYearFinalsUntil: "09-31"')).toThrow(/journalLastYearFinalsUntil/);
      expect(() => config(', journalLastYearFinalsUntil: "2026-10-31"')).toThrow(/journalLastYearFinalsUntil/);
    });
  });
});
