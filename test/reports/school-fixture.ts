// A small synthetic school (seed 3: 33 pupils, 9 weeks — the whole first quarter) loaded into an in-memory
// store, with a few deliberate edits whose effect on the reports is known:
// - one pupil's marks on one journal page are deleted for the quarter, another's cut to a single graded mark
//   (R-39 «без отметок» / «с одной отметкой», R-11 below the minimum);
// - ten September marks get publishedToFamilyAt: six within a day, four later.
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { MarkRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';

export const Q1 = { title: '1 четверть', from: '2025-09-01', to: '2025-10-24' };

export interface ReportFixture {
  school: SyntheticSchool;
  store: CanonicalStore;
  schoolId: string;
  /** Ids tombstoned in the store; expectations leave them out. */
  deleted: Set<string>;
  /** The page and pupils the deletions hit. */
  page: { sectionId: string; emptied: string; single: string };
  /** Marks published late (> 24 h) and on time. */
  published: { late: MarkRecord[]; onTime: MarkRecord[] };
  /** Live marks as the store holds them. */
  liveMarks: () => MarkRecord[];
}

export async function buildFixture(): Promise<ReportFixture> {
  const school = generateSchool({ seed: 3, pupils: 33, weeks: 9 });
  const schoolId = school.schools()[0].id;
  const inQ1 = (d: string) => d >= Q1.from && d <= Q1.to;

  // A page of a class above the 1st grade with at least two pupils who have graded marks in Q1.
  const section = school.all('section').find((s) => {
    const c = school.get('homeroom_class', s.homeroomClassId)!;
    return c.gradeLevel >= 5 && s.weeklyHours >= 2 && school.studentsOf(s.id).length >= 2;
  })!;
  const [emptied, single] = school.studentsOf(section.id).map((p) => p.id);
  const marksOn = (pupil: string) => school.marksOfStudent(pupil)
    .filter((m) => inQ1(m.markDate) && school.get('lesson', m.lessonId)!.sectionId === section.id);
  const singleGraded = marksOn(single).filter((m) => m.state === 'graded');
  const deleted = new Set<string>([
    ...marksOn(emptied).map((m) => m.id),
    ...marksOn(single).filter((m) => m !== singleGraded[0]).map((m) => m.id),
  ]);

  const september = school.all('mark').filter((m) => m.state === 'graded' && m.markDate.startsWith('2025-09') && !deleted.has(m.id)).slice(0, 10);
  const later = (m: MarkRecord, hours: number) => new Date(Date.parse(m.recordedAt) + hours * 3600_000).toISOString();
  september.forEach((m, i) => { m.publishedToFamilyAt = later(m, i < 6 ? 2 + i : 25 + i * 3); });

  const store = await openStore({ dataDir: 'memory://' });
  await store.upsertMany(school.records, { runId: 'reports-fixture' });
  await store.deleteMany('mark', [...deleted], { reason: 'manual', runId: 'reports-fixture' });
  return {
    school, store, schoolId, deleted,
    page: { sectionId: section.id, emptied, single },
    published: { onTime: september.slice(0, 6), late: september.slice(6) },
    liveMarks: () => school.all('mark').filter((m) => !deleted.has(m.id)),
  };
}
