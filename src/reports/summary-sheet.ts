// R-38 summary sheet («Сводная ведомость учёта успеваемости», kept 25 years, seed 000 §7): per pupil and
// subject, every final mark of the school year — a column per quarter, half-year and the year, then exam and
// final («итоговая») marks. Journal pages of one subject (subgroups) share a line.
import type { AcademicSessionRecord } from '../model/records.js';
import { sessionPeriod } from './period.js';
import { personName, ru } from './roster.js';
import { ReportInputError, type SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

const KIND_ORDER = ['quarter', 'trimester', 'module', 'half_year', 'school_year', 'exam_period'];

/** The school year a period falls in: the school_year session containing it. */
export function schoolYearOf(data: SchoolData, period: ReportPeriod): AcademicSessionRecord {
  const year = data.sessions.find((s) => s.kind === 'school_year' && s.startDate <= period.from && s.endDate >= period.to);
  if (!year) throw new ReportInputError(`no school_year session of school ${data.school.id} contains ${period.from} – ${period.to}`);
  return year;
}

export function summarySheet(data: SchoolData, period: ReportPeriod): { table: ReportTable; period: ReportPeriod; notes: string[] } {
  const year = schoolYearOf(data, period);
  // An exam period may run past the year's last day (exams in June): it belongs to the year it starts in.
  const sessions = data.sessions
    .filter((s) => s.id === year.id || (s.kind !== 'school_year' && s.startDate >= year.startDate && (s.endDate <= year.endDate || (s.kind === 'exam_period' && s.startDate <= year.endDate))))
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.startDate.localeCompare(b.startDate));
  const inYear = new Set(sessions.map((s) => s.id));
  // Exam and final marks are columns of their own whatever period they point at.
  const columnOf = (kind: string, periodId: string) => (kind === 'exam' || kind === 'final' ? kind : periodId);
  const columns: Column[] = [
    { key: 'class', title: 'Класс', type: 'text' },
    { key: 'pupil', title: 'Ученик', type: 'text' },
    { key: 'subject', title: 'Предмет', type: 'text' },
    ...sessions.map((s): Column => ({ key: s.id, title: s.kind === 'school_year' ? 'Год' : s.title, type: 'mark' })),
    { key: 'exam', title: 'Экзамен', type: 'mark' },
    { key: 'final', title: 'Итоговая', type: 'mark' },
  ];
  const lines = new Map<string, { order: [number, string]; row: Row }>();
  let finals = 0;
  for (const f of data.finals) {
    if (!inYear.has(f.periodId)) continue;
    const section = data.sections.get(f.sectionId)!;
    const homeroom = data.classes.get(section.homeroomClassId)!;
    const key = `${homeroom.id}|${f.studentId}|${section.subjectId}`;
    let entry = lines.get(key);
    if (!entry) {
      const row: Row = {
        class: homeroom.title, pupil: personName(data.persons, f.studentId),
        subject: data.subjects.get(section.subjectId)?.title ?? section.title,
      };
      for (const c of columns.slice(3)) row[c.key] = null;
      entry = { order: [homeroom.gradeLevel, homeroom.title], row };
      lines.set(key, entry);
    }
    const line = entry.row;
    const col = columnOf(f.kind, f.periodId);
    // Two subgroup pages of one subject with different marks both show, «4/5»; the same mark twice shows once.
    const had = line[col] === null ? [] : String(line[col]).split('/');
    if (!had.includes(f.raw)) line[col] = [...had, f.raw].join('/');
    finals++;
  }
  const rows = [...lines.values()].sort((a, b) => a.order[0] - b.order[0] || ru.compare(a.order[1], b.order[1])
    || ru.compare(String(a.row.pupil), String(b.row.pupil)) || ru.compare(String(a.row.subject), String(b.row.subject)));
  return {
    period: sessionPeriod(year),
    table: makeTable(columns, rows.map((r) => r.row)),
    notes: [
      `Итоговые отметки за ${year.title}: ${finals}. Строка «Итого» — число выставленных отметок в каждом столбце.`,
      'Ведомость хранится 25 лет (R-32); решение педагогического совета вносится вручную после выгрузки (seed 000 §7).',
    ],
  };
}
