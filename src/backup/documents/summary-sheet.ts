// R-31/R-38: the summary sheet (сводная ведомость) of a school for the year — per pupil × subject every
// final mark of the year (quarters, half-years, year, exams). Built class by class: pure over what each
// class contributes, appended to one CSV and one HTML page.
import type { HomeroomClassRecord } from '../../model/index.js';
import { className } from './class-names.js';
import { byFinalOrder } from './final-order.js';
import type { CsvSeparator } from '../../infra/csv-field.js';
import { csvRow, html } from './format.js';
import { finalKindRu } from '../../model/final-kind-labels.js';
import { byPupilName, pupilNames } from './pupil-names.js';
import { sectionTitle, type ClassJournalData, type SchoolYear } from './school-year.js';

/**
 * The CSV's heading line; `separator` as the lines' (default a comma). `kind` is the model's code (`quarter`, `year`, …:
 * what a re-import or a script matches on), `kind_ru` the same in Russian for the person who opens the file
 * («четверть», «триместр», «год», …; docs/backup.md).
 */
export const summaryCsvHeader = (separator?: CsvSeparator) => csvRow(['class', 'pupil_id', 'pupil', 'subject', 'kind', 'kind_ru', 'period', 'mark'], separator);

/** One class's part of the summary sheet: CSV lines (fields separated by `separator`, default a comma) and an HTML table (pupils × subjects). */
export function summarySheetPart(y: SchoolYear, cls: HomeroomClassRecord, finals: ClassJournalData['finalMarks'], separator?: CsvSeparator): { csv: string; html: string; rows: number } {
  const sections = y.sectionsByClass.get(cls.id) ?? [];
  const subjectOf = new Map(sections.map((s) => [s.id, sectionTitle(y, s)]));
  const subjects = [...new Set(subjectOf.values())].sort((a, b) => a.localeCompare(b, 'ru'));
  const enrolled = [...new Set(sections.flatMap((s) => [...(y.pupilsBySection.get(s.id) ?? [])]))];
  // Namesakes in the class are told apart (pupil-names.ts): the printed sheet shows no id.
  const names = pupilNames(y.pupils, [...enrolled, ...finals.map((f) => f.studentId)]);
  const name = (id: string) => names.get(id)!;
  const byName = byPupilName(names);
  const pupils = enrolled.sort(byName);
  const finalOrder = byFinalOrder(y);
  const ordered = finals.filter((f) => subjectOf.has(f.sectionId))
    .sort((a, b) => byName(a.studentId, b.studentId) || subjectOf.get(a.sectionId)!.localeCompare(subjectOf.get(b.sectionId)!, 'ru') || finalOrder(a, b));
  // «5А», or «5А (<id>)» where another class of the year has the title (a class re-formed under its old name).
  const classLabel = className(cls, y.classes);
  const cell = new Map<string, string[]>();
  const written = new Set<string>();
  let csv = '';
  let lines = 0;
  for (const f of ordered) {
    const subject = subjectOf.get(f.sectionId)!;
    const session = y.sessions.get(f.periodId);
    const kindRu = finalKindRu(f.kind, session?.kind);
    // A subject's marks come from all its subgroup pages: the same mark of one pupil, subject and period from two
    // pages (a pupil moved between groups, «н/а» from each) is one attestation, one line — as the printed cell has it
    // once, so the two can be checked against each other. Two different marks are two lines, a disagreement to see.
    const line = `${f.studentId}|${subject}|${f.kind}|${f.periodId}|${f.raw}`;
    if (!written.has(line)) {
      written.add(line);
      csv += csvRow([classLabel, f.studentId, name(f.studentId), subject, f.kind, kindRu, session?.title ?? f.periodId, f.raw], separator);
      lines++;
    }
    const k = `${f.studentId}|${subject}`;
    // A period mark by its period's title («1 триместр: 5»), which names the kind too; the printed page shows no id.
    const entry = `${(f.kind === 'quarter' || f.kind === 'half_year') && session ? session.title : kindRu}: ${f.raw}`;
    // The cell, likewise: the same mark of one period printed once, two different marks both.
    const entries = cell.get(k) ?? [];
    if (!entries.includes(entry)) cell.set(k, [...entries, entry]);
  }
  const head = `<tr><th>№</th><th class="name">Ученик</th>${subjects.map((s) => `<th>${html(s)}</th>`).join('')}</tr>`;
  const rows = pupils.map((p, i) => `<tr><td>${i + 1}</td><td class="name">${html(name(p))}</td>${subjects.map((s) => `<td>${(cell.get(`${p}|${s}`) ?? []).map(html).join('<br>')}</td>`).join('')}</tr>`);
  return {
    csv,
    html: `<h2>${html(classLabel)}</h2>\n<table><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>\n`,
    rows: lines,
  };
}
