// What the system of record's read proves a move (src/sync/moved-lessons.ts findMovedLessons): the same platform id
// now on another day or period of the same section, the old day inside the days read and empty there. A platform id
// re-used for another group's lesson, a day outside the read, or an old key still taken is not a move — re-keying on
// it would tombstone a lesson and its marks that are still there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { lessonId } from '../../src/model/ids.js';
import type { CanonicalRecord, LessonRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { findMovedLessons, rekeyMovedLessons } from '../../src/sync/moved-lessons.js';

const run = { system: 'epos' as const, instance: 'sor', runId: 'r1', mapperVersion: 't' };
const school = generateSchool({ seed: 2, pupils: 10, weeks: 1 });
const lessons = school.records.filter((r): r is LessonRecord => r.entity === 'lesson');
const week = [{ from: '2025-09-01', to: '2025-09-07' }];

/** The lesson as a read would bring it: another date or section, the same platform id. */
function asRead(l: LessonRecord, change: { date?: string; sectionId?: string; lessonNumber?: number }): LessonRecord {
  const next = { ...l, ...change };
  return { ...next, id: lessonId(next.sectionId, next.date, next.lessonNumber), sourceRefs: [{ system: 'epos', instance: 'sor', sourceId: `x-${l.id}`, kind: 'lesson' }] };
}

describe('findMovedLessons', () => {
  let store: CanonicalStore;
  // Two lessons of one section in the week.
  const [a, b] = lessons.filter((l) => l.sectionId === lessons.find((x) => lessons.filter((y) => y.sectionId === x.sectionId).length > 1)!.sectionId);
  const other = lessons.find((l) => l.sectionId !== a.sectionId)!;
  const freeDay = (l: LessonRecord) => ['2025-09-06', '2025-09-05', '2025-09-04'].find((d) => !lessons.some((o) => o.sectionId === l.sectionId && o.date === d && o.lessonNumber === l.lessonNumber))!;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    await store.upsertMany(lessons, { runId: 'r0' });
    await store.link(lessons.map((l) => ({ entity: 'lesson', canonicalId: l.id, system: 'epos', instance: 'sor', sourceId: `x-${l.id}`, sourceIdKind: 'lesson', matchRule: 'natural_key' })), { runId: 'r0' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('the same platform id on a free day of its section, the old day read and empty: moved', async () => {
    const moved = asRead(a, { date: freeDay(a) });
    const found = await findMovedLessons(store, run, [moved], week);
    expect([...found.entries()]).toEqual([[a.id, moved]]);
  });

  it('another section under the same platform id (an id re-used): not a move', async () => {
    const found = await findMovedLessons(store, run, [asRead(a, { sectionId: other.sectionId, date: freeDay(other) })], week);
    expect(found.size).toBe(0);
  });

  it('the old day outside the days read: not proven', async () => {
    const day = freeDay(a);
    const found = await findMovedLessons(store, run, [asRead(a, { date: day })], [{ from: day, to: day }]);
    expect(found.size).toBe(0);
  });

  it('the old key still taken in this read by a lesson that did not move: not a move', async () => {
    const still = { ...a, sourceRefs: [{ system: 'epos' as const, instance: 'sor', sourceId: 'another-id', kind: 'lesson' }] };
    const found = await findMovedLessons(store, run, [asRead(a, { date: freeDay(a) }), still], week);
    expect(found.size).toBe(0);
  });

  it('two lessons of one section swapped: neither re-keyed (each id would return with the other\'s content while the targets\' links point by the old days)', async () => {
    expect(b.sectionId).toBe(a.sectionId);
    const ab = asRead(a, { date: b.date, lessonNumber: b.lessonNumber });
    const ba = asRead(b, { date: a.date, lessonNumber: a.lessonNumber });
    expect((await findMovedLessons(store, run, [ab, ba], week)).size).toBe(0);
  });
});

describe('rekeyMovedLessons', () => {
  it('tombstones the old lesson with every mark on it, a pupil\'s who left since included', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    try {
      await store.upsertMany(school.records, { runId: 'r0' });
      const marks = school.records.filter((r): r is CanonicalRecord & { lessonId: string; studentId: string } => r.entity === 'mark');
      const lesson = lessons.find((l) => new Set(marks.filter((m) => m.lessonId === l.id).map((m) => m.studentId)).size > 0)!;
      const onLesson = marks.filter((m) => m.lessonId === lesson.id);
      const leaver = onLesson[0].studentId;
      const enrollments = school.records.filter((r) => r.entity === 'enrollment' && (r as { personId?: string }).personId === leaver).map((r) => r.id);
      expect(enrollments.length).toBeGreaterThan(0);
      await store.deleteMany('enrollment', enrollments, { reason: 'snapshot_absent', runId: 'r1' });
      await rekeyMovedLessons(store, run, new Map([[lesson.id, asRead(lesson, { date: '2025-09-06' })]]));
      const after = await store.getMany([lesson.id, ...onLesson.map((m) => m.id)]);
      expect([...after.values()].map((r) => r.status)).toEqual([...after.values()].map(() => 'deleted'));
      expect(after.size).toBe(onLesson.length + 1);
    } finally {
      await store.close();
    }
  });
});
