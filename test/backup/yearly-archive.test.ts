// a class-journal snapshot for every homeroom class and one summary sheet per school, as CSV and
// printable HTML, signed and on two media; kept 5 and 25 years; the documents carry the marks.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soleSchool } from '../../src/backup/run-backup.js';
import { listSnapshots, pruneSnapshot } from '../../src/backup/catalog.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { yearlyArchive, yearlyArchiveGaps, type YearlyArchiveResult } from '../../src/backup/yearly-archive.js';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import { loadClassJournal, loadSchoolYear, type ClassJournalData } from '../../src/backup/documents/school-year.js';
import { summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import { buildRecord, type CanonicalRecord, type FinalMarkRecord, type MarkRecord, type PersonRecord } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { classJournalFile, collect, filledStore, keyPair, mediaReady, tempDir } from './fixtures.js';

describe('yearly archive (R-31)', () => {
  let store: CanonicalStore;
  let root: string;
  let org: string;
  let result: YearlyArchiveResult;
  const keys = keyPair();
  /** Two media in two rooms. */
  const destinations = () => [
    { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') },
    { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') },
  ];
  beforeAll(async () => {
    store = await filledStore({ weeks: 10 });
    root = await tempDir();
    await mediaReady(destinations());
    org = await soleSchool(store);
    expect((await yearlyArchiveGaps(store, org, 2026)).classesMissing).toHaveLength(11);
    result = await yearlyArchive(store, {
      organizationId: org, schoolYear: 2026, runId: 'archive-test', signer: keys.signer, verifier: keys.verifier,
      destinations: destinations(),
      now: () => new Date('2026-06-25T10:00:00Z'),
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('R-31: every homeroom class has a class-journal snapshot and the school a summary sheet, each on two verified copies', async () => {
    expect(await yearlyArchiveGaps(store, org, 2026)).toEqual({ classesMissing: [], summarySheet: true });
    expect(result.classJournals.map((s) => s.retainUntil)).toEqual(Array(11).fill('2031-06-25'));
    expect(result.summarySheet).toMatchObject({ kind: 'summary_sheet', retainUntil: '2051-06-25', schoolYear: 2026 });
    for (const s of [...result.classJournals, result.summarySheet!]) {
      expect(s.copies.map((c) => c.medium)).toEqual(['disk-a', 'nas']);
      for (const c of s.copies) expect((await verifyBackup(c.location!, keys.verifier)).problems).toEqual([]);
    }
  });

  it('the class journal shows each mark of the class in its pupil\'s row, in CSV and in HTML', async () => {
    const snap = result.classJournals[5];
    const dir = snap.copies[1].location!;
    const csv = await readFile(await classJournalFile(dir, 'csv'), 'utf8');
    const htmlText = await readFile(await classJournalFile(dir, 'html'), 'utf8');
    expect(htmlText).toMatch(/^<!doctype html>/);
    expect(htmlText).toContain('Классный журнал');
    const sections = new Set((await collect(store.iterate('section'))).filter((s) => (s as { homeroomClassId: string }).homeroomClassId === snap.homeroomClassId).map((s) => s.id));
    const lessons = new Map((await collect(store.iterate('lesson'))).filter((l) => sections.has((l as { sectionId: string }).sectionId)).map((l) => [l.id, l as { date: string }]));
    const marks = (await collect(store.iterate('mark', { status: 'active' })) as MarkRecord[]).filter((m) => lessons.has(m.lessonId));
    expect(marks.length).toBeGreaterThan(10);
    const markLines = csv.split('\r\n').filter((l) => l.includes(',mark,'));
    expect(markLines).toHaveLength(marks.length);
    const m = marks[0];
    expect(markLines.some((l) => l.includes(`,${lessons.get(m.lessonId)!.date},`) && l.includes(`,${m.studentId},`) && l.endsWith(`,mark,${m.raw}`))).toBe(true);
  });

  it('the summary sheet lists every final mark of the year per pupil × subject', async () => {
    const dir = result.summarySheet!.copies[0].location!;
    const csv = (await readFile(path.join(dir, 'summary-sheet.csv'), 'utf8')).replace(/^\uFEFF/, '');
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('class,pupil_id,pupil,subject,kind,kind_ru,period,mark');
    const finals = await collect(store.iterate('final_mark', { status: 'active' })) as FinalMarkRecord[];
    expect(rows.length - 1).toBe(finals.length);
    const f = finals[0];
    const pupil = (await store.get(f.studentId)) as PersonRecord;
    expect(rows.some((r) => r.includes(`,${f.studentId},${pupil.familyName} ${pupil.givenName},`) && r.endsWith(`,${f.kind},${r.split(',')[5]},${r.split(',')[6]},${f.raw}`))).toBe(true);
    const htmlText = await readFile(path.join(dir, 'summary-sheet.html'), 'utf8');
    expect(htmlText).toContain('Сводная ведомость');
    expect(htmlText.trim().endsWith('</html>')).toBe(true);
  });

  it('the documents come out the same from the fields the archive reads as from whole records', async () => {
    const y = await loadSchoolYear(store, org, 2026);
    const live = async (entity: 'lesson' | 'mark' | 'attendance_record' | 'final_mark', keep: (r: Record<string, string>) => boolean) =>
      (await collect(store.iterate(entity))).filter((r: CanonicalRecord) => r.status !== 'deleted' && keep(r as unknown as Record<string, string>))
        .sort((a, b) => a.id.localeCompare(b.id)) as never[];
    let marks = 0;
    for (const cls of y.classes) {
      const sections = new Set((y.sectionsByClass.get(cls.id) ?? []).map((s) => s.id));
      const lessons: ClassJournalData['lessons'] = await live('lesson', (l) => sections.has(l.sectionId));
      const lessonIds = new Set(lessons.map((l) => l.id));
      const whole: ClassJournalData = {
        lessons, marks: await live('mark', (m) => lessonIds.has(m.lessonId)),
        attendance: await live('attendance_record', (a) => lessonIds.has(a.lessonId)), finalMarks: await live('final_mark', (f) => sections.has(f.sectionId)),
      };
      const read = await loadClassJournal(store, y.sectionsByClass.get(cls.id) ?? []);
      for (const m of read.marks) expect(Object.keys(m).sort()).toEqual(['lessonId', 'raw', 'slot', 'studentId']);
      expect(classJournalDocuments(y, cls, read)).toEqual(classJournalDocuments(y, cls, whole));
      expect(summarySheetPart(y, cls, read.finalMarks)).toEqual(summarySheetPart(y, cls, whole.finalMarks));
      marks += whole.marks.length;
    }
    expect(marks).toBeGreaterThan(100);
  });

  it('a re-run completes only what is missing: no second snapshot of a class or of the summary sheet', async () => {
    const opts = {
      organizationId: org, schoolYear: 2026, runId: 'archive-rerun', signer: keys.signer, verifier: keys.verifier,
      destinations: destinations(),
    };
    expect(await yearlyArchive(store, opts)).toEqual({ classJournals: [], summarySheet: null, alreadyArchived: 11, amended: 0 });
    // As if the run had stopped before the fourth class's snapshot was recorded.
    const lost = result.classJournals[3];
    await store.deleteRecord('archive_snapshot', lost.id, { reason: 'manual', runId: 'test' });
    const again = await yearlyArchive(store, opts);
    expect(again.classJournals.map((s) => s.homeroomClassId)).toEqual([lost.homeroomClassId]);
    expect(again).toMatchObject({ summarySheet: null, alreadyArchived: 10 });
    expect(await yearlyArchiveGaps(store, org, 2026)).toEqual({ classesMissing: [], summarySheet: true });
  });

  it('--amend: a year mark changed after the archive (an August retake) makes that class journal and the summary sheet again; the rest and the earlier snapshots stay', async () => {
    const opts = {
      organizationId: org, schoolYear: 2026, runId: 'archive-amend', signer: keys.signer, verifier: keys.verifier,
      destinations: destinations(),
      now: () => new Date('2026-08-30T10:00:00Z'),
    };
    // Nothing changed: amending writes nothing (the documents come out byte for byte the same).
    expect(await yearlyArchive(store, { ...opts, amend: true })).toEqual({ classJournals: [], summarySheet: null, alreadyArchived: 11, amended: 0 });
    const y = await loadSchoolYear(store, org, 2026);
    const finals = (await collect(store.iterate('final_mark'))) as FinalMarkRecord[];
    const retaken = finals.find((f) => f.raw === '2') ?? finals[0];
    const cls = y.classes.find((c) => (y.sectionsByClass.get(c.id) ?? []).some((s) => s.id === retaken.sectionId))!;
    const { id, entity, status, version, updatedAt, contentHash, sourceRefs, provenance, ext, ...fields } = retaken;
    void version; void updatedAt; void contentHash; void entity;
    await store.upsert(buildRecord('final_mark', { ...fields, raw: '3', base: 3 } as never, { id, status, sourceRefs, provenance, ...(ext ? { ext } : {}) }), { runId: 'retake' });
    const before = (await listSnapshots(store)).filter((s) => s.organizationId === org && s.schoolYear === 2026);

    // Without --amend a run leaves the archive as it is.
    expect(await yearlyArchive(store, opts)).toMatchObject({ classJournals: [], summarySheet: null, amended: 0 });
    const r = await yearlyArchive(store, { ...opts, amend: true });
    expect(r.classJournals.map((x) => x.homeroomClassId)).toEqual([cls.id]);
    expect(r.summarySheet).not.toBeNull();
    expect(r).toMatchObject({ alreadyArchived: 10, amended: 2 });
    const oldJournal = before.filter((x) => x.kind === 'class_journal' && x.homeroomClassId === cls.id).at(-1)!;
    const oldSheet = before.filter((x) => x.kind === 'summary_sheet').at(-1)!;
    expect(r.classJournals[0].ext?.supersedes).toBe(oldJournal.id);
    expect(r.summarySheet!.ext?.supersedes).toBe(oldSheet.id);
    expect(r.summarySheet!.retainUntil).toBe('2051-08-30');
    // The earlier snapshots are kept, still verifiable; the new summary sheet shows the retake's mark.
    const after = await listSnapshots(store);
    expect(after.map((x) => x.id)).toEqual(expect.arrayContaining(before.map((x) => x.id)));
    for (const c of oldSheet.copies) expect((await verifyBackup(c.location!, keys.verifier)).problems).toEqual([]);
    const line = (csv: string) => csv.split('\r\n').find((l) => l.includes(`,${retaken.studentId},`) && l.includes(`,${retaken.kind},`) && l.endsWith(`,${retaken.kind},${l.split(',')[5]},${l.split(',')[6]},3`));
    expect(line(await readFile(path.join(r.summarySheet!.copies[0].location!, 'summary-sheet.csv'), 'utf8'))).toBeDefined();
    // A second amend finds nothing new.
    expect(await yearlyArchive(store, { ...opts, amend: true })).toMatchObject({ classJournals: [], summarySheet: null, amended: 0 });
  }, 120_000);

  it('R-32: a summary sheet cannot be pruned before 25 years, a class journal before 5', async () => {
    await expect(pruneSnapshot(store, result.summarySheet!.id, '2050-06-25', 'prune-test')).rejects.toThrow(/kept until 2051-06-25/);
    await expect(pruneSnapshot(store, result.classJournals[0].id, '2031-06-24', 'prune-test')).rejects.toThrow(/kept until 2031-06-25/);
  });
});
