// ЭлЖур: a nightly whose sweep slice ends the day before its recent window asks each class's `getdiary` and
// `getmarks` once for both (one `days=` range of ≤ 31 days), not once per range (issue 7), and loses no record.
import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator } from '../../src/emulators/eljur/index.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { expectSameSchool } from '../support/expect-same-school.js';
import { readCounted, touchingRanges } from '../support/touching-ranges.js';
import { COMPARED, ELJUR_IGNORE_FIELDS, connectorFor, expectedRecords } from './harness.js';

const start = (dataset: SyntheticSchool) => startEljurEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 5, pupils: 44, weeks: 4 });

describe('ЭлЖур: touching ranges of a night', () => {
  it('a sweep slice ending the day before the recent window costs one getdiary and one getmarks per class, and every record of both is read', async () => {
    const { slice, recent, whole } = touchingRanges(s.from);
    const read = (over: { ranges?: { from: string; to: string }[]; from: string; to: string; windowDays: number }) =>
      readCounted(s.emu, { connector: connectorFor(s.emu), mapper: eljurMapper, crosswalk: s.emu.crosswalk(), ...over });
    // As the nightly asks: both ranges, each one request (windowDays = the longer range's days).
    const night = await read({ ...whole, ranges: [slice, recent], windowDays: 15 });
    // What one range over both costs, and what the two ranges cost read apart.
    const one = await read({ ...whole, windowDays: 25 });
    const apart = [await read({ ...slice, windowDays: 15 }), await read({ ...recent, windowDays: 15 })];
    for (const route of ['getdiary', 'getmarks']) {
      expect(one.requests[route], route).toBeGreaterThan(0);
      expect(night.requests[route], route).toBe(one.requests[route]);
      expect(apart[0].requests[route] + apart[1].requests[route], route).toBe(2 * one.requests[route]);
    }
    expectSameSchool(expectedRecords(s.school.records, whole.from, whole.to), night, { entities: COMPARED, ignoreFields: ELJUR_IGNORE_FIELDS, atLeast: (e) => (e === 'mark' ? 100 : 1) });
    expect(night.quarantine).toEqual([]);
  }, 60_000);
});
