// ЭлЖур as the school's system of record, Дневник.ру a push target holding the roster and timetable only. The roster
// syncs of both, the identity matching (ЭлЖур carries no birth date: every Дневник.ру pupil and teacher is proposed by
// exact name and confirmed as `review merge` confirms it, DECISIONS.md §7), then the journal syncs and the grade push.
// Every mark and absence the store holds is then on Дневник.ру, compared one by one (pupil, lesson, slot, value), and
// Дневник.ру holds nothing else; a second push writes nothing; a mark corrected on ЭлЖур is corrected on Дневник.ру
// by the next night (journal sync, then push).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { markFieldsOf } from '../../src/mappers/dnevnik/codes.js';
import { decidePersonMatch, pendingReview } from '../../src/sync/review.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { nightlyRound, openConflicts, sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-14' };
type Rec = { id: string; status: string; studentId: string; lessonId: string };
type MarkRec = Rec & Parameters<typeof markFieldsOf>[0];

describe('ЭлЖур → Дневник.ру grade push', () => {
  let school: SorAndTarget<EljurEmulator, DnevnikEmulator>;
  let ctx: JobContext;
  let firstPush: RunSummary;

  /** Write requests Дневник.ру has received (its POST routes that list — users/many, lessons/many — are reads). */
  const writes = () => Object.entries(school.target.stats().byRoute)
    .filter(([r]) => /^(POST|PUT|DELETE) /.test(r) && !/authorizations|\/many/.test(r)).reduce((n, [, k]) => n + k, 0);
  /** The store's live records of an entity. */
  const live = async (entity: 'mark' | 'attendance_record') => {
    const out: MarkRec[] = [];
    for await (const r of ctx.store.iterate(entity, { status: 'active' })) out.push(r as unknown as MarkRec);
    return out;
  };
  /** Дневник.ру's ids of canonical records (the target's open crosswalk links). */
  const onTarget = (entity: string, ids: string[]) => ctx.store.sourceIdsFor('dnevnik_ru', 't', entity, [...new Set(ids)]);

  /** Дневник.ру holds every mark and absence of the store, one by one, and nothing else. */
  const expectTargetSameAsStore = async () => {
    const world = school.target.world;
    const [marks, absences] = [await live('mark'), await live('attendance_record')];
    const people = await onTarget('person', [...marks, ...absences].map((r) => r.studentId));
    const lessons = await onTarget('lesson', [...marks, ...absences].map((r) => r.lessonId));
    const markIds = await onTarget('mark', marks.map((m) => m.id));
    const wrong: string[] = [];
    for (const m of marks) {
      const t = world.marks.get(BigInt(markIds.get(m.id) ?? -1));
      // Дневник.ру's `value` is a value of its mark system (the digit, «.»), `textValue` what the teacher wrote («5-»).
      const { type, value, textValue, number } = markFieldsOf(m);
      const want = { person: people.get(m.studentId), lesson: lessons.get(m.lessonId), type, number, value, textValue };
      const got = t && { person: String(t.person), lesson: String(t.lesson), type: t.type, number: t.number, value: t.value, textValue: t.textValue };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${m.id}: ${JSON.stringify(want)} ≠ ${JSON.stringify(got)}`);
    }
    for (const a of absences) {
      if (!world.logEntries.get(`${lessons.get(a.lessonId)}:${people.get(a.studentId)}`)) wrong.push(`absence ${a.id} not on the target`);
    }
    expect(wrong).toEqual([]);
    expect(world.marks.size).toBe(marks.length);
    expect(world.logEntries.size).toBe(absences.length);
  };

  beforeAll(async () => {
    school = await sorAndTarget<EljurEmulator, DnevnikEmulator>({
      sor: 'eljur', target: 'dnevnik', school: generateSchool({ seed: 89, pupils: 20, weeks: 2 }), window, rosterOnly: true,
    });
    ctx = school.ctx;
  }, 240_000);
  afterAll(async () => {
    await school?.close();
  });

  it('the roster syncs propose each Дневник.ру pupil by exact name, and the operator confirms them', async () => {
    const items = (await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match');
    const onInstance = async (id: string, instance: string) => (await ctx.store.crosswalkFor(id)).some((r) => r.instance === instance && r.validTo === null);
    // Дневник.ру's person (dated) proposed as ЭлЖур's (no birth date); pairs inside one platform are not ours to merge.
    const across: typeof items = [];
    for (const i of items) if (i.leftId && i.rightId && await onInstance(i.leftId, 't') && await onInstance(i.rightId, 'sor')) across.push(i);
    const eljurPupils = school.sor.world.pupils.size;
    expect(across.length).toBeGreaterThanOrEqual(eljurPupils);
    expect(across.every((i) => i.score === 1)).toBe(true);
    for (const i of across) await decidePersonMatch(ctx.store, i.id, 'merge', 'test-review', undefined, 'sor');
    expect((await pendingReview(ctx.store)).filter((r) => r.kind === 'person_match' && across.some((a) => a.id === r.id))).toEqual([]);
  }, 120_000);

  it('the push writes every mark and absence into Дневник.ру: the target matches the store one by one', async () => {
    const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
    for (const r of reads) expect([r.instance, r.quarantined]).toEqual([r.instance, 0]);
    [firstPush] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(firstPush.pushed).toMatchObject({ refused: 0, failed: 0, skipped: 0 });
    const [marks, absences] = [await live('mark'), await live('attendance_record')];
    const elj = [...school.sor.world.marksByPupil.values()].flat();
    expect(marks.length).toBe(elj.filter((m) => !m.absence).length);
    expect(absences.length).toBe(elj.filter((m) => m.absence).length);
    expect(marks.length).toBeGreaterThan(100);
    expect(firstPush.pushed!.applied).toBeGreaterThanOrEqual(marks.length + absences.length);
    await expectTargetSameAsStore();
  }, 240_000);

  it('a second push writes nothing', async () => {
    const before = writes();
    expect(before).toBeGreaterThan(0);
    const [again] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(again.pushed).toMatchObject({ applied: 0, refused: 0, failed: 0, skipped: 0 });
    expect(writes()).toBe(before);
    await expectTargetSameAsStore();
  }, 120_000);

  it('a mark corrected on ЭлЖур is corrected on Дневник.ру by the next night', async () => {
    const [person, list] = [...school.sor.world.marksByPupil].find(([, l]) => l.some((m) => !m.absence && /^[2-5]$/.test(m.value)))!;
    const mark = list.find((m) => !m.absence && /^[2-5]$/.test(m.value))!;
    mark.value = mark.value === '5' ? '4' : '5';
    const { reads, awaiting, push } = await nightlyRound(ctx, window);
    expect(reads.find((r) => r.instance === 'sor')!.updated).toBeGreaterThanOrEqual(1);
    // Дневник.ру still held last night's value when it was read: a correction on its way, not a conflict.
    expect(awaiting).toBe(1);
    expect(await openConflicts(ctx)).toEqual([]);
    expect(push.pushed).toMatchObject({ applied: 1, refused: 0, failed: 0 });
    const key = `${school.sor.world.userId.get(person)!}:${mark.lesson.id}:${mark.slot}`;
    const id = (await ctx.store.resolve('eljur', 'sor', 'mark', [key])).get(key)!;
    const target = (await onTarget('mark', [id])).get(id)!;
    expect(school.target.world.marks.get(BigInt(target))?.textValue).toBe(mark.value);
    await expectTargetSameAsStore();
  }, 120_000);
});
