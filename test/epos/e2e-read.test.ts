import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { parseRecord } from '../../src/model/records.js';
import { COMPARED, EPOS_IGNORE_FIELDS, expectedRecords, readAndMap } from './harness.js';

let school: SyntheticSchool;
let emu: EposEmulator;
let from: string;
let to: string;

beforeAll(async () => {
  school = generateSchool({ seed: 5, pupils: 44, weeks: 2, timeZone: 'Asia/Yekaterinburg' });
  emu = await startEposEmulator({ dataset: school });
  const dates = school.all('lesson').map((l) => l.date).sort();
  [from, to] = [dates[0], dates.at(-1)!];
});
afterAll(() => emu?.close());

describe('ЭПОС end to end: the whole synthetic school through the emulator', () => {
  it('reads every person, guardian link, section, lesson, mark, attendance record and final mark with zero differences', async () => {
    const res = await readAndMap(emu, from, to);
    const expected = expectedRecords(school.records, from, to);
    const report = compareRecords(expected, res.records, { entities: COMPARED, ignoreFields: EPOS_IGNORE_FIELDS });
    expect(res.quarantine).toEqual([]);
    expect(report.differences.slice(0, 10)).toEqual([]);
    for (const e of COMPARED) {
      const c = report.compared[e];
      if (e !== 'final_mark') expect(c?.expected, e).toBeGreaterThan(0);
      expect(c?.equal ?? 0, e).toBe(c?.expected ?? 0);
    }
    for (const r of res.records) parseRecord(r); // every mapped record is a valid canonical record
    expect(emu.sessionCount()).toBe(0); // close() ended the session with DELETE lms/api/sessions
  });
});

describe('ЭПОС end to end: final marks over a whole quarter', () => {
  it('reads the quarter final marks (embedded in student_profiles) with zero differences', async () => {
    const big = generateSchool({ seed: 9, pupils: 24, weeks: 9, timeZone: 'Asia/Yekaterinburg' });
    const e = await startEposEmulator({ dataset: big });
    try {
      const dates = big.all('lesson').map((l) => l.date).sort();
      const res = await readAndMap(e, dates[0], dates.at(-1)!);
      const expected = expectedRecords(big.records, dates[0], dates.at(-1)!);
      const report = compareRecords(expected, res.records, { entities: ['final_mark', 'mark'], ignoreFields: EPOS_IGNORE_FIELDS });
      expect(res.quarantine).toEqual([]);
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.final_mark.expected).toBeGreaterThan(20);
      expect(report.compared.final_mark.equal).toBe(report.compared.final_mark.expected);
    } finally {
      await e.close();
    }
  }, 60_000);

  it('the emulator serves ЭПОС ids, not canonical ones: every crosswalk source id is a plain integer', () => {
    const rows = emu.crosswalk();
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r.sourceId, r.entity).toMatch(r.entity === 'guardian_link' ? /^\d+:\d+$/ : /^\d+$/);
  });
});
