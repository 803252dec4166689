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

  it('reads every lesson\'s homework from its homework-type column (text, due day); no such column becomes a work', async () => {
    const res = await readAndMap(s.emu, s.from, s.to);
    type L = { id: string; date: string; homework?: { text?: string; notAssigned?: boolean; dueDate?: string } };
    const lessons = (s.school.records.filter((r) => r.entity === 'lesson') as unknown as L[]).filter((l) => l.date >= s.from && l.date <= s.to);
    const read = new Map(res.records.filter((r) => r.entity === 'lesson').map((r) => [r.id, r as unknown as L]));
    const given = lessons.filter((l) => l.homework?.text);
    expect(given.length).toBeGreaterThan(50);
    for (const l of given) expect(read.get(l.id)?.homework, l.id).toEqual({ text: l.homework!.text, notAssigned: false, ...(l.homework!.dueDate ? { dueDate: l.homework!.dueDate } : {}), attachments: [] });
    // «Не задано» has no form in NetSchool: such a lesson reads back without homework.
    const none = lessons.find((l) => l.homework?.notAssigned);
    expect(none).toBeDefined();
    expect(read.get(none!.id)?.homework).toBeUndefined();
    // The homework columns nobody has a mark in are no works: as many works as the dataset's, no more.
    expect(res.records.filter((r) => r.entity === 'work').length).toBe(expectedRecords(s.school.records, s.from, s.to).filter((r) => r.entity === 'work').length);
  });
});
