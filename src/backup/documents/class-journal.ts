// R-31: the class journal of one homeroom class for the year, as a paper journal has it — per subject sheets of
// pupils × lesson dates (src/backup/documents/date-blocks.ts) with the marks and absences («н», late «оп»), then a
// sheet of the final marks.
// Pure: built from what school-year.ts loaded, so a test can check it from records alone.
import type { HomeroomClassRecord } from '../../model/index.js';
import { classJournalFileStem, classTitle } from './class-names.js';
import { dateBlocks } from './date-blocks.js';
import { byFinalOrder } from './final-order.js';
import type { CsvSeparator } from '../../infra/csv-field.js';
import { csvRow, CSV_BOM, dayMonth, html, htmlPage, yearLabel } from './format.js';
import { finalKindRu } from '../../model/final-kind-labels.js';
import { journalPageTitles } from './journal-page-titles.js';
import { byPupilName, pupilNames } from './pupil-names.js';
import { sectionTitle, type ClassJournalData, type SchoolYear } from './school-year.js';

export interface Document {
  /**
   * File name inside the archive: `class-journal-5a.csv` for «5А» (documents/class-names.ts). Archives made before
   * the class was in the name have `class-journal.csv`; they keep it, and verify as they are.
   */
  path: string;
  /** What the manifest calls the document, the same for every class: `class_journal_csv`, `class_journal_html`. */
  name: string;
  text: string;
  /** Data rows (CSV lines after the header; HTML: the pupils of each subject, summed over the subjects). */
  rows: number;
}

/** `separator`: of the CSV's fields (default a comma, RFC 4180; `;` for Excel in a Russian locale). */
export function classJournalDocuments(y: SchoolYear, cls: HomeroomClassRecord, data: ClassJournalData, opts: { separator?: CsvSeparator } = {}): Document[] {
  const csvLine = (cells: Parameters<typeof csvRow>[0]) => csvRow(cells, opts.separator);
  const classSections = y.sectionsByClass.get(cls.id) ?? [];
  // Two groups of one subject get titles that tell them apart, and keep their subject's place in the order.
  const pageTitles = journalPageTitles(y, classSections);
  const sections = [...classSections].sort((a, b) => sectionTitle(y, a).localeCompare(sectionTitle(y, b), 'ru')
    || pageTitles.get(a.id)!.localeCompare(pageTitles.get(b.id)!, 'ru', { numeric: true }) || a.id.localeCompare(b.id));
  const lessons = data.lessons.filter((l) => l.lessonStatus !== 'cancelled').sort((a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber);
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  // cell key: lessonId|pupilId → what the journal shows in that cell
  const cells = new Map<string, string[]>();
  const put = (k: string, v: string) => cells.set(k, [...(cells.get(k) ?? []), v]);
  for (const m of [...data.marks].sort((a, b) => a.slot - b.slot)) if (lessonById.has(m.lessonId)) put(`${m.lessonId}|${m.studentId}`, m.raw);
  for (const a of data.attendance) if (lessonById.has(a.lessonId)) put(`${a.lessonId}|${a.studentId}`, a.kind === 'late' ? 'оп' : 'н');

  // Namesakes in the class are told apart (pupil-names.ts): the printed pages show no id.
  const names = pupilNames(y.pupils, [...classSections.flatMap((s) => [...(y.pupilsBySection.get(s.id) ?? [])]), ...data.finalMarks.map((f) => f.studentId)]);
  const name = (id: string) => names.get(id)!;
  const byName = byPupilName(names);
  let csv = CSV_BOM + csvLine(['class', 'subject', 'date', 'lesson', 'pupil_id', 'pupil', 'entry', 'value']);
  let csvRows = 0;
  let body = '';
  let htmlRows = 0;
  for (const s of sections) {
    const title = pageTitles.get(s.id)!;
    const pupils = [...(y.pupilsBySection.get(s.id) ?? [])].sort(byName);
    const own = lessons.filter((l) => l.sectionId === s.id);
    const finalOrder = byFinalOrder(y);
    const rowOf = new Map(pupils.map((p, i) => [p, i]));
    const rowIndex = (id: string) => rowOf.get(id) ?? pupils.length; // a final mark of someone not on the page: last
    const finals = data.finalMarks.filter((f) => f.sectionId === s.id)
      .sort((a, b) => rowIndex(a.studentId) - rowIndex(b.studentId) || a.studentId.localeCompare(b.studentId) || finalOrder(a, b));
    const periods = [...new Map(finals.map((f) => [`${f.kind}|${f.periodId}`, f])).values()].sort(finalOrder);
    const periodLabel = (f: { kind: string; periodId: string }) => `${finalKindRu(f.kind, y.sessions.get(f.periodId)?.kind)}: ${y.sessions.get(f.periodId)?.title ?? f.periodId}`;
    for (const l of own) {
      for (const p of pupils) {
        for (const v of cells.get(`${l.id}|${p}`) ?? []) {
          csv += csvLine([classTitle(cls), title, l.date, l.lessonNumber, p, name(p), v === 'н' || v === 'оп' ? 'attendance' : 'mark', v]);
          csvRows++;
        }
      }
    }
    for (const f of finals) {
      csv += csvLine([classTitle(cls), title, '', '', f.studentId, name(f.studentId), `final:${f.kind}`, `${periodLabel(f)} — ${f.raw}`]);
      csvRows++;
    }
    // One sheet per block of lesson dates, each repeating the pupils' names, then a sheet of the final marks: a single
    // table of the year's ~100 dates and the final marks did not fit a sheet, and printing cut off December onwards.
    const nameCells = (p: string, i: number) => `<td>${i + 1}</td><td class="name">${html(name(p))}</td>`;
    const table = (heads: string[], rows: string[]) => `<table><thead><tr><th>№</th><th class="name">Ученик</th>${heads.join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>\n`;
    const blocks = dateBlocks(own);
    for (const block of blocks.length ? blocks : [[]]) {
      const range = block.length ? `, ${dayMonth(block[0].date)}–${dayMonth(block[block.length - 1].date)}` : '';
      const rows = pupils.map((p, i) => `<tr>${nameCells(p, i)}${block.map((l) => `<td>${html((cells.get(`${l.id}|${p}`) ?? []).join(' '))}</td>`).join('')}</tr>`);
      body += `<h2>${html(title)}${range}</h2>\n${table(block.map((l) => `<th>${dayMonth(l.date)}</th>`), rows)}`;
    }
    if (periods.length) {
      // Everyone with a final mark gets a row, a pupil no longer enrolled in the group too (after those who are).
      const finalPupils = [...pupils, ...new Set(finals.map((f) => f.studentId).filter((id) => !rowOf.has(id)))];
      const rows = finalPupils.map((p, i) => `<tr>${nameCells(p, i)}${periods.map((per) => `<td>${html(finals.filter((f) => f.studentId === p && f.kind === per.kind && f.periodId === per.periodId).map((f) => f.raw).join(' '))}</td>`).join('')}</tr>`);
      body += `<h2>${html(title)}, итоговые отметки</h2>\n${table(periods.map((f) => `<th>${html(periodLabel(f))}</th>`), rows)}`;
    }
    htmlRows += pupils.length;
  }
  const pageTitle = `Классный журнал ${classTitle(cls)}, ${yearLabel(y.schoolYear)} учебный год`;
  const stem = classJournalFileStem(cls, y.classes);
  return [
    { path: `${stem}.csv`, name: 'class_journal_csv', text: csv, rows: csvRows },
    { path: `${stem}.html`, name: 'class_journal_html', text: htmlPage(pageTitle, body), rows: htmlRows },
  ];
}
