// A school leaves ЭлЖур for ЭПОС.Школа (`journal-gateway migrate --from <ЭлЖур>`). Before, the migration was refused at
// once: ЭлЖур's roster read brought pupils only — no classes, year, subjects or journal pages — so a journal read had
// nothing to place its lessons and marks on. Now the roster read brings the classes (`getrules`), the year and terms
// (`getperiods`) and the subjects, sections, class lists and teachers its diary pages show; the journal is placed in
// full. ЭлЖур carries no birth date, so the target's pupils are proposed for review by exact name, never merged on
// their own (DECISIONS.md §7): the dry run names them, the operator confirms them with `review merge`, and the run
// writes every mark and absence, reconciled with zero differences; a second run finds nothing to do.
import { describe, expect, it } from 'vitest';
import { run as reviewCommand } from '../../src/cli/commands/review.js';
import { eljurInstance, eposInstance } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { captureStdout } from '../support/capture-stdout.js';
import { useMovingSchool } from '../support/moving-school.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate a school from ЭлЖур to ЭПОС.Школа', () => {
  const move = useMovingSchool<RunningEmulator & { world: { marks: Map<unknown, unknown> } }>({
    from: { platform: 'eljur', instance: 'eljur-old', yaml: eljurInstance },
    to: { platform: 'epos', instance: 'epos-new', yaml: eposInstance },
    seed: 61, dataset: { pupils: 20, weeks: 2 }, window: WINDOW,
  });
  const report = () => move.report<MigrationReport>();
  const inWindow = () => new Set(move.school.all('lesson').filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus === 'held').map((l) => l.id));
  const expected = () => {
    const lessons = inWindow();
    return {
      marks: move.school.all('mark').filter((m) => lessons.has(m.lessonId)).length,
      absences: move.school.all('attendance_record').filter((a) => lessons.has(a.lessonId)).length,
    };
  };
  const review = (action: string | undefined, id?: string) => captureStdout(() => reviewCommand(action, id, { config: move.configPath(), school: 's1' }));

  it('the source read places every record, and the dry run names the pupils ЭПОС holds with a birth date ЭлЖур lacks', async () => {
    const { code } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const r = report();
    // Before: every lesson, work, mark and absence was an orphan (no section, class or year in the store).
    expect(r.notMigrated).toBe(0);
    const [roster, journal] = r.steps;
    expect(roster.quarantined).toBe(0);
    expect(journal.quarantined).toBe(0);
    const { marks, absences } = expected();
    expect(marks).toBeGreaterThan(100);
    expect(absences).toBeGreaterThan(10);
    // Nothing matched by name alone: every mark and absence waits for its pupil to be confirmed.
    expect(r.plan.unmatchedPeople).toBeGreaterThan(0);
    expect(r.plan.waiting).toEqual({ mark: marks, attendance_record: absences });
    expect(r.plan.lessonsMissingInTarget).toBe(0);
    expect(move.target.world.marks.size).toBe(0);
  }, 240_000);

  it('each unmatched pupil is proposed once, by its exact name, and the operator confirms it', async () => {
    const unmatched = new Set(report().plan.unmatchedPupilIds);
    const { code, printed } = await review('list');
    expect(code).toBe(0);
    const items = printed.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; id: string; rule: string; leftId: string; rightId: string; score: number })
      .filter((i) => i.kind === 'person_match');
    // The target's pupil (left, dated) proposed as the source's (right, no birth date). Two similar names inside
    // ЭлЖур's own roster are proposed too (a pair of the source's pupils): not the same child, and not merged here.
    const toTarget = items.filter((i) => unmatched.has(i.rightId) && !unmatched.has(i.leftId));
    expect(new Set(toTarget.map((i) => i.rightId))).toEqual(unmatched);
    expect(toTarget).toHaveLength(unmatched.size);
    expect(toTarget.every((i) => i.rule === 'name_no_birthdate' && i.score === 1)).toBe(true);
    for (const i of toTarget) expect((await review('merge', i.id)).code).toBe(0);
  }, 120_000);

  it('the migration writes every mark and absence, and the target read back reconciles with zero differences', async () => {
    const { code, printed } = await move.migrate({});
    const r = report();
    expect(r.reconciliation?.differences.slice(0, 5)).toEqual([]);
    expect(printed).toContain('nothing lost');
    expect(code).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.plan.unmatchedPeople).toBe(0);
    const { marks, absences } = expected();
    expect(r.reconciliation?.perEntity.mark).toMatchObject({ expected: marks, present: marks, missing: 0, unexpected: 0, different: 0 });
    expect(r.reconciliation?.perEntity.attendance_record).toMatchObject({ expected: absences, present: absences, missing: 0, unexpected: 0, different: 0 });
    expect(move.target.world.marks.size).toBe(marks);
  }, 240_000);

  it('a second run finds nothing to do', async () => {
    const { code } = await move.migrate({});
    expect(code).toBe(0);
    const r = report();
    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.kind === 'grade-push')?.pushed?.applied).toBe(0);
    expect(r.plan.toCreate).toMatchObject({ mark: 0, attendance_record: 0 });
    expect(move.target.world.marks.size).toBe(expected().marks);
  }, 240_000);
});

describe('migrate a school from ЭлЖур: final marks over a quarter', () => {
  const move = useMovingSchool({
    from: { platform: 'eljur', instance: 'eljur-old', yaml: eljurInstance },
    to: { platform: 'epos', instance: 'epos-new', yaml: eposInstance },
    seed: 63, dataset: { pupils: 6, weeks: 9 }, window: { since: '2025-09-01', until: '2025-10-31' },
  });

  it('every final mark is placed on its class, journal page and period, and listed to enter by hand', async () => {
    const finals = move.school.all('final_mark');
    expect(finals.length).toBeGreaterThan(10);
    const { code } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const r = move.report<MigrationReport>();
    expect(r.notMigrated).toBe(0);
    // No platform has a route to write final marks: each is listed for the school, as from any other source.
    expect(r.plan.notWritable).toEqual({ final_mark: finals.length });
    const titleOf = (id: string) => (move.school.byId(id) as unknown as { title: string }).title;
    const want = finals.map((f) => [titleOf(move.school.get('section', f.sectionId)!.homeroomClassId), titleOf(f.periodId), f.raw].join('|')).sort();
    const rows = r.plan.finalsByHand!;
    expect(rows.map((f) => [f.class, f.period, f.value].join('|')).sort()).toEqual(want);
    for (const f of rows) expect(f.subject).not.toBe('?');
    // Not matched on the target yet (no birth date on ЭлЖур): the pupil is named by their ЭлЖур id, never by name.
    expect(rows.every((f) => f.pupilSourceId && !f.pupilTargetId)).toBe(true);
  }, 240_000);
});
