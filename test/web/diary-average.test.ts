// R-13 in the parents' diary: the weighted average is of a grading period — the quarter holding the pupil's latest
// mark — and the page says which; a mark of the next quarter starts a new average instead of dragging the old one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecord, type CanonicalRecord, type MarkRecord, type LessonRecord, type SectionRecord, type SubjectRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { pupilDiary } from '../../src/web/diary.js';
import { diaryPage } from '../../src/web/render.js';
import { DEMO_IDS, demoSchoolRecords } from '../../src/web/demo-school.js';

describe('diary averages are of a period', () => {
  let store: CanonicalStore;
  let records: CanonicalRecord[];
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    records = demoSchoolRecords();
    await store.upsertMany(records, { runId: 'load' });
  });
  afterEach(async () => { await store.close(); });

  it("the first quarter's average, then the second quarter's alone once its first mark is in", async () => {
    const first = (await pupilDiary(store, DEMO_IDS.ivan))!;
    expect(first.averagePeriod?.title).toBe('1 четверть');
    expect(first.subjects.find((s) => s.subject === 'Математика')?.average).toBe(4.22);
    expect(diaryPage(first, { csrf: 'x' })).toContain('Средний балл (взвешенный, 1 четверть)');

    // The second quarter begins; the teacher gives Иван a «2» in mathematics.
    const q1 = records.find((r) => r.entity === 'academic_session' && (r as { kind: string }).kind === 'quarter')!;
    const { id: _i, entity: _e, version: _v, updatedAt: _u, contentHash: _c, status: _s, sourceRefs, provenance, ...q1Fields } = q1;
    const q2 = buildRecord('academic_session', { ...(q1Fields as Record<string, unknown>), title: '2 четверть', startDate: '2025-11-05', endDate: '2025-12-28', sequence: 2 } as never, { id: '0198c4c6-8001-7043-9bb9-000000000a2a', sourceRefs, provenance });
    const math = records.find((r) => r.entity === 'subject' && (r as SubjectRecord).title === 'Математика')!;
    const mathMark = records.find((r) => r.entity === 'mark' && (r as MarkRecord).studentId === DEMO_IDS.ivan
      && (records.find((l) => l.id === (r as MarkRecord).lessonId) as LessonRecord | undefined)?.sectionId
        === records.find((s) => s.entity === 'section' && (s as SectionRecord).subjectId === math.id)?.id) as MarkRecord;
    const { id: _mi, entity: _me, version: _mv, updatedAt: _mu, contentHash: _mc, status: _ms, sourceRefs: mRefs, provenance: mProv, ...markFields } = mathMark;
    const later = buildRecord('mark', { ...markFields, raw: '2', base: 2, numeric: 2, markDate: '2025-11-10', weightApplied: 60 } as never, { id: '0198c4c6-8001-7043-9bb9-0000000000bb', sourceRefs: mRefs, provenance: mProv });
    await store.upsertMany([q2, later], { runId: 'q2' });

    const second = (await pupilDiary(store, DEMO_IDS.ivan))!;
    expect(second.averagePeriod?.title).toBe('2 четверть');
    expect(second.subjects.find((s) => s.subject === 'Математика')?.average).toBe(2);
    // The quarter's marks are all still listed; only the average starts over.
    expect(second.subjects.find((s) => s.subject === 'Математика')!.marks.length).toBe(first.subjects.find((s) => s.subject === 'Математика')!.marks.length + 1);
  });
});
