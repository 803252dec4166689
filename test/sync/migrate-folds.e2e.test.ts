// A value the target holds in its own spelling (src/model/mark-spelling.ts). Дневник.ру has one status, Absent, for
// an absence without a valid reason, so an unexcused absence moved there from ЭПОС reads back without a reason. Every
// such absence was a "different (reason)" no re-run could clear (exit 1 for ever), the plan did not warn, and from the
// third run on each opened a conflict in the review queue. Now the plan names the fold before anything is written,
// the reconciliation counts the records as held in the target's spelling, and journal sync raises no conflict.
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate ЭПОС → Дневник.ру: unexcused absences held without a reason', () => {
  const move = useApiMove({ from: 'epos', to: 'dnevnik', dataset: { seed: 11, pupils: 40 }, window: WINDOW });
  const unexcused = () => {
    const lessons = new Set(move.school.all('lesson').filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until).map((l) => l.id));
    return move.school.all('attendance_record').filter((a) => lessons.has(a.lessonId) && a.kind === 'absent' && a.reason === 'unexcused').length;
  };

  it('the dry run names them before anything is written', async () => {
    expect(unexcused()).toBeGreaterThan(0);
    const { code, printed } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    expect(move.report().plan.folded).toEqual({ 'unexcused-as-unknown': unexcused() });
    expect(printed).toContain(`NOT carried exactly: ${unexcused()} attendance_record record(s) absent without a valid reason are held without a reason (one status, Absent, for both) on dnevnik-new`);
  }, 180_000);

  it('the migration reconciles with them counted in the target\'s spelling, not as differences: nothing lost', async () => {
    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(r.reconciliation?.differences).toEqual([]);
    expect(r.reconciliation?.folded).toEqual({ attendance_record: unexcused() });
    expect(r.reconciliation?.perEntity.attendance_record.different).toBe(0);
    expect(r.ok).toBe(true);
    expect(code).toBe(0);
    expect(printed).toMatch(/attendance_record +expected \d+, present \d+, missing 0, unexpected 0, different 0, in dnevnik-new's own spelling \d+/);
  }, 180_000);

  it('later runs find nothing to do and open no conflict over them', async () => {
    for (let run = 0; run < 2; run++) {
      const { code } = await move.migrate();
      expect(code).toBe(0);
      expect(move.report().plan.conflicts).toBe(0);
      expect(move.report().plan.toCreate.attendance_record).toBe(0);
    }
  }, 240_000);
});
