// Audit (person merges), the push after a teacher merge, lessons: a merge re-stamps every lesson the merged-away teacher
// taught (its scheduled teacher: a new version, merged-teacher.ts), but a lesson's write carries its homework alone
// (Дневник.ру, the one platform with a route for it). Before, the same-as-pushed skip left lessons out — their
// `pushed_hash` left out the homework on Дневник.ру and held the scheduled teacher — so the push after a merge sent
// each re-stamped lesson with a homework to Дневник.ру again (its writer reading the class's lessons to answer
// `unchanged`). АСУ РСО is the system of record here and Дневник.ру the target: the mirror of
// audit-merge-teacher-push.e2e.test.ts's school.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOMEWORK_TYPE_ID } from '../../src/connectors/asurso/teacher-api.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { AsursoEmulator } from '../../src/emulators/asurso/index.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { LessonRecord } from '../../src/model/index.js';
import { ledgerKey } from '../../src/store/index.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { acceptPupils, dnevnikAsursoSchool, mergeTeachers } from '../support/dnevnik-asurso-school.js';
import { homeworkOn } from '../support/dnevnik-homework.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('audit: the push after a teacher merge sends Дневник.ру no lesson whose homework it holds as written', () => {
  const dataset = generateSchool({ seed: 73, pupils: 12, weeks: 1 });
  let sor: AsursoEmulator; let t2: DnevnikEmulator;
  let ctx: JobContext;
  /** Lessons with a homework re-stamped by the merge (a new version, only their teacher changed). */
  let restamped: LessonRecord[] = [];
  let firstPush: RunSummary;
  let afterMerge: RunSummary;
  let lessonRequestsAfterMerge = 0;
  /** Дневник.ру's requests of a lesson write so far: the class's lessons read (homework-writer.ts), homework works posted. */
  const lessonRequests = () => Object.entries(t2.stats().byRoute).filter(([route]) => /lessons|works/.test(route)).reduce((n, [, k]) => n + k, 0);

  beforeAll(async () => {
    const school = await dnevnikAsursoSchool(dataset, window, 'asurso');
    sor = school.sor as AsursoEmulator; t2 = school.t2 as DnevnikEmulator; ctx = school.ctx;
    const teachers = await acceptPupils(ctx.store);
    [firstPush] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    const versionBefore = await ctx.store.currentVersion();
    await mergeTeachers(ctx.store, teachers);
    const updated = new Set<string>();
    for await (const ch of ctx.store.changesSince(versionBefore)) if (ch.op === 'update' && ch.entity === 'lesson') updated.add(ch.canonicalId);
    restamped = ([...(await ctx.store.getMany([...updated])).values()] as LessonRecord[]).filter((l) => l.homework?.text?.trim());
    const before = lessonRequests();
    [afterMerge] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    lessonRequestsAfterMerge = lessonRequests() - before;
  }, 300_000);
  afterAll(async () => {
    await ctx?.close(); await sor?.close(); await t2?.close();
  });

  it('the homework was on Дневник.ру before the merge, and the merge re-stamped lessons holding one', () => {
    expect(firstPush.pushed!.failed).toBe(0);
    expect(homeworkOn(t2.world).length).toBeGreaterThan(5);
    expect(restamped.length).toBeGreaterThan(5);
  });

  it('the next push makes no lesson request to Дневник.ру: each re-stamped lesson is done as the same as pushed', async () => {
    expect(lessonRequestsAfterMerge).toBe(0);
    expect(afterMerge.pushed).toMatchObject({ applied: 0, refused: 0, failed: 0 });
    expect(afterMerge.sameAsPushed).toBeGreaterThanOrEqual(restamped.length);
    const rows = await ctx.store.ledgerGetMany(restamped.map((l) => ledgerKey('t2', 'lesson', l.id, l.version)));
    for (const l of restamped) expect(rows.get(ledgerKey('t2', 'lesson', l.id, l.version))?.state, l.id).toBe('confirmed');
  });

  it('a lesson whose homework changed after the merge is sent (and Дневник.ру, with no route to change a work, refuses it)', async () => {
    const lesson = restamped[0];
    const onSor = (await ctx.store.crosswalkFor(lesson.id)).find((r) => r.instance === 'sor' && r.validTo === null)!;
    const meeting = sor.world.meetings.get(Number(onSor.sourceId))!;
    // The homework column (a marked work of the homework type is one too, under its own title).
    const column = meeting.columns.find((c) => c.typeId === HOMEWORK_TYPE_ID && c.name === lesson.homework!.text)!;
    column.name = `${column.name} (уточнено: с. 12, № 3)`;
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
    const changed = (await ctx.store.get(lesson.id)) as LessonRecord;
    expect(changed.version).toBeGreaterThan(lesson.version);
    expect(changed.homework?.text).toBe(column.name);
    const before = lessonRequests();
    const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(lessonRequests() - before).toBeGreaterThan(0);
    expect(push.pushed).toMatchObject({ applied: 0, refused: 1, failed: 0 });
    const row = (await ctx.store.ledgerGetMany([ledgerKey('t2', 'lesson', lesson.id, changed.version)])).get(ledgerKey('t2', 'lesson', lesson.id, changed.version));
    expect(row?.state).toBe('refused');
    expect(row?.lastError).toMatch(/holds another homework/);
  }, 120_000);
});
