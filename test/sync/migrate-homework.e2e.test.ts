// Homework moves with the school into Дневник.ру, the one platform with a route that writes it (POST works of type
// Homework, src/connectors/dnevnik/homework-writer.ts). Before, every migration named homework "NOT carried" and the
// school lost its assignments on the move; topics still have no route anywhere.
import { describe, expect, it } from 'vitest';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { EposEmulator } from '../../src/emulators/epos/index.js';
import { useApiMove } from '../support/api-move.js';
import { expectHomeworkAsWanted, homeworkOn } from '../support/dnevnik-homework.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate ЭПОС → Дневник.ру: homework', () => {
  const move = useApiMove({ from: 'epos', to: 'dnevnik', dataset: { seed: 5, pupils: 30 }, window: WINDOW });
  const target = () => (move.target as DnevnikEmulator).world;
  /** The source's lessons of the window with a homework text, by the target's lesson id. */
  const expected = () => {
    const w = target();
    return new Map(move.school.all('lesson')
      .filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus === 'held' && l.homework?.text?.trim())
      .map((l) => [String(w.sourceOf.get(l.id)), l.homework!]));
  };
  const homeworkThere = () => homeworkOn(target());

  it('the dry run counts homework as carried and writes nothing', async () => {
    const { code, printed } = await move.migrate({ dryRun: true });
    expect(code).toBe(0);
    expect(move.report().plan.notCarried?.homework).toBeUndefined();
    expect(move.report().plan.notCarried?.topic).toBeGreaterThan(0); // no platform writes a topic
    expect(printed).not.toMatch(/NOT carried: the homework of/);
    // ...and to create: the plan said nothing of the hundreds the run then wrote.
    expect(move.report().plan.toCreate.homework).toBe(expected().size);
    expect(move.report().plan.alreadyThere.homework).toBe(0);
    expect(homeworkThere()).toEqual([]);
  }, 180_000);

  it('the migration writes each lesson\'s homework once, with its text and due day', async () => {
    const want = expected();
    expect(want.size).toBeGreaterThan(10);
    const { code } = await move.migrate();
    expect(code).toBe(0);
    expectHomeworkAsWanted(homeworkThere(), want);
    const push = move.report().steps.find((s) => s.kind === 'grade-push')!;
    expect(push.pushed!.failed).toBe(0);
    // The reconciliation reads it back: every homework there, equal.
    expect(move.report().reconciliation?.perEntity.homework).toEqual({ expected: want.size, present: want.size, missing: 0, unexpected: 0, different: 0 });
  }, 180_000);

  it('a second migration writes no homework again', async () => {
    const before = homeworkThere().length;
    const { code } = await move.migrate();
    expect(code).toBe(0);
    expect(homeworkThere()).toHaveLength(before);
    expect(move.report().plan).toMatchObject({ toCreate: { homework: 0 }, alreadyThere: { homework: before } });
  }, 180_000);

  it('a homework a teacher deleted on Дневник.ру since is written again by the next run: nothing lost', async () => {
    const gone = homeworkThere()[1];
    const { lesson, text } = gone;
    gone.text = ''; // what the read sees of a removed homework: the lesson holds none
    await move.migrate({ dryRun: true });
    expect(move.report().plan.toUpdate?.homework).toBe(1);
    const { code } = await move.migrate();
    expect(code).toBe(0);
    expect(homeworkThere().filter((w) => w.lesson === lesson && w.text)).toEqual([expect.objectContaining({ text })]);
    expect(move.report().reconciliation?.perEntity.homework.different).toBe(0);
  }, 180_000);

  it('a homework changed on Дневник.ру since is listed as a difference (no route changes it back): not "nothing lost"', async () => {
    const [edited] = homeworkThere();
    edited.text = 'Выучить стихотворение';
    const { code, printed } = await move.migrate();
    expect(code).toBe(1);
    const r = move.report();
    expect(r.reconciliation?.perEntity.homework.different).toBe(1);
    expect(r.reconciliation?.differences).toEqual([expect.objectContaining({ entity: 'lesson', kind: 'different', fields: ['homework'] })]);
    expect(printed).toMatch(/different: lesson [0-9a-f-]+ \(homework\)/);
    expect(homeworkThere().filter((w) => w.lesson === edited.lesson)).toHaveLength(1); // not written a second time
  }, 180_000);
});

describe('migrate ЭПОС → Дневник.ру: a homework removed at the source after the move', () => {
  const move = useApiMove({ from: 'epos', to: 'dnevnik', dataset: { seed: 5, pupils: 20 }, window: WINDOW });

  it('is listed (no route removes it there), and the run is not "nothing lost"', async () => {
    expect((await move.migrate()).code).toBe(0);
    const source = (move.source as unknown as EposEmulator).world;
    const item = [...source.schedule.values()].find((x) => x.homework && x.date >= WINDOW.since && x.date <= WINDOW.until)!;
    item.homework = null;
    const { code, printed } = await move.migrate();
    // Дневник.ру still shows it to the pupils: before, the lesson only dropped out of what was expected.
    expect(code).toBe(1);
    const r = move.report();
    expect(r.reconciliation?.perEntity.homework.unexpected).toBe(1);
    expect(r.reconciliation?.differences).toEqual([expect.objectContaining({ entity: 'lesson', kind: 'unexpected', fields: ['homework'] })]);
    expect(printed).toMatch(/unexpected: lesson [0-9a-f-]+ \(homework\)/);
  }, 300_000);
});
