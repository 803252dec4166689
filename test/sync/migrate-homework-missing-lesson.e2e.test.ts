// A migration into Дневник.ру (the one target given homework) whose timetable lacks a lesson holding homework, and no
// mark or absence. Before, the plan counted that homework "to create" — the push then skipped it (no lesson to write
// it into) — and named no lesson missing from the target's timetable: the operator was promised a homework the run
// never wrote and had no lesson to look for. Now it waits, like a mark of a lesson missing there, and the lesson is
// named. ЭПОС → Дневник.ру.
import { describe, expect, it } from 'vitest';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { useApiMove } from '../support/api-move.js';
import { homeworkOn } from '../support/dnevnik-homework.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate into Дневник.ру: a homework lesson its timetable lacks', () => {
  const move = useApiMove({ from: 'epos', to: 'dnevnik', dataset: { seed: 5, pupils: 30 }, window: WINDOW });
  const target = () => (move.target as DnevnikEmulator).world;
  const held = () => move.school.all('lesson')
    .filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus === 'held' && l.homework?.text?.trim());

  it('the plan does not promise its homework, names the lesson, and the run writes what the plan counted', async () => {
    const withRecords = new Set([...move.school.all('mark').map((m) => m.lessonId), ...move.school.all('attendance_record').map((a) => a.lessonId)]);
    const lesson = held().find((l) => !withRecords.has(l.id))!;
    expect(lesson, 'a held lesson with homework and no mark or absence').toBeDefined();
    // Moved out of the window in the new platform's timetable: the target does not list it.
    target().lessons.get(BigInt(target().sourceOf.get(lesson.id)!))!.date = '2025-08-25T00:00:00';

    const { code } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const plan = move.report().plan;
    expect(plan.toCreate.homework).toBe(held().length - 1);
    expect(plan.waiting?.homework).toBe(1);
    expect(plan.missingLessons?.map((l) => l.date)).toEqual([lesson.date]);
    expect(plan.lessonsMissingInTarget).toBe(1);

    const run = await move.migrate();
    expect(homeworkOn(target())).toHaveLength(plan.toCreate.homework);
    expect(run.printed).toMatch(/1 lesson\(s\) missing in dnevnik-new's timetable/);
    expect(run.code).toBe(1);
  }, 300_000);
});
