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
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

let school: SyntheticSchool;
let emu: RunningEmulator;
let ctx: JobContext;
let window: { from: string; to: string };

beforeAll(async () => {
  school = generateSchool({ seed: 3, pupils: 30, weeks: 2 });
  emu = await getPlatform('dnevnik').emulator.start({ dataset: school });
  const inst = dnevnikInstance('dn', emu);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-sync-')), 'gateway.yaml');
  writeFileSync(file, gatewayYaml({ instances: [inst], names: ['dn'], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }));
  ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
  const dates = school.all('lesson').map((l) => l.date).sort();
  window = { from: dates[0], to: dates.at(-1)! };
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await emu?.close();
});

describe('sync from Дневник.ру into the store', () => {
  it('roster then journal: every lesson, work, mark and attendance record is stored, nothing quarantined', async () => {
    const [roster] = await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    expect(roster.quarantineReasons).toEqual({});
    const [journal] = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect(journal.quarantineReasons).toEqual({});
    const counts = await ctx.store.countsByEntity();
    for (const e of ['lesson', 'work', 'mark', 'attendance_record', 'academic_session', 'homeroom_class', 'subject', 'section', 'person', 'guardian_link'] as const) {
      expect(counts[e] ?? 0, e).toBe(school.all(e).length);
    }
    // Student enrollments and every role the platform lists (class-teacher roles it does not carry).
    expect(counts.enrollment).toBe(school.all('enrollment').filter((e) => e.role === 'student').length);
    expect(counts.role_assignment).toBe(school.all('role_assignment').filter((r) => r.role !== 'class_teacher').length);
    // A second run finds nothing new.
    const [again] = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    expect(again.created).toBe(0);
    expect(again.updated).toBe(0);
  }, 120_000);
});
