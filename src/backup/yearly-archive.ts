// The yearly archive: by 30 June, a class-journal snapshot for every homeroom class and one summary
// sheet (сводная ведомость) per school, each as CSV and printable HTML, signed, on two media and
// kept 5 and 25 years. Classes are read and written one at a time.
import type { CanonicalStore } from '../store/index.js';
import { ArchiveSet, archivedDocuments, type ArchiveSetDeps } from './archive-set.js';
import { classJournalDocuments } from './documents/class-journal.js';
import { CSV_BOM, htmlPage, yearLabel } from './documents/format.js';
import { addRecordedPupils, loadClassJournal, loadSchoolYear } from './documents/school-year.js';
import { summaryCsvHeader, summarySheetPart } from './documents/summary-sheet.js';
import type { CsvSeparator } from '../infra/csv-field.js';
import { listSnapshots } from './catalog.js';
import type { ArchiveSnapshotRecord } from './snapshot-record.js';

export interface YearlyArchiveOptions extends Omit<ArchiveSetDeps, 'store'> {
  organizationId: string;
  /** Ending year (2026 = 2025/2026). */
  schoolYear: number;
  runId: string;
  now?: () => Date;
  /**
   * Make a class journal or summary sheet again when what it shows changed since it was archived (a mark corrected
   * after the June run, a year mark changed by an August retake): a new signed snapshot that names the one it
   * supersedes; the earlier one is kept to its own retention. Without it a run only adds what is missing.
   */
  amend?: boolean;
  /**
   * Field separator of the CSV documents (default a comma, RFC 4180; `;` for Excel in a Russian locale). Part of the
   * documents' bytes: an `amend` run with another separator than the current snapshots' makes them all again.
   */
  csvSeparator?: CsvSeparator;
}

export interface YearlyArchiveResult {
  /** Written by this run. */
  classJournals: ArchiveSnapshotRecord[];
  /** Written by this run; null when one existed already. */
  summarySheet: ArchiveSnapshotRecord | null;
  /** Classes whose class journal was archived earlier (left alone, or unchanged when amending). */
  alreadyArchived: number;
  /** Of the snapshots written, those that supersede an earlier one of the same class or school (`amend`). */
  amended: number;
}

export async function yearlyArchive(store: CanonicalStore, opts: YearlyArchiveOptions): Promise<YearlyArchiveResult> {
  const y = await loadSchoolYear(store, opts.organizationId, opts.schoolYear);
  if (y.classes.length === 0) throw new Error(`yearly archive: organization ${opts.organizationId} has no homeroom classes in ${yearLabel(opts.schoolYear)}`);
  const deps: ArchiveSetDeps = { store, destinations: opts.destinations, signer: opts.signer, verifier: opts.verifier };
  const createdAt = (opts.now?.() ?? new Date()).toISOString();
  const base = { organizationId: opts.organizationId, schoolYear: opts.schoolYear, createdAt, runId: opts.runId };
  // A re-run (after a crash, or the scheduled job on the following day) completes what is missing; it makes a second
  // snapshot of a class or of the summary sheet only when amending, and only when its documents changed.
  const existing = (await listSnapshots(store, opts.organizationId)).filter((s) => s.schoolYear === opts.schoolYear);
  // The current snapshot of each class and of the school: the one no other supersedes (then the latest created).
  const superseded = new Set(existing.map((s) => s.ext?.supersedes));
  const current = existing.filter((s) => !superseded.has(s.id));
  const latestOfClass = new Map(current.filter((s) => s.kind === 'class_journal').map((s) => [s.homeroomClassId, s]));
  const latestSummary = current.filter((s) => s.kind === 'summary_sheet').at(-1);

  const summary = latestSummary && !opts.amend ? null
    : await ArchiveSet.open(deps, { ...base, kind: 'summary_sheet', ...(latestSummary ? { supersedes: latestSummary.id } : {}) });
  const classJournals: ArchiveSnapshotRecord[] = [];
  let alreadyArchived = 0;
  let amended = 0;
  try {
    const csv = summary?.document('summary-sheet.csv', 'summary_sheet_csv');
    const htmlDoc = summary?.document('summary-sheet.html', 'summary_sheet_html');
    const title = `Сводная ведомость итоговых отметок, ${yearLabel(opts.schoolYear)} учебный год`;
    await csv?.write(CSV_BOM + summaryCsvHeader(opts.csvSeparator));
    const [pageHead, pageTail] = htmlPage(title, '\u0000').split('\u0000');
    await htmlDoc?.write(pageHead);
    for (const cls of y.classes) {
      const previous = latestOfClass.get(cls.id);
      const write = !previous || opts.amend;
      if (!write) alreadyArchived++;
      if (!write && !summary) continue;
      const data = await loadClassJournal(store, y.sectionsByClass.get(cls.id) ?? []);
      await addRecordedPupils(store, y, data);
      if (write) {
        const set = await ArchiveSet.open(deps, { ...base, kind: 'class_journal', homeroomClassId: cls.id, ...(previous ? { supersedes: previous.id } : {}) });
        try {
          for (const d of classJournalDocuments(y, cls, data, { separator: opts.csvSeparator })) await set.document(d.path, d.name).write(d.text, d.rows);
          const written = await set.finish(previous ? { unlessSameAs: await archivedDocuments(previous) } : {});
          if (!written) alreadyArchived++; // amending, and nothing of this class changed
          else {
            classJournals.push(written);
            if (previous) amended++;
          }
        } catch (e) {
          await set.abort();
          throw e;
        }
      }
      const part = summarySheetPart(y, cls, data.finalMarks, opts.csvSeparator);
      await csv?.write(part.csv, part.rows);
      await htmlDoc?.write(part.html, part.rows);
    }
    await htmlDoc?.write(pageTail);
    const summarySheet = summary ? await summary.finish(latestSummary ? { unlessSameAs: await archivedDocuments(latestSummary) } : {}) : null;
    if (summarySheet && latestSummary) amended++;
    return { classJournals, summarySheet, alreadyArchived, amended };
  } catch (e) {
    await summary?.abort();
    throw e;
  }
}

/** R-31 check: homeroom classes of the year without a class-journal snapshot, and whether the summary sheet exists. */
export async function yearlyArchiveGaps(store: CanonicalStore, organizationId: string, schoolYear: number): Promise<{ classesMissing: string[]; summarySheet: boolean }> {
  const y = await loadSchoolYear(store, organizationId, schoolYear);
  const snaps = (await listSnapshots(store, organizationId)).filter((s) => s.schoolYear === schoolYear);
  const have = new Set(snaps.filter((s) => s.kind === 'class_journal').map((s) => s.homeroomClassId));
  return { classesMissing: y.classes.filter((c) => !have.has(c.id)).map((c) => c.id), summarySheet: snaps.some((s) => s.kind === 'summary_sheet') };
}
