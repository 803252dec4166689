// A pupil moved to another class on Дневник.ру: the platform answers a group's lesson-log entries for its current
// pupils only, so the moved pupil's absences in the old class are no longer in its answer. They are not deletions.
// Before, each night until the roster's second miss ended the old membership tombstoned them (and the push deleted
// them from every target). docs/sync.md "Deletes".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { addDays } from '../../src/model/dates.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const START = '2025-09-01';
const TODAY = addDays(START, 3 * 7 - 1);

describe('a pupil moved to another class keeps their absences in the old one', () => {
  let emu: DnevnikEmulator;
  let ctx: JobContext;
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 11, pupils: 12, weeks: 3 });
    const inst = dnevnikInstance('dn', emu);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-moved-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({
      instances: [inst], names: ['dn'], extra: `sync: { windowEndsOn: "${TODAY}", journalSweepIntervalHours: 0 }`,
      schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }], settings: 'journalWindowDays: 6, journalSweepDays: 14' }],
    }));
    ctx = await openJobContext(loadConfigFile(file), createLogger({ level: 'silent' }));
    await runJob('roster-sync', { schoolId: 's1', window: { from: START, to: TODAY } }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window: { from: START, to: TODAY } }, ctx);
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    await emu?.close();
  });

  it('the nights until the second roster miss delete none of them', async () => {
    // The pupil with the most absences in the recent window.
    const recent = [...emu.world.logEntries.values()].filter((e) => e.createdDate.slice(0, 10) > addDays(TODAY, -6));
    const count = new Map<bigint, number>();
    for (const e of recent) count.set(e.person, (count.get(e.person) ?? 0) + 1);
    const [person] = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
    const pupil = [...emu.world.persons.entries()].find(([, p]) => p.id === person)![0];
    const groups = [...emu.world.groups.values()];
    const from = groups.find((g) => g.type === 'Group' && g.pupils.has(pupil))!;
    const to = groups.find((g) => g.type === 'Group' && g !== from && g.parallel === from.parallel) ?? groups.find((g) => g.type === 'Group' && g !== from)!;
    for (const g of groups) if (g === from || g.parentIds.includes(from.id)) g.pupils.delete(pupil);
    to.pupils.add(pupil);

    const stored = (await ctx.store.resolve('dnevnik_ru', 'dn', 'person', [String(person)])).get(String(person));
    const absencesOf = async () => {
      let n = 0;
      for await (const a of ctx.store.iterate('attendance_record', { status: 'active' })) if ((a as unknown as { studentId: string }).studentId === stored) n++;
      return n;
    };
    const before = await absencesOf();
    expect(before).toBeGreaterThan(0);
    // The scheduled order: the roster first (the old membership is missing once, kept), then the nightly journal.
    await runJob('roster-sync', { schoolId: 's1' }, ctx);
    const [night] = await runJob('journal-sync', { schoolId: 's1' }, ctx) as RunSummary[];
    expect(night.deleted).toBe(0);
    expect(await absencesOf()).toBe(before);
  }, 120_000);
});
