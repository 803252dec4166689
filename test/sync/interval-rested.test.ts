// A scheduled read's interval (the sweep, final marks) counted in the school's nights: "once a night" must not become
// "once per calendar date" for a school whose journal sync runs every half hour, and a night that ran late must still
// count as one night passed (docs/sync.md "Nightly delta").
import { describe, expect, it } from 'vitest';
import { intervalRested } from '../../src/sync/nightly-plan.js';

const ZONE = 'Europe/Samara'; // UTC+4
const at = (iso: string) => Date.parse(iso);

describe('intervalRested, counted in the school\'s nights', () => {
  it('24 h: a read at 23:30 is not read again at 00:00, though the date has changed', () => {
    // 23:30 on 9 December and 00:00 on 10 December, Samara time.
    expect(intervalRested('2025-12-09T19:30:00Z', 24, at('2025-12-09T20:00:00Z'), ZONE)).toBe(false);
  });

  it('20 h: a read at 23:30 is not read again at 00:30, though the date has changed', () => {
    expect(intervalRested('2025-12-09T19:30:00Z', 20, at('2025-12-09T20:30:00Z'), ZONE)).toBe(false);
  });

  it('44 h: a read at 23:30 is not read again at 00:00 the date after next, one night later', () => {
    // 23:30 on 8 December, 00:00 on 10 December: the nights 8→9 and 9→10 follow each other.
    expect(intervalRested('2025-12-08T19:30:00Z', 44, at('2025-12-09T20:00:00Z'), ZONE)).toBe(false);
  });

  it('24 h: a night that ran late (03:10) still counts at the next night\'s 03:00', () => {
    expect(intervalRested('2025-12-08T23:10:00Z', 24, at('2025-12-09T23:00:00Z'), ZONE)).toBe(true);
  });

  it('48 h: a night that ran late (03:10) still counts two nights later at 03:00', () => {
    expect(intervalRested('2025-12-07T23:10:00Z', 48, at('2025-12-09T23:00:00Z'), ZONE)).toBe(true);
  });

  it('20 h: a night that ran until 08:00 counts at the next night\'s 03:00', () => {
    expect(intervalRested('2025-12-09T04:00:00Z', 20, at('2025-12-09T23:00:00Z'), ZONE)).toBe(true);
  });

  it('without a time zone, hours alone', () => {
    expect(intervalRested('2025-12-08T23:10:00Z', 24, at('2025-12-09T23:00:00Z'))).toBe(false);
    expect(intervalRested('2025-12-08T23:00:00Z', 24, at('2025-12-09T23:00:00Z'))).toBe(true);
  });
});
