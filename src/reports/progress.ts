// R-37 class progress per period («Итоги успеваемости класса за учебный период», seed 000): per pupil and
// journal page, the graded marks of the period, their weighted average (R-13), the final mark set for the
// period, and whether the pupil has fewer marks than the minimum for the weekly load (R-11).
import { periodFinals } from './period-finals.js';
import { weightedAverage } from '../model/scale.js';
import { DEFAULT_MIN_MARKS, minMarksFor, type MinMarksTable } from '../model/rules/types.js';
import type { MarkRecord } from '../model/records.js';
import { inPeriod } from './period.js';
import { personName, pupilsDuring, ru, subjectOfSection } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

export const PROGRESS_COLUMNS: Column[] = [
  { key: 'class', title: 'Класс', type: 'text' },
  { key: 'pupil', title: 'Ученик', type: 'text' },
  { key: 'subject', title: 'Предмет', type: 'text' },
  { key: 'marks', title: 'Отметок', type: 'count' },
  { key: 'average', title: 'Средневзвешенный балл', type: 'number' },
  { key: 'minMarks', title: 'Нужно отметок (R-11)', type: 'number' },
  { key: 'belowMinimum', title: 'Меньше минимума', type: 'count' },
  { key: 'final', title: 'Отметка за период', type: 'mark' },
];

export function classProgress(data: SchoolData, period: ReportPeriod, minMarks: MinMarksTable = DEFAULT_MIN_MARKS): { table: ReportTable; notes: string[] } {
  const marksOf = new Map<string, MarkRecord[]>();
  for (const m of data.marks) {
    if (!inPeriod(m.markDate, period)) continue;
    const key = `${m.studentId}|${data.lessons.get(m.lessonId)!.sectionId}`;
    const list = marksOf.get(key);
    if (list) list.push(m);
    else marksOf.set(key, [m]);
  }
  const finalOf = new Map([...periodFinals(data, period)].map(([k, f]) => [k, f.raw]));

  // R-11 is a minimum per quarter: over a half-year or a year, the need is the minimums of the quarters the pupil was
  // on the page added up, and a pupil is below it when any of those quarters is (marks piled into one quarter do not
  // make up another). A period with no quarter inside it (a quarter itself, a trimester) is judged as one span.
  const quarters = period.sessionKind === 'quarter' ? [] : data.sessions.filter((s) => s.kind === 'quarter' && s.startDate >= period.from && s.endDate <= period.to);
  const spans = quarters.length ? quarters.map((q) => ({ from: q.startDate, to: q.endDate })) : [{ from: period.from, to: period.to }];
  const rows: { order: [number, string]; row: Row }[] = [];
  for (const section of data.sections.values()) {
    const homeroom = data.classes.get(section.homeroomClassId)!;
    if (homeroom.gradeLevel === 1) continue; // no marks in 1st grade (R-10)
    const perQuarter = minMarksFor(section.weeklyHours, minMarks);
    // Who was on the page in each span, as R-11 reads it: a pupil who moved class is judged on the old class's page
    // for the quarters before the move and on the new one's for those after, not on both for all of them.
    const onPage = spans.map((span) => ({ ...span, pupils: new Set(pupilsDuring(data, section.id, span.from, span.to)) }));
    const enrolled = new Set(pupilsDuring(data, section.id, period.from, period.to));
    // Enrolled pupils, plus anyone with marks on the page in the period (an R-17 problem must not hide marks).
    const pupils = new Set(enrolled);
    for (const key of marksOf.keys()) if (key.endsWith(`|${section.id}`)) pupils.add(key.slice(0, key.indexOf('|')));
    for (const pupil of pupils) {
      const key = `${pupil}|${section.id}`;
      const marks = marksOf.get(key) ?? [];
      const gradedMarks = marks.filter((m) => m.state === 'graded');
      const graded = gradedMarks.length;
      // On the page only through marks (no enrollment, R-17): when they were on it is unknown, so every span counts.
      const judged = enrolled.has(pupil) ? onPage.filter((s) => s.pupils.has(pupil)) : onPage;
      const need = perQuarter * judged.length;
      const below = judged.some((s) => gradedMarks.filter((m) => m.markDate >= s.from && m.markDate <= s.to).length < perQuarter);
      rows.push({ order: [homeroom.gradeLevel, homeroom.title], row: {
        class: homeroom.title, pupil: personName(data.persons, pupil), subject: subjectOfSection(data, section.id),
        marks: graded, average: weightedAverage(marks), minMarks: need,
        belowMinimum: section.weeklyHours > 0 && below ? 1 : 0, final: finalOf.get(key) ?? null,
      } });
    }
  }
  rows.sort((a, b) => a.order[0] - b.order[0] || ru.compare(a.order[1], b.order[1])
    || ru.compare(String(a.row.pupil), String(b.row.pupil)) || ru.compare(String(a.row.subject), String(b.row.subject)));
  const averages = rows.map((r) => r.row.average).filter((v): v is number => typeof v === 'number');
  return {
    table: makeTable(PROGRESS_COLUMNS, rows.map((r) => r.row), {
      extraTotals: { average: averages.length ? Math.round((averages.reduce((s, v) => s + v, 0) / averages.length) * 100) / 100 : null },
    }),
    notes: [
      'Средневзвешенный балл = Σ(отметка × вес) / Σ(вес) по выставленным отметкам периода; «точки» и освобождения не учитываются (R-13).',
      `Минимум отметок по недельной нагрузке (R-11): ${minMarks.map((b) => `до ${b.maxWeeklyHours} ч — ${b.minMarks}`).join(', ').replace('до Infinity ч', 'больше')}.`,
      'В строке «Итого» средний балл — среднее по строкам с отметками; «Отметка за период» — число выставленных отметок за период.',
      '1-е классы не включены: в 1-м классе отметки не выставляются (R-10).',
      'По классам: аттестованы ученики с отметками за период; успеваемость — доля аттестованных без «2», качество — доля аттестованных на «4» и «5» и на «5».',
    ],
  };
}
