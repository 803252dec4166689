// ЭПОС: a nightly whose sweep slice ends the day before its recent window asks each group batch's schedule, marks
// and attendance once for both (one range of ≤ 31 days), not once per range (issue 7), and loses no record.
import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import { eposMapper } from '../../src/mappers/epos/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { expectSameSchool } from '../support/expect-same-school.js';
import { readCounted, touchingRanges } from '../support/touching-ranges.js';
import { COMPARED, EPOS_IGNORE_FIELDS, connectorFor, expectedRecords } from './harness.js';

const start = (dataset: SyntheticSchool) => startEposEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 5, pupils: 44, weeks: 4, timeZone: 'Asia/Yekaterinburg' });
const RANGE_ROUTES = ['jersey/api/schedule_items', 'core/api/marks', 'core/api/attendances'];

describe('ЭПОС: touching ranges of a night', () => {
  it('a sweep slice ending the day before the recent window costs one schedule, marks and attendance request per group batch, and every record of both is read', async () => {
    const { slice, recent, whole } = touchingRanges(s.from);
    const read = async (over: { ranges?: { from: string; to: string }[]; from: string; to: string; windowDays: number }) => {
      const res = await readCounted(s.emu, { connector: connectorFor(s.emu, { perPage: 1000 }), mapper: eposMapper, crosswalk: s.emu.crosswalk(), ...over });
      const on = (route: string) => Object.entries(res.requests).filter(([r]) => r.endsWith(route)).reduce((n, [, k]) => n + k, 0);
      return { ...res, on };
    };
    // Pages of 1,000 (as bench/platform-nightly.ts reads): one page per range and group batch, so pages do not blur the count.
    // As the nightly asks: both ranges, each one request (windowDays = the longer range's days).
    const night = await read({ ...whole, ranges: [slice, recent], windowDays: 15 });
    // What one range over both costs, and what the two ranges cost read apart.
    const one = await read({ ...whole, windowDays: 25 });
    const apart = [await read({ ...slice, windowDays: 15 }), await read({ ...recent, windowDays: 15 })];
    for (const route of RANGE_ROUTES) {
      expect(one.on(route), route).toBeGreaterThan(0);
      expect(night.on(route), route).toBe(one.on(route));
      expect(apart[0].on(route) + apart[1].on(route), route).toBe(2 * one.on(route));
    }
    expectSameSchool(expectedRecords(s.school.records, whole.from, whole.to), night, { entities: COMPARED, ignoreFields: EPOS_IGNORE_FIELDS, atLeast: (e) => (e === 'mark' ? 100 : 1) });
    expect(night.quarantine).toEqual([]);
  }, 60_000);
});
