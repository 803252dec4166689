import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import { useEmulatedSchool, withEmulatedSchool } from '../support/emulated-school.js';
import { expectSameSchool } from '../support/expect-same-school.js';
import { COMPARED, EPOS_IGNORE_FIELDS, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startEposEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 5, pupils: 44, weeks: 2, timeZone: 'Asia/Yekaterinburg' });

describe('ЭПОС end to end: the whole synthetic school through the emulator', () => {
  it('reads every person, guardian link, section, lesson, mark, attendance record and final mark with zero differences', async () => {
    const res = await readAndMap(s.emu, s.from, s.to);
    expectSameSchool(expectedRecords(s.school.records, s.from, s.to), res, { entities: COMPARED, ignoreFields: EPOS_IGNORE_FIELDS });
    expect(s.emu.sessionCount()).toBe(0); // close() ended the session with DELETE lms/api/sessions
  });
});

describe('ЭПОС end to end: final marks over a whole quarter', () => {
  it('reads the quarter final marks (embedded in student_profiles) with zero differences', async () => {
    await withEmulatedSchool(start, { seed: 9, pupils: 24, weeks: 9, timeZone: 'Asia/Yekaterinburg' }, async ({ school, emu, from, to }) => {
      const res = await readAndMap(emu, from, to);
      const report = expectSameSchool(expectedRecords(school.records, from, to), res, { entities: ['final_mark', 'mark'], ignoreFields: EPOS_IGNORE_FIELDS });
      expect(report.compared.final_mark.expected).toBeGreaterThan(20);
    });
  }, 60_000);

  it('the emulator serves ЭПОС ids, not canonical ones: every crosswalk source id is a plain integer', () => {
    const rows = s.emu.crosswalk();
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r.sourceId, r.entity).toMatch(r.entity === 'guardian_link' ? /^\d+:\d+$/ : /^\d+$/);
  });
});
