import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { parseRecord } from '../../src/model/records.js';
import { ASURSO_IGNORE_FIELDS, COMPARED, expectedRecords, readAndMap } from './harness.js';

let school: SyntheticSchool;
let emu: AsursoEmulator;
let from: string;
let to: string;

beforeAll(async () => {
  school = generateSchool({ seed: 5, pupils: 44, weeks: 2 });
  emu = await startAsursoEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  [from, to] = [dates[0], dates.at(-1)!];
});
afterAll(() => emu?.close());

describe('АСУ РСО end to end: the whole synthetic school through the teacher journal routes', () => {
  it('reads every visible person, section, lesson, work, mark and attendance record with zero differences, then logs out', async () => {
    const res = await readAndMap(emu, from, to);
    const expected = expectedRecords(school.records, from, to);
    const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: ASURSO_IGNORE_FIELDS });
    expect(res.quarantine).toEqual([]);
    expect(report.differences.slice(0, 10)).toEqual([]);
    for (const e of COMPARED) {
      const c = report.compared[e];
      if (e !== 'final_mark') expect(c?.expected, e).toBeGreaterThan(0);
      expect(c?.equal ?? 0, e).toBe(c?.expected ?? 0);
    }
    for (const r of res.records) parseRecord(r); // every mapped record is a valid canonical record
    expect(emu.liveSessions()).toBe(0); // auth/logout at the end of the run
    expect(emu.state.logouts).toBeGreaterThan(0);
  });
});
