// Final marks no target can be written (no platform publishes a route) are to enter by hand in the target, and the
// report gives what the school needs for each: class, subject, period, value and the pupil — by their id on the target,
// since the migration report names no one. Before, the report listed `Итоговые отметки <uuid> missing` only, and the
// plan counted them "to create" beside "NOT writable". Дневник.ру → ЭПОС.Школа, a dry run over the first quarter.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { useApiMove } from '../support/api-move.js';

type Linked = RunningEmulator & { world: { sourceOf: Map<string, string> } };

describe('migrate: final marks to enter by hand', () => {
  // 1 September – 31 October: the first quarter (ends 24 October) has its final marks in the source.
  const move = useApiMove({ from: 'dnevnik', to: 'epos', dataset: { seed: 51, pupils: 6, weeks: 9 }, window: { since: '2025-09-01', until: '2025-10-31' } });

  it('the plan counts them to enter by hand, not to create, and the report lists each with class, subject, period, value and pupil', async () => {
    const finals = move.school.all('final_mark');
    expect(finals.length).toBeGreaterThan(10);
    const { code, printed } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    const plan = move.report().plan;
    expect(plan.notWritable).toEqual({ final_mark: finals.length });
    expect(plan.toEnterByHand).toEqual({ final_mark: finals.length });
    expect(plan.toCreate.final_mark).toBeUndefined();
    expect(printed).toContain(`to enter by hand {"final_mark":${finals.length}}`);
    expect(printed).toContain(`NOT writable: ${finals.length} final_mark record(s) — epos-new has no route to write them; ${finals.length} to enter there by hand`);

    // Each as the dataset has it, the pupil by their ЭПОС id.
    const titleOf = (id: string) => (move.school.byId(id) as unknown as { title: string }).title;
    const pupilOnTarget = (move.target as Linked).world.sourceOf;
    const want = finals.map((f) => {
      const section = move.school.get('section', f.sectionId)!;
      return [titleOf(section.homeroomClassId), f.raw, pupilOnTarget.get(f.studentId), titleOf(f.periodId)].join('|');
    }).sort();
    const rows = plan.finalsByHand!;
    expect(rows.map((f) => [f.class, f.value, f.pupilTargetId, f.period].join('|')).sort()).toEqual(want);
    for (const f of rows) expect(f.subject).not.toBe('?');

    // The HTML is the school's work list: every row, with the subject and the pupil's ЭПОС id.
    const html = readFileSync(path.join(move.reportsDir(), 'migration-s1-dnevnik-old-epos-new-dry-run.html'), 'utf8');
    expect(html).toContain('Итоговые отметки, которые нужно внести в epos-new вручную');
    for (const f of rows) expect(html).toContain(`<td>${f.class}</td><td>${f.subject}</td><td>${f.period}</td><td>${f.value}</td><td><code>${f.pupilTargetId}</code></td>`);
    // No pupil's name anywhere: terminal, JSON or HTML.
    const json = readFileSync(path.join(move.reportsDir(), 'migration-s1-dnevnik-old-epos-new-dry-run.json'), 'utf8');
    for (const p of move.school.all('person').slice(0, 20)) for (const text of [printed, json, html]) expect(text).not.toContain(p.familyName);
  }, 300_000);
});
