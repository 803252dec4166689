import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/model/records.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator } from '../../src/emulators/eljur/index.js';
import { useEmulatedSchool, withEmulatedSchool } from '../support/emulated-school.js';
import { expectSameSchool } from '../support/expect-same-school.js';
import { COMPARED, ELJUR_IGNORE_FIELDS, comparedOf, connectorFor, expectedRecords, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startEljurEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 5, pupils: 44, weeks: 2 });

describe.each(['json', 'xml'] as const)('ЭлЖур end to end (out_format=%s): the whole synthetic school through the emulator', (format) => {
  it('reads every pupil, section, lesson, mark and absence with zero differences', async () => {
    // Read as the system of record or a migration's source reads it: with the school's structure.
    const res = await readAndMap(s.emu, s.from, s.to, connectorFor(s.emu, { format }), { schoolStructure: true });
    expect([...res.payloadKinds]).toEqual([format === 'xml' ? 'text' : 'json']);
    expectSameSchool(expectedRecords(s.school.records, s.from, s.to), comparedOf(res, s.from, s.to), { entities: COMPARED, ignoreFields: ELJUR_IGNORE_FIELDS, atLeast: (e) => (e === 'person' ? 40 : 100) });
    // The roster read's structure (classes, year and terms, subjects, class lists and section members, teachers):
    // what a journal read of ЭлЖур as a migration source is placed on. Every record of the read is a valid one.
    for (const r of res.records) parseRecord(r);
    for (const e of ['homeroom_class', 'academic_session', 'subject', 'enrollment', 'role_assignment'] as const) expect(res.records.some((r) => r.entity === e), e).toBe(true);
    expect(res.records.filter((r) => r.entity === 'homeroom_class').length).toBe(s.school.all('homeroom_class').length);
    // Second marks of one lesson and retakes come through `nm` and the work type.
    expect(res.records.filter((r) => r.entity === 'mark' && r.slot === 2).length).toBeGreaterThan(10);
    expect(res.records.some((r) => r.entity === 'mark' && r.retakeOfMarkId)).toBe(true);
    // A work's grading period is its class's: the senior classes' half-year, the others' quarter (from the school's
    // merged period list every work went to a quarter).
    const truth = new Map(s.school.all('work').map((w) => [w.id, w.gradingPeriodId]));
    const works = res.records.filter((r) => r.entity === 'work') as unknown as { id: string; gradingPeriodId: string }[];
    const halfYear = new Set(s.school.all('academic_session').filter((x) => x.kind === 'half_year').map((x) => x.id));
    expect(works.filter((w) => halfYear.has(w.gradingPeriodId)).length).toBeGreaterThan(50);
    expect(works.filter((w) => truth.get(w.id) !== w.gradingPeriodId).map((w) => w.id)).toEqual([]);
  });
});

describe.each(['json', 'xml'] as const)('ЭлЖур end to end (out_format=%s): a whole quarter with final marks', (format) => {
  it('reads the quarter final marks (subgroup sections included) with zero differences', async () => {
    await withEmulatedSchool(start, { seed: 9, pupils: 24, weeks: 9 }, async ({ school, emu, from, to }) => {
      const res = await readAndMap(emu, from, to, connectorFor(emu, { format }));
      const report = expectSameSchool(expectedRecords(school.records, from, to), res, { entities: COMPARED, ignoreFields: ELJUR_IGNORE_FIELDS });
      expect(report.compared.final_mark.expected).toBeGreaterThan(20);
    });
  }, 120_000);
});
