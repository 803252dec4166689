// R-36 monthly attendance per class (seed 000, «Сводная ведомость учёта посещаемости класса»): per pupil and
// month, lessons missed by reason — УП (уважительная), НП (неуважительная), Б (по болезни), reason not given —
// and lateness. The total is the sum of the reasons, from one table (spec §C.4 incident 11).
import { inPeriod, monthsOf, monthTitle } from './period.js';
import { personName, pupilsDuring, ru } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

export const ATTENDANCE_COLUMNS: Column[] = [
  { key: 'class', title: 'Класс', type: 'text' },
  { key: 'pupil', title: 'Ученик', type: 'text' },
  { key: 'month', title: 'Месяц', type: 'text' },
  { key: 'absent', title: 'Пропущено уроков', type: 'count' },
  { key: 'excused', title: 'УП', type: 'count' },
  { key: 'unexcused', title: 'НП', type: 'count' },
  { key: 'illness', title: 'Б', type: 'count' },
  { key: 'unknown', title: 'Причина не указана', type: 'count' },
  { key: 'late', title: 'Опозданий', type: 'count' },
];

type Counts = { excused: number; unexcused: number; illness: number; unknown: number; late: number };

export function monthlyAttendance(data: SchoolData, period: ReportPeriod): { table: ReportTable; notes: string[] } {
  const months = monthsOf(period.from, period.to);
  // class → pupil → month → counts; every pupil enrolled in the class during the period gets a line per month.
  const grid = new Map<string, Map<string, Map<string, Counts>>>();
  const cell = (classId: string, pupil: string, month: string) => {
    let byPupil = grid.get(classId);
    if (!byPupil) grid.set(classId, (byPupil = new Map()));
    let byMonth = byPupil.get(pupil);
    if (!byMonth) {
      byPupil.set(pupil, (byMonth = new Map()));
      for (const m of months) byMonth.set(m, { excused: 0, unexcused: 0, illness: 0, unknown: 0, late: 0 });
    }
    return byMonth.get(month)!;
  };
  for (const c of data.classes.values()) for (const p of pupilsDuring(data, c.id, period.from, period.to)) cell(c.id, p, months[0]);
  for (const a of data.attendance) {
    const lesson = data.lessons.get(a.lessonId)!;
    // A lesson that did not take place (cancelled, moved) was missed by nobody, whatever was recorded on it.
    if (!inPeriod(lesson.date, period) || lesson.lessonStatus !== 'held') continue;
    const classId = data.sections.get(lesson.sectionId)!.homeroomClassId;
    const c = cell(classId, a.studentId, lesson.date.slice(0, 7));
    if (a.kind === 'late') c.late++;
    else c[a.reason]++;
  }
  const rows: Row[] = [];
  const classes = [...grid.keys()].map((id) => data.classes.get(id)!)
    .sort((a, b) => a.gradeLevel - b.gradeLevel || ru.compare(a.title, b.title));
  for (const c of classes) {
    const pupils = [...grid.get(c.id)!].map(([id, m]) => ({ name: personName(data.persons, id), months: m }))
      .sort((a, b) => ru.compare(a.name, b.name));
    for (const p of pupils) {
      for (const [month, n] of p.months) {
        rows.push({ class: c.title, pupil: p.name, month: monthTitle(month), absent: n.excused + n.unexcused + n.illness + n.unknown, ...n });
      }
    }
  }
  return {
    table: makeTable(ATTENDANCE_COLUMNS, rows),
    notes: [
      'Пропуски и опоздания считаются по урокам; месяц — по дате урока.',
      '«Пропущено уроков» = УП + НП + Б + «причина не указана».',
      'Если период — четверть или полугодие, месяцы на его границах считаются только в пределах периода.',
    ],
  };
}
