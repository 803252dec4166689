// A migration's push is limited to its --since/--until window (src/sync/push-window.ts). Before, gradePush took every
// change of the school since its cursor, so whatever the store held beyond the window (an earlier, wider dry run, the
// nightly syncs' whole year) was written to the target too — not in the plan's "to create", not in the
// reconciliation (which reads back the window only), and the run still said ok. Now migrate.ts passes its window to
// the push, which sends only records whose lesson lies in it and moves no cursor, so the rest waits for a later push.
// Here: a dry run over two weeks, then the migration of the first week: the target receives exactly what was planned.
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };
const FIRST_WEEK = { since: '2025-09-01', until: '2025-09-05' };
type EposWorld = { marks: Map<number, { lesson: number }> };

describe('migrate: a migration writes only its window', () => {
  const move = useApiMove({ from: 'dnevnik', to: 'epos', dataset: { seed: 7, pupils: 24 }, window: WINDOW });
  const inWindow = (w: { since: string; until: string }) => {
    const lessons = new Set(move.school.all('lesson').filter((l) => l.date >= w.since && l.date <= w.until).map((l) => l.id));
    return move.school.all('mark').filter((m) => lessons.has(m.lessonId)).length;
  };

  it('dry run over two weeks, then --until the first week\'s Friday: the target receives the first week only, as planned', async () => {
    expect((await move.migrate({ dryRun: true })).code).toBe(0);
    // A dry run of the first week predicts what its real run then sends.
    expect((await move.migrate({ dryRun: true, ...FIRST_WEEK })).code).toBe(0);
    const predicted = move.report().plan.toCreate;
    const { code } = await move.migrate(FIRST_WEEK);
    const r = move.report();
    const onTarget = (move.target as unknown as { world: EposWorld }).world.marks.size;
    console.log('migrate-window-push', JSON.stringify({ code, ok: r.ok, planned: r.plan.toCreate, pushed: r.steps.find((s) => s.kind === 'grade-push')?.pushed, onTarget, firstWeek: inWindow(FIRST_WEEK), twoWeeks: inWindow(WINDOW) }));
    expect(inWindow(FIRST_WEEK)).toBeLessThan(inWindow(WINDOW));
    expect(r.plan.toCreate.mark).toBe(inWindow(FIRST_WEEK));
    expect(onTarget).toBe(r.plan.toCreate.mark);
    // Marks and absences alike: the push applies what the plan promised, no more.
    const pushed = r.steps.find((s) => s.kind === 'grade-push')?.pushed;
    expect(pushed?.applied).toBe((r.plan.toCreate.mark ?? 0) + (r.plan.toCreate.attendance_record ?? 0));
    expect(r.plan.toCreate).toEqual(predicted);
    expect(code).toBe(0);
    expect(r.ok).toBe(true);
  }, 300_000);

  it('the second week was left pending, not lost: the migration of both weeks then writes it', async () => {
    const { code } = await move.migrate();
    const r = move.report();
    const onTarget = (move.target as unknown as { world: EposWorld }).world.marks.size;
    expect(onTarget).toBe(inWindow(WINDOW));
    expect(code).toBe(0);
    expect(r.ok).toBe(true);
  }, 300_000);
});
