// АСУ РСО keeps a lesson's homework as a homework-type column of the lesson (its name the text, its due day), and the
// reader now takes it (src/mappers/asurso/homework.ts). Before, every lesson read from АСУ РСО came without homework:
// a school moving from АСУ РСО to Дневник.ру (the platform with a route that writes homework) or to ЭлЖур (whose import
// package has a homework column) lost every text. Into АСУ РСО, homework is still not written (no route writes it):
// the plan names it not carried and nothing claims it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { parseCsv } from '../../src/connectors/eljur/import/index.js';
import { asursoInstance } from '../support/emulator-configs.js';
import { useEljurMove } from '../support/eljur-move.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { HOMEWORK_TYPE_ID } from '../../src/connectors/asurso/teacher-api.js';
import { useApiMove } from '../support/api-move.js';
import { expectHomeworkAsWanted, homeworkOn } from '../support/dnevnik-homework.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };
/** The source's held lessons of the window with a homework text. */
const withHomework = (move: { school: SyntheticSchool }) => move.school.all('lesson')
  .filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus === 'held' && l.homework?.text?.trim());

describe('migrate АСУ РСО → Дневник.ру: homework', () => {
  const move = useApiMove({ from: 'asurso', to: 'dnevnik', dataset: { seed: 4, pupils: 20 }, window: WINDOW });
  const target = () => (move.target as DnevnikEmulator).world;
  const homeworkThere = () => homeworkOn(target());

  it('the dry run counts every homework as to create, none as not carried', async () => {
    const { code, printed } = await move.migrate({ dryRun: true });
    expect(code, printed).toBe(0);
    expect(withHomework(move).length).toBeGreaterThan(10);
    expect(move.report().plan.notCarried?.homework).toBeUndefined();
    expect(move.report().plan.toCreate.homework).toBe(withHomework(move).length);
    expect(homeworkThere()).toEqual([]);
  }, 300_000);

  it('the migration writes each lesson\'s homework with its text and due day, and reads it back equal', async () => {
    const want = new Map(withHomework(move).map((l) => [String(target().sourceOf.get(l.id)), l.homework!]));
    // The run exits 1 whatever the homework: АСУ РСО gives no birth dates, so its pupils wait for review on Дневник.ру
    // and their marks wait with them (docs/platforms/asurso.md "Identity"). A lesson's homework waits for nobody.
    const { printed } = await move.migrate();
    expect(printed).toMatch(/unmatched pupils/);
    expectHomeworkAsWanted(homeworkThere(), want);
    expect(move.report().reconciliation?.perEntity.homework).toEqual({ expected: want.size, present: want.size, missing: 0, unexpected: 0, different: 0 });
  }, 300_000);
});

describe('migrate ЭПОС → АСУ РСО: homework is still not written into АСУ РСО', () => {
  const move = useApiMove({ from: 'epos', to: 'asurso', dataset: { seed: 4, pupils: 20 }, window: WINDOW });

  it('the plan names the homework not carried, the run writes none and claims none', async () => {
    const { code, printed } = await move.migrate();
    expect([0, 1], printed).toContain(code);
    const { plan, reconciliation } = move.report();
    expect(plan.notCarried?.homework).toBeGreaterThan(0);
    expect(plan.toCreate.homework).toBeUndefined();
    expect(reconciliation?.perEntity.homework).toBeUndefined();
    expect(printed).toMatch(/NOT carried: the homework of/);
    // No column with a homework text reached АСУ РСО: the only homework-type columns are marks' (named by their type).
    const columns = [...(move.target as AsursoEmulator).world.meetings.values()].flatMap((m) => m.columns).filter((c) => c.typeId === HOMEWORK_TYPE_ID);
    for (const c of columns) expect(c.results.size, c.name).toBeGreaterThan(0);
  }, 300_000);
});

describe('migrate АСУ РСО → ЭлЖур (import package): homework', () => {
  const move = useEljurMove({ platform: 'asurso', instance: asursoInstance, dataset: { pupils: 20 }, window: WINDOW });

  it('lessons.csv holds each lesson\'s homework text, and the imported school reads back with it', async () => {
    await move.migrate({});
    // The store's lesson ids are the gateway's own (АСУ РСО's ids are not the dataset's): compared as texts, each once.
    const texts = parseCsv(readFileSync(path.join(move.packageDir(), 'lessons.csv'), 'utf8')).map((r) => r.homework).filter((t) => t && t !== 'Не задано');
    const given = withHomework(move).map((l) => l.homework!.text!.trim());
    expect(given.length).toBeGreaterThan(10);
    expect(texts.sort()).toEqual(given.sort());
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), move.packageDir());
    const verified = await move.migrate({ verifyImport: true });
    expect(verified.printed).not.toMatch(/\(homework\)/);
    expect(verified.code, verified.printed).toBe(0);
  }, 300_000);
});
