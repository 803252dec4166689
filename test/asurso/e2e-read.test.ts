import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { expectSameSchool } from '../support/expect-same-school.js';
import { ASURSO_IGNORE_FIELDS, COMPARED, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startAsursoEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 5, pupils: 44, weeks: 2 });

describe('АСУ РСО end to end: the whole synthetic school through the teacher journal routes', () => {
  it('reads every visible person, section, lesson, work, mark and attendance record with zero differences, then logs out', async () => {
    const res = await readAndMap(s.emu, s.from, s.to);
    expectSameSchool(expectedRecords(s.school.records, s.from, s.to), res, { entities: COMPARED, ignoreFields: ASURSO_IGNORE_FIELDS });
    expect(s.emu.liveSessions()).toBe(0); // auth/logout at the end of the run
    expect(s.emu.state.logouts).toBeGreaterThan(0);
  });
});
