// The yearly archive: by 30 June, a class-journal snapshot for every homeroom class and one summary
// sheet (сводная ведомость) per school, each as CSV and printable HTML, signed, on two media and
// kept 5 and 25 years. Classes are read and written one at a time.
import type { CanonicalStore } from '../store/index.js';
import { ArchiveSet, type ArchiveSetDeps } from './archive-set.js';
import { classJournalDocuments } from './documents/class-journal.js';
import { CSV_BOM, htmlPage, yearLabel } from './documents/format.js';
import { loadClassJournal, loadSchoolYear } from './documents/school-year.js';
import { SUMMARY_CSV_HEADER, summarySheetPart } from './documents/summary-sheet.js';
import { listSnapshots } from './catalog.js';
import type { ArchiveSnapshotRecord } from './snapshot-record.js';

export interface YearlyArchiveOptions extends Omit<ArchiveSetDeps, 'store'> {
  organizationId: string;
  /** Ending year (2026 = 2025/2026). */
  schoolYear: number;
  runId: string;
  now?: () => Date;
}

export interface YearlyArchiveResult {
  /** Written by this run. */
  classJournals: ArchiveSnapshotRecord[];
  /** Written by this run; null when one existed already. */
  summarySheet: ArchiveSnapshotRecord | null;
  /** Classes whose class journal was archived earlier (left alone). */
  alreadyArchived: number;
}

export async function yearlyArchive(store: CanonicalStore, opts: YearlyArchiveOptions): Promise<YearlyArchiveResult> {
  const y = await loadSchoolYear(store, opts.organizationId, opts.schoolYear);
  if (y.classes.length === 0) throw new Error(`yearly archive: organization ${opts.organizationId} has no homeroom classes in ${yearLabel(opts.schoolYear)}`);
  const deps: ArchiveSetDeps = { store, destinations: opts.destinations, signer: opts.signer, verifier: opts.verifier };
  const createdAt = (opts.now?.() ?? new Date()).toISOString();
  const base = { organizationId: opts.organizationId, schoolYear: opts.schoolYear, createdAt, runId: opts.runId };
  // A re-run (after a crash, or the scheduled job on the following day) completes what is missing and
  // never makes a second snapshot of a class or of the summary sheet.
  const existing = (await listSnapshots(store)).filter((s) => s.organizationId === opts.organizationId && s.schoolYear === opts.schoolYear);
  const archivedClasses = new Set(existing.filter((s) => s.kind === 'class_journal').map((s) => s.homeroomClassId));
  const summaryExists = existing.some((s) => s.kind === 'summary_sheet');

  const summary = summaryExists ? null : await ArchiveSet.open(deps, { ...base, kind: 'summary_sheet' });
  const classJournals: ArchiveSnapshotRecord[] = [];
  let alreadyArchived = 0;
  try {
    const csv = summary?.document('summary-sheet.csv', 'summary_sheet_csv');
    const htmlDoc = summary?.document('summary-sheet.html', 'summary_sheet_html');
    const title = `Сводная ведомость итоговых отметок, ${yearLabel(opts.schoolYear)} учебный год`;
    await csv?.write(CSV_BOM + SUMMARY_CSV_HEADER);
    const [pageHead, pageTail] = htmlPage(title, '\u0000').split('\u0000');
    await htmlDoc?.write(pageHead);
    for (const cls of y.classes) {
      const journalDone = archivedClasses.has(cls.id);
      if (journalDone) alreadyArchived++;
      if (journalDone && !summary) continue;
      const data = await loadClassJournal(store, y.sectionsByClass.get(cls.id) ?? []);
      if (!journalDone) {
        const set = await ArchiveSet.open(deps, { ...base, kind: 'class_journal', homeroomClassId: cls.id });
        try {
          for (const d of classJournalDocuments(y, cls, data)) await set.document(d.path, d.path.replace(/[.-]/g, '_')).write(d.text, d.rows);
          classJournals.push(await set.finish());
        } catch (e) {
          await set.abort();
          throw e;
        }
      }
      const part = summarySheetPart(y, cls, data.finalMarks);
      await csv?.write(part.csv, part.rows);
      await htmlDoc?.write(part.html, part.rows);
    }
    await htmlDoc?.write(pageTail);
    return { classJournals, summarySheet: summary ? await summary.finish() : null, alreadyArchived };
  } catch (e) {
    await summary?.abort();
    throw e;
  }
}

/** R-31 check: homeroom classes of the year without a class-journal snapshot, and whether the summary sheet exists. */
export async function yearlyArchiveGaps(store: CanonicalStore, organizationId: string, schoolYear: number): Promise<{ classesMissing: string[]; summarySheet: boolean }> {
  const y = await loadSchoolYear(store, organizationId, schoolYear);
  const snaps = (await listSnapshots(store)).filter((s) => s.organizationId === organizationId && s.schoolYear === schoolYear);
  const have = new Set(snaps.filter((s) => s.kind === 'class_journal').map((s) => s.homeroomClassId));
  return { classesMissing: y.classes.filter((c) => !have.has(c.id)).map((c) => c.id), summarySheet: snaps.some((s) => s.kind === 'summary_sheet') };
}
