// Re-key benchmark: how many store queries, and how long, a review merge of a pupil with 2,000 marks
// (decidePersonMatch → rekeyJournal) and a whole day's lessons moved in a 1,000-pupil school
// (rekeyMovedLessons) take. Both closed each record's platform links after looking them up one record at a
// time; the figures before/after the bulk look-up (Store.openCrosswalkFor) and the bulk close
// (Store.closeCrosswalkMany) are in docs/sync.md.
// Synthetic records only.
//
//   npx tsx bench/merge-rekey.ts [pglite|postgres] [marks] [pupils]
import { buildRecord, lessonId, markId, mintId, naturalId, type CanonicalRecord, type LessonRecord } from '../src/model/index.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { linkOf, measure, openBenchStore, type Backend } from './kit/query-count.js';
import { rekeyMovedLessons } from '../src/sync/moved-lessons.js';
import { decidePersonMatch } from '../src/sync/review.js';

const backend = (process.argv[2] ?? 'pglite') as Backend;
const MARKS = Number(process.argv[3] ?? 2_000);
const PUPILS = Number(process.argv[4] ?? 1_000);
const prov = { system: 'dnevnik_ru' as const, instance: 'sor', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r0', mapperVersion: 'bench' };
const open = () => openBenchStore(backend);

async function mergeBench(): Promise<{ queries: number; ms: number }> {
  const { store, close } = await open();
  try {
    const [loser, winner] = [mintId(), mintId()];
    const person = (id: string, instance: string) => buildRecord('person', { familyName: 'Тестов', givenName: 'Тест', enabled: true }, {
      id, sourceRefs: [{ system: 'dnevnik_ru', instance, sourceId: `p-${id}`, kind: 'id' }], provenance: { ...prov, instance },
    });
    const marks: CanonicalRecord[] = [];
    for (let i = 0; marks.length < MARKS; i++) {
      const lesson = mintId();
      for (const slot of [1, 2] as const) {
        if (marks.length < MARKS) {
          marks.push(buildRecord('mark', {
            studentId: loser, workId: mintId(), lessonId: lesson, slot, raw: '5', base: 5, modifier: 'none', numeric: 5, state: 'graded', weightApplied: 10,
            markDate: '2026-01-09', recordedAt: '2026-01-09T10:00:00Z', recordedBy: winner,
          }, { id: markId(loser, lesson, slot), sourceRefs: [{ system: 'dnevnik_ru', instance: 'sor', sourceId: `m${i}-${slot}`, kind: 'mark' }], provenance: prov }));
        }
      }
    }
    const people = [person(loser, 'sor'), person(winner, 't')];
    await store.upsertMany([...people, ...marks], { runId: 'r0' });
    await store.link([...people, ...marks].map(linkOf), { runId: 'r0' });
    const candidate = buildRecord('match_candidate', { candidateEntity: 'person', leftId: loser, rightId: winner, rule: 'name_exact_no_birthdate', score: 1, decision: 'pending', at: '2026-01-10T00:00:00Z' }, {
      id: naturalId('match_candidate', loser, winner), sourceRefs: [{ system: 'dnevnik_ru', instance: 'sor', sourceId: loser, kind: 'match' }], provenance: prov,
    });
    await store.upsertMany([candidate], { runId: 'r0' });
    const m = await measure(store, () => decidePersonMatch(store, candidate.id, 'merge', 'bench', undefined, 'sor'));
    // A sanity check that the bench measured a real re-key.
    if ((await store.referencing('mark', 'studentId', [winner])).length !== MARKS) throw new Error('the marks did not move');
    return m;
  } finally {
    await close();
  }
}

async function movedDayBench(): Promise<{ queries: number; ms: number; records: number; lessons: number }> {
  const { store, close } = await open();
  try {
    const school = generateSchool({ seed: 3, pupils: PUPILS, weeks: 1 });
    await store.upsertMany(school.records, { runId: 'r0' });
    await store.link(school.records.filter((r) => r.sourceRefs.length > 0).map(linkOf), { runId: 'r0' });
    const lessons = school.records.filter((r): r is LessonRecord => r.entity === 'lesson');
    const day = lessons[0].date;
    // The whole day moved to a Sunday (no lessons there).
    const moved = new Map(lessons.filter((l) => l.date === day).map((l) => [l.id, { ...l, date: '2025-09-07', id: lessonId(l.sectionId, '2025-09-07', l.lessonNumber) }]));
    const run = { system: school.records[0].sourceRefs[0].system, instance: school.records[0].sourceRefs[0].instance, runId: 'bench', mapperVersion: 'bench' };
    let records = 0;
    const m = await measure(store, async () => { records = (await rekeyMovedLessons(store, run as never, moved)).deleted; });
    return { ...m, records, lessons: moved.size };
  } finally {
    await close();
  }
}

const merge = await mergeBench();
console.log(`${backend}: review merge of a pupil with ${MARKS} marks: ${merge.queries} queries, ${merge.ms} ms`);
const day = await movedDayBench();
console.log(`${backend}: a day moved in a ${PUPILS}-pupil school (${day.lessons} lessons, ${day.records} records tombstoned): ${day.queries} queries, ${day.ms} ms`);
