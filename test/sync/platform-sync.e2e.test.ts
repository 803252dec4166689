// Roster sync then journal sync from an emulator into an embedded store, as a scheduled job runs them:
// every journal record of the window lands in the store, none is quarantined — the roster a platform
// brings in (periods, classes, subjects, roles, enrollments) is enough for the inbound rules.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPlatform } from '../../src/connectors/registry.js';
import { loadConfigFile } from '../../src/config/load.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { asursoInstance, dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

// What each platform's roster does not list (docs/platforms/<p>.md): left out of the expected counts.
const CASES = [
  { platform: 'dnevnik', instance: dnevnikInstance, roles: (r: string) => r !== 'class_teacher', persons: 'all' as const },
  { platform: 'asurso', instance: asursoInstance, roles: (r: string) => r === 'student' || r === 'subject_teacher', persons: 'pupils and teachers' as const },
];

describe.each(CASES)('sync from $platform into the store', (c) => {
  let school: SyntheticSchool;
  let emu: RunningEmulator;
  let ctx: JobContext;
  let window: { from: string; to: string };

  beforeAll(async () => {
    school = generateSchool({ seed: 3, pupils: 30, weeks: 2 });
    emu = await getPlatform(c.platform).emulator.start({ dataset: school });
    const inst = c.instance('p', emu);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-sync-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({ instances: [inst], names: ['p'], schools: [{ id: 's1', sor: 'p', platforms: [{ instance: 'p', schoolId: inst.schoolId }] }] }));
    ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
    const dates = school.all('lesson').map((l) => l.date).sort();
    window = { from: dates[0], to: dates.at(-1)! };
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
    await emu?.close();
  });

  it('roster then journal: every lesson, work, mark and attendance record is stored, nothing quarantined', async () => {
    const [roster] = await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    expect(roster.quarantineReasons).toEqual({});
    const [journal] = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect(journal.quarantineReasons).toEqual({});
    const counts = await ctx.store.countsByEntity();
    for (const e of ['lesson', 'work', 'mark', 'attendance_record', 'academic_session', 'homeroom_class', 'subject', 'section'] as const) {
      expect(counts[e] ?? 0, e).toBe(school.all(e).length);
    }
    // Student enrollments and the roles the platform's lists imply.
    expect(counts.enrollment).toBe(school.all('enrollment').filter((e) => e.role === 'student').length);
    const roles = school.all('role_assignment').filter((r) => c.roles(r.role));
    expect(counts.role_assignment).toBe(roles.length);
    if (c.persons === 'all') expect(counts.person).toBe(school.all('person').length);
    else expect(counts.person).toBe(new Set(roles.map((r) => r.personId)).size);
    // A second run finds nothing new.
    const [again] = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect(again.created).toBe(0);
    expect(again.updated).toBe(0);
  }, 120_000);
});
