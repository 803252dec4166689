import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import { compareRecords } from '../../src/model/compare.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import { createLearningResolver } from '../../src/connectors/learning-resolver.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import { eposMapper } from '../../src/mappers/epos/index.js';
import { CapabilityNotSupportedError } from '../../src/connectors/contract.js';
import { EPOS_IGNORE_FIELDS, connectorFor, expectedRecords } from './harness.js';

const start = (dataset: SyntheticSchool) => startEposEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 13, pupils: 33, weeks: 2, timeZone: 'Asia/Yekaterinburg' });

/** Reads one account's diary (`diary.read`) and maps it. */
async function readDiary(role: 'student' | 'parent') {
  const acc = s.emu.info.accounts.find((a) => a.role === role)!;
  const c = connectorFor(s.emu, { auth: { kind: 'password', login: acc.login, password: acc.password } });
  const xwalk = new Map(s.emu.crosswalk().map((x) => [`${x.entity}:${x.sourceId}`, x.canonicalId]));
  const learning = createLearningResolver((e, id) => xwalk.get(`${e}:${id}`), 'epos');
  const records: CanonicalRecord[] = [];
  const quarantine: unknown[] = [];
  await c.open();
  try {
    for await (const b of c.readSchool({ from: s.from, to: s.to, capabilities: ['diary.read'] })) {
      const m = mapBatch(eposMapper, b, { system: 'epos', instance: 'emulator', runId: 'diary', mapperVersion: 'epos-1', resolve: learning.resolve });
      learning.learn(m.records);
      records.push(...m.records);
      quarantine.push(...m.quarantine);
    }
  } finally {
    await c.close();
  }
  return { records, quarantine };
}

/** The pupil's own part of the journal: the lessons of the sections they are enrolled in, their marks and absences. */
function expectedFor(pupil: string): CanonicalRecord[] {
  const sections = new Set(s.school.all('enrollment').filter((e) => e.personId === pupil && e.role === 'student').map((e) => e.sectionId));
  return expectedRecords(s.school.records, s.from, s.to, ['lesson', 'mark', 'attendance_record']).filter((r) => (r.entity === 'lesson' ? sections.has(r.sectionId) : (r as { studentId?: string }).studentId === pupil));
}

describe('ЭПОС diary: a pupil or parent profile reads the pupil\'s own journal (student_profile_id)', () => {
  const pupilId = () => s.emu.crosswalk().find((x) => x.entity === 'person' && x.sourceId === String(s.emu.info.accounts.find((a) => a.role === 'student')!.profileId))!.canonicalId;

  for (const role of ['student', 'parent'] as const) {
    it(`a ${role} account reads the pupil's lessons, marks and absences; they equal the dataset's`, async () => {
      const res = await readDiary(role);
      expect(res.quarantine).toEqual([]);
      const expected = expectedFor(pupilId());
      const report = compareRecords(expected, res.records, { entities: ['lesson', 'mark', 'attendance_record'], ignoreFields: EPOS_IGNORE_FIELDS });
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.mark.equal).toBeGreaterThan(5);
      expect(report.compared.lesson.equal).toBe(report.compared.lesson.expected);
    });
  }

  it('a pupil account cannot read the whole school (the platform refuses), and a capability ЭПОС lacks is a typed error', async () => {
    const acc = s.emu.info.accounts.find((a) => a.role === 'student')!;
    const c = connectorFor(s.emu, { auth: { kind: 'password', login: acc.login, password: acc.password } });
    await c.open();
    const drain = async (caps: Parameters<typeof c.readSchool>[0]['capabilities']) => { for await (const _ of c.readSchool({ from: s.from, to: s.to, capabilities: caps })); };
    await expect(drain(['journal.read'])).rejects.toThrow(/Недостаточно прав/);
    await expect(drain(['lessons.write'])).rejects.toBeInstanceOf(CapabilityNotSupportedError);
    await c.close();
  });
});
