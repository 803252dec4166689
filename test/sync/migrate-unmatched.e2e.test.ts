// A migration whose target does not know a pupil (a typo in the birth date there, no SNILS) or lacks two lessons in
// its timetable: the plan names them by canonical id — in the terminal, the JSON and the HTML — and counts their
// records as waiting, not as "to create". Before, only the counts were given: the plan promised records the push
// then skipped, and nothing told the operator which pupil or lesson to fix. Дневник.ру → ЭПОС.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useApiMove } from '../support/api-move.js';

type EposWorld = {
  profiles: Map<number, { rec: { id: string; birthDate?: string; identifiers?: unknown[] } }>;
  schedule: Map<number, { date: string }>;
  sourceOf: Map<string, string>;
};

describe('a migration names the pupils and lessons its target lacks', () => {
  const move = useApiMove({ from: 'dnevnik', to: 'epos', dataset: { seed: 9, pupils: 12 }, window: { since: '2025-09-01', until: '2025-09-12' } });
  const target = () => (move.target as unknown as { world: EposWorld }).world;

  it('dry run: the unmatched pupil and the missing lessons by id, their records waiting, not "to create"', async () => {
    const school: SyntheticSchool = move.school;
    const marks = school.all('mark');
    const pupil = marks[0].studentId;
    // A typo in the pupil's birth date on the new platform, and no SNILS there: nothing to match them by.
    for (const p of target().profiles.values()) if (p.rec.id === pupil) p.rec = { ...p.rec, birthDate: '2010-01-01', identifiers: [] };
    // Two lessons with marks of other pupils moved out of the window in the new platform's timetable.
    const lessons = [...new Set(marks.filter((m) => m.studentId !== pupil).map((m) => m.lessonId))].slice(0, 2);
    for (const l of lessons) target().schedule.get(Number(target().sourceOf.get(l)))!.date = '2025-08-25';
    const { code, printed } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const r = move.report();
    // The gateway's own id of the pupil (persons get ids of their own, not the dataset's).
    expect(r.plan.unmatchedPupilIds).toHaveLength(1);
    const canonical = r.plan.unmatchedPupilIds![0];
    expect(r.plan.missingLessons?.map((l) => l.date)).toEqual(lessons.map((l) => school.records.find((x) => x.id === l) as { date: string }).map((l) => l.date).sort());
    // Every mark of the window is either to create or waiting (a first migration: none is there yet).
    const inWindow = marks.filter((m) => m.markDate >= '2025-09-01' && m.markDate <= '2025-09-12');
    const waiting = inWindow.filter((m) => m.studentId === pupil || lessons.includes(m.lessonId)).length;
    expect(r.plan.waiting?.mark).toBe(waiting);
    expect(r.plan.toCreate.mark + r.plan.waiting!.mark).toBe(inWindow.length);
    expect(printed).toContain(`unmatched pupils (canonical ids: \`journal-gateway review\`, or check them in epos-new's roster): ${canonical}`);
    for (const l of r.plan.missingLessons!) expect(printed).toContain(`${l.id}@${l.date}`);
    expect(printed).toMatch(/WAITING: \d+ mark, \d+ attendance_record record\(s\)|WAITING: \d+ mark record\(s\)/);
  }, 180_000);

  it('the run writes what it planned to create, names the same ids, and is not "nothing lost"', async () => {
    const dry = move.report().plan;
    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(code).toBe(1);
    expect(r.steps.find((s) => s.kind === 'grade-push')?.pushed?.applied).toBe(dry.toCreate.mark + dry.toCreate.attendance_record);
    expect(printed).toMatch(/1 pupil\(s\) unmatched, 2 lesson\(s\) missing in epos-new's timetable: see the report/);
    const html = readFileSync(printed.match(/(\S+\.html)/)![1], 'utf8');
    expect(html).toContain(dry.unmatchedPupilIds![0]);
    for (const l of dry.missingLessons!) expect(html).toContain(l.id);
  }, 180_000);
});
