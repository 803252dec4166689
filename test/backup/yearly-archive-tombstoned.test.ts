// a class or subject group roster sync tombstoned (it left the platform's roster: a graduating class at the end
// of June, a group re-formed in January) still has a year of marks that are the school's record. The class journals
// and the summary sheet keep them; `--check` counts such a class; a tombstoned group without lessons is not archived.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSchoolYear } from '../../src/backup/documents/school-year.js';
import { soleSchool } from '../../src/backup/run-backup.js';
import { yearlyArchive, yearlyArchiveGaps } from '../../src/backup/yearly-archive.js';
import { buildRecord, type FinalMarkRecord, type LessonRecord, type MarkRecord, type SectionRecord } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { classJournalFile, collect, filledStore, keyPair, mediaReady, tempDir } from './fixtures.js';

describe('yearly archive: classes and groups roster sync removed', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanup) await c(); });
  const keys = keyPair();
  async function setUp(weeks: number) {
    const store = await filledStore({ weeks });
    const root = await tempDir();
    const media = await mediaReady([{ name: 'a', medium: 'disk-a', room: 'r101', path: path.join(root, 'a') }, { name: 'b', medium: 'nas', room: 'r204', path: path.join(root, 'b') }]);
    cleanup.push(() => store.close(), () => rm(root, { recursive: true, force: true }));
    const org = await soleSchool(store);
    const archive = (runId: string, at: string, amend = false) => yearlyArchive(store, {
      organizationId: org, schoolYear: 2026, runId, signer: keys.signer, verifier: keys.verifier, ...(amend ? { amend } : {}),
      destinations: media,
      now: () => new Date(at),
    });
    return { store, org, archive };
  }
  const sectionOfSomeMark = async (store: CanonicalStore) => {
    const marks = (await collect(store.iterate('mark', { status: 'active' }))) as MarkRecord[];
    const lesson = (await store.get(marks[10].lessonId)) as LessonRecord;
    const section = (await store.get(lesson.sectionId)) as SectionRecord;
    const lessonIds = new Set((await collect(store.iterate('lesson'))).filter((l) => (l as LessonRecord).sectionId === section.id).map((l) => l.id));
    return { section, marks: marks.filter((m) => lessonIds.has(m.lessonId)) };
  };

  it('the marks of a group tombstoned mid-year stay in its class journal', async () => {
    const { store, archive } = await setUp(4);
    const { section, marks } = await sectionOfSomeMark(store);
    expect(marks.length).toBeGreaterThan(3);
    await store.deleteRecord('section', section.id, { reason: 'snapshot_absent', evidence: 'group re-formed', runId: 'roster-9' });
    const r = await archive('archive', '2026-06-25T10:00:00Z');
    const snap = r.classJournals.find((s) => s.homeroomClassId === section.homeroomClassId)!;
    const csv = await readFile(await classJournalFile(snap.copies[0].location!, 'csv'), 'utf8');
    const lessons = new Map((await collect(store.iterate('lesson'))).map((l) => [l.id, l as LessonRecord]));
    const title = ((await store.get(section.subjectId)) as { title: string }).title;
    const lines = csv.split('\r\n');
    const printed = marks.filter((m) => {
      const l = lessons.get(m.lessonId)!;
      return lines.some((x) => x.includes(`,${title},${l.date},${l.lessonNumber},${m.studentId},`) && x.endsWith(`,mark,${m.raw}`));
    });
    expect(printed).toHaveLength(marks.length);
  }, 120_000);

  it('a class tombstoned mid-year still gets its class journal, and --check expects it', async () => {
    const { store, org, archive } = await setUp(4);
    const { section } = await sectionOfSomeMark(store);
    const cls = section.homeroomClassId;
    await store.deleteRecord('homeroom_class', cls, { reason: 'snapshot_absent', evidence: 'classes merged', runId: 'roster-9' });
    expect((await yearlyArchiveGaps(store, org, 2026)).classesMissing).toContain(cls);
    const r = await archive('archive', '2026-06-25T10:00:00Z');
    expect(r.classJournals.some((s) => s.homeroomClassId === cls)).toBe(true);
    expect((await yearlyArchiveGaps(store, org, 2026)).classesMissing).toEqual([]);
  }, 120_000);

  it('a group deleted as a duplicate, or tombstoned without a single lesson, is not archived', async () => {
    const { store, org } = await setUp(1);
    const before = await loadSchoolYear(store, org, 2026);
    const [cls] = before.classes;
    const [withJournal] = before.sectionsByClass.get(cls.id)!;
    await store.deleteRecord('section', withJournal.id, { reason: 'merged', evidence: 'duplicate', runId: 'r' });
    const { id: _i, entity: _e, status: _s, version: _v, updatedAt: _u, contentHash: _c, sourceRefs: _r, provenance, ...fields } = withJournal;
    const empty = buildRecord('section', { ...fields, title: 'пустая группа' } as never, { id: '0199aaaa-0000-7000-8000-0000000000e1', sourceRefs: [], provenance });
    await store.upsert(empty, { runId: 'r' });
    await store.deleteRecord('section', empty.id, { reason: 'snapshot_absent', evidence: 'never used', runId: 'r' });
    const after = await loadSchoolYear(store, org, 2026);
    const ids = after.sectionsByClass.get(cls.id)?.map((s) => s.id) ?? [];
    expect(ids).not.toContain(withJournal.id);
    expect(ids).not.toContain(empty.id);
  }, 120_000);

  it('an August re-issue of the summary sheet keeps the rows of a class that graduated after the June run', async () => {
    const { store, org, archive } = await setUp(10);
    const june = await archive('june', '2026-06-25T10:00:00Z');
    const y = await loadSchoolYear(store, org, 2026);
    const rowsOf = (csv: string, title: string) => csv.split('\r\n').filter((l) => l.startsWith(`${title},`)).length;
    const juneCsv = await readFile(path.join(june.summarySheet!.copies[0].location!, 'summary-sheet.csv'), 'utf8');
    const graduating = [...y.classes].sort((a, b) => rowsOf(juneCsv, b.title) - rowsOf(juneCsv, a.title))[0];
    const juneRows = rowsOf(juneCsv, graduating.title);
    expect(juneRows).toBeGreaterThan(0);
    await store.deleteRecord('homeroom_class', graduating.id, { reason: 'snapshot_absent', evidence: 'graduated', runId: 'roster-july' });
    // A retake in another class in August.
    const otherSections = new Set([...y.sectionsByClass.entries()].filter(([c]) => c !== graduating.id).flatMap(([, s]) => s.map((x) => x.id)));
    const retaken = ((await collect(store.iterate('final_mark'))) as FinalMarkRecord[]).find((f) => otherSections.has(f.sectionId))!;
    const { id, entity: _e, status, version: _v, updatedAt: _u, contentHash: _c, sourceRefs, provenance, ext, ...fields } = retaken;
    const raw = retaken.raw === '3' ? '4' : '3';
    await store.upsert(buildRecord('final_mark', { ...fields, raw, base: Number(raw) } as never, { id, status, sourceRefs, provenance, ...(ext ? { ext } : {}) }), { runId: 'retake' });
    const aug = await archive('aug', '2026-08-30T10:00:00Z', true);
    expect(aug.summarySheet?.ext?.supersedes).toBe(june.summarySheet!.id);
    const augCsv = await readFile(path.join(aug.summarySheet!.copies[0].location!, 'summary-sheet.csv'), 'utf8');
    expect(rowsOf(augCsv, graduating.title)).toBe(juneRows);
  }, 180_000);
});
