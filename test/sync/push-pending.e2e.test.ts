// Grade push before the target is linked (issue 7): on schedules, a push may run before the target's
// timetable sync has linked its lessons. Those marks wait — the push cursor stays — and the push after the
// link delivers them; none is left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('a push that runs before the target is linked', () => {
  let school: SyntheticSchool;
  let source: RunningEmulator;
  let target: RunningEmulator & { world: { marks: Map<unknown, unknown> } };
  let ctx: JobContext;

  beforeAll(async () => {
    school = generateSchool({ seed: 61, pupils: 20, weeks: 1 });
    source = await getPlatform('dnevnik').emulator.start({ dataset: school });
    target = await getPlatform('dnevnik').emulator.start({ dataset: school, emptyJournal: true }) as typeof target;
    const a = dnevnikInstance('dn-sor', source, 500);
    const b = dnevnikInstance('dn-target', target, 500);
    ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'dn-sor', targets: ['dn-target'], platforms: [{ instance: 'dn-sor', schoolId: a.schoolId }, { instance: 'dn-target', schoolId: b.schoolId }] }],
    }), 't.yaml'), createLogger({ level: 'silent' }));
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
    await source?.close();
    await target?.close();
  });

  it('the marks wait for the link and the next push delivers every one', async () => {
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'dn-sor' }, ctx); // the target's lessons are not linked yet
    const [early] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(early.pushed?.applied).toBe(0);
    expect(early.pushed?.skipped).toBeGreaterThan(0);
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx); // now they are
    const [late] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    const lessons = new Set(school.all('lesson').filter((l) => l.date >= window.from && l.date <= window.to).map((l) => l.id));
    const marks = school.all('mark').filter((m) => lessons.has(m.lessonId)).length;
    expect(late.pushed?.skipped).toBe(0);
    expect(target.world.marks.size).toBe(marks);
  }, 180_000);
});

describe('a pupil the target never lists', () => {
  it('their marks wait in the pending list; the cursor moves on, so a push re-reads only them, not every change since', async () => {
    const school = generateSchool({ seed: 63, pupils: 20, weeks: 1 });
    const source = await getPlatform('dnevnik').emulator.start({ dataset: school });
    const target = await getPlatform('dnevnik').emulator.start({ dataset: school, emptyJournal: true }) as RunningEmulator & {
      world: { marks: Map<unknown, unknown>; groups: Map<bigint, { pupils: Set<string> }> };
    };
    const lessons = new Set(school.all('lesson').filter((l) => l.date >= window.from && l.date <= window.to).map((l) => l.id));
    const marks = school.all('mark').filter((m) => lessons.has(m.lessonId));
    const absent = marks[0].studentId; // not registered on the target platform
    for (const g of target.world.groups.values()) g.pupils.delete(absent);
    const a = dnevnikInstance('dn-sor', source, 500);
    const b = dnevnikInstance('dn-target', target, 500);
    const ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'dn-sor', targets: ['dn-target'], platforms: [{ instance: 'dn-sor', schoolId: a.schoolId }, { instance: 'dn-target', schoolId: b.schoolId }] }],
    }), 't.yaml'), createLogger({ level: 'silent' }));
    try {
      await runJob('roster-sync', { schoolId: 's1', window }, ctx);
      await runJob('journal-sync', { schoolId: 's1', window }, ctx);
      // Marks and absences are pushed alike; so is each lesson's homework (its lesson is on the target).
      const journal = [...marks, ...school.all('attendance_record').filter((x) => lessons.has(x.lessonId))];
      const homework = school.all('lesson').filter((l) => lessons.has(l.id) && l.homework?.text?.trim()).length;
      const theirs = journal.filter((x) => x.studentId === absent).length;
      const [first] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
      expect(homework).toBeGreaterThan(0);
      expect(first.pushed).toMatchObject({ applied: journal.length - theirs + homework, skipped: theirs, failed: 0 });
      // Nothing new: only the waiting marks are looked at again (before, every mark since the first waiting one was).
      const [second] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
      expect(second.pushed).toMatchObject({ applied: 0, unchanged: 0, skipped: theirs });
      // One of their marks is deleted at the source: there is nothing of it on the target to delete, so it stops waiting.
      const pending = JSON.parse((await ctx.store.getCursor('dnevnik_ru', 'dn-target', 'push-pending:s1'))!.value!) as { mark: string[] };
      expect(await ctx.store.deleteMany('mark', [pending.mark[0]], { reason: 'source_tombstone', runId: 'test' })).toBe(1);
      const [third] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
      expect(third.pushed).toMatchObject({ applied: 0, skipped: theirs - 1, failed: 0 });
      expect(target.world.marks.size).toBe(marks.filter((m) => m.studentId !== absent).length);
    } finally {
      await ctx.close();
      await source.close();
      await target.close();
    }
  }, 180_000);
});

