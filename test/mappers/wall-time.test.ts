// The mappers' shared time converters must give exactly what the general (slow) paths give.
import { describe, expect, it } from 'vitest';
import { instantOf, isoInstant } from '../../src/mappers/kit/wall-time.js';
import { zonedToInstant } from '../../src/model/dates.js';

describe('isoInstant', () => {
  it('equals new Date(s).toISOString() for instants with any offset, fraction or Z', () => {
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let i = 0; i < 2000; i++) {
      const frac = ['', `.${pad(rnd(1000), 3)}`, `.${rnd(10)}`, `.${pad(rnd(1000000), 6)}`][rnd(4)];
      const off = ['Z', `+${pad(rnd(15))}:${pad(rnd(4) * 15)}`, `-${pad(rnd(13))}${pad(rnd(4) * 15)}`][rnd(3)];
      const s = `20${pad(20 + rnd(10))}-${pad(1 + rnd(12))}-${pad(1 + rnd(28))}T${pad(rnd(24))}:${pad(rnd(60))}:${pad(rnd(60))}${frac}${off}`;
      expect(isoInstant(s), s).toBe(new Date(s).toISOString());
    }
  });

  it('hands anything else to the general parser, which refuses what is not a date', () => {
    expect(isoInstant('2025-09-01T11:13')).toBe(new Date('2025-09-01T11:13').toISOString());
    expect(() => isoInstant('not a date')).toThrow(RangeError);
  });
});

describe('instantOf', () => {
  it('equals the Intl-based conversion in Russian zones', () => {
    for (const tz of ['Europe/Samara', 'Asia/Yekaterinburg', 'Europe/Moscow', 'Europe/Simferopol']) {
      for (const local of ['2025-09-01T08:30:00', '2025-12-31T23:59:59', '2026-03-29T02:30:00']) {
        expect(instantOf(local, tz)).toBe(zonedToInstant(local, tz));
      }
      expect(instantOf('2025-10-26', tz)).toBe(zonedToInstant('2025-10-26T00:00', tz)); // a date alone is its midnight
    }
  });
});
