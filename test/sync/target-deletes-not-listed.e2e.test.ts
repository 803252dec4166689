// A pupil the push target (Дневник.ру) no longer lists in a lesson's group, still in it on the system of record (ЭПОС):
// Дневник.ру answers lesson-log entries for the group's current pupils only, so the absences the push wrote there for
// the pupil are not in its read. They are not deletions by hand: before, each night took them for one and wrote them
// again, with a "deleted on this platform by hand" line and a conflict that never closed (found by review).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { DnevnikWorld } from '../../src/emulators/dnevnik/world.js';
import type { EposWorld } from '../../src/emulators/epos/world.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { runJob } from '../../src/jobs/processors.js';
import { openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };
type Ep = RunningEmulator & { world: EposWorld };
type Dn = RunningEmulator & { world: DnevnikWorld };

describe('ЭПОС → Дневник.ру: a pupil the target no longer lists in the lesson\'s group', () => {
  let school: SorAndTarget<Ep, Dn>;
  beforeAll(async () => {
    school = await sorAndTarget<Ep, Dn>({ sor: 'epos', target: 'dnevnik', school: generateSchool({ seed: 84, pupils: 12, weeks: 1 }), window });
    await runJob('grade-push', { schoolId: 's1', window }, school.ctx);
  }, 180_000);
  afterAll(async () => { await school?.close(); });

  it('their absences there are not taken as deleted by hand, nor written again, night after night', async () => {
    const { world } = school.target;
    const entry = [...world.logEntries.values()][0];
    expect(entry).toBeDefined();
    const lesson = world.lessons.get(entry.lesson)!;
    const group = world.groups.get(lesson.group)!;
    const cid = [...world.persons.entries()].find(([, p]) => p.id === entry.person)![0];
    expect(group.pupils.delete(cid)).toBe(true);
    const entriesOf = () => [...world.logEntries.values()].filter((e) => e.person === entry.person).length;
    const held = entriesOf();
    const counts: { found?: number; applied: number }[] = [];
    const aDayLater = async () => {
      const cursor = await school.ctx.store.getCursor('dnevnik_ru', 't', 'roster:s1');
      if (!cursor?.value) return;
      const state = JSON.parse(cursor.value) as { missedAt?: Record<string, string> };
      for (const k of Object.keys(state.missedAt ?? {})) state.missedAt![k] = new Date(Date.parse(state.missedAt![k]) - 48 * 3_600_000).toISOString();
      await school.ctx.store.setCursor({ ...cursor, value: JSON.stringify(state) });
    };
    for (let night = 0; night < 3; night++) {
      await runJob('roster-sync', { schoolId: 's1', window, instance: 't' } as never, school.ctx);
      await aDayLater();
      const [read] = await runJob('journal-sync', { schoolId: 's1', window, instance: 't' }, school.ctx);
      const [push] = await runJob('grade-push', { schoolId: 's1', window }, school.ctx);
      counts.push({ ...(read.deletedOnTarget ? { found: read.deletedOnTarget.count } : {}), applied: push.pushed!.applied });
    }
    expect(counts).toEqual([{ applied: 0 }, { applied: 0 }, { applied: 0 }]);
    expect(entriesOf()).toBe(held);
    expect((await openConflicts(school.ctx)).filter((c) => c.field === 'status')).toEqual([]);
  }, 300_000);
});
