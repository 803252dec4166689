// The class lines of «Итоги успеваемости класса за учебный период» (seed 000 §7): from the final marks of the
// period, how many pupils finished on «5» only (отличники), on «4» and «5» (хорошисты), with a single «3», and
// with a «2» or below (неуспевающие); успеваемость = pupils without a failing mark / pupils with final marks,
// качество = отличники + хорошисты / pupils with final marks.
import { nonNumericFinal, periodFinals } from './period-finals.js';
import { ru } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

export const PROGRESS_SUMMARY_COLUMNS: Column[] = [
  { key: 'class', title: 'Класс', type: 'text' },
  { key: 'graded', title: 'Аттестовано учеников', type: 'count' },
  { key: 'excellent', title: 'На «5»', type: 'count' },
  { key: 'good', title: 'На «4» и «5»', type: 'count' },
  { key: 'oneThree', title: 'С одной «3»', type: 'count' },
  { key: 'failing', title: 'Неуспевающие', type: 'count' },
  { key: 'passing', title: 'Без неудовлетворительных', type: 'count' },
  { key: 'successShare', title: 'Успеваемость', type: 'share', share: { numerator: 'passing', denominator: 'graded' } },
  { key: 'quality', title: 'На «4» и «5» и на «5»', type: 'count' },
  { key: 'qualityShare', title: 'Качество знаний', type: 'share', share: { numerator: 'quality', denominator: 'graded' } },
];

export function progressSummary(data: SchoolData, period: ReportPeriod): ReportTable {
  // The period's own final mark (periodFinals: the year mark of a year, never its exam mark) per class and pupil, as a
  // number 1…5 — «н/а» (not attested) counts as a failing 2, «зач»/«осв» grade nothing (a pupil with only those is
  // attested and passing, but in neither quality group).
  const perClass = new Map<string, Map<string, number[]>>();
  for (const f of periodFinals(data, period).values()) {
    const kind = f.base === null ? nonNumericFinal(f.raw) : 'graded';
    if (kind === 'unknown') continue;
    const classId = data.sections.get(f.sectionId)!.homeroomClassId;
    let pupils = perClass.get(classId);
    if (!pupils) perClass.set(classId, (pupils = new Map()));
    let list = pupils.get(f.studentId);
    if (!list) pupils.set(f.studentId, (list = []));
    if (kind === 'graded') list.push(f.base!);
    else if (kind === 'not_attested') list.push(2);
  }
  const classes = [...perClass.keys()].map((id) => data.classes.get(id)!)
    .sort((a, b) => a.gradeLevel - b.gradeLevel || ru.compare(a.title, b.title));
  const rows: Row[] = classes.map((c) => {
    const r = { class: c.title, graded: 0, excellent: 0, good: 0, oneThree: 0, failing: 0, passing: 0, quality: 0 };
    for (const marks of perClass.get(c.id)!.values()) {
      r.graded++;
      if (marks.length === 0) { // passes only («зач», «осв»)
        r.passing++;
        continue;
      }
      const min = Math.min(...marks);
      if (min <= 2) r.failing++;
      else r.passing++;
      if (min === 5) r.excellent++;
      else if (min === 4) r.good++;
      else if (min === 3 && marks.filter((m) => m === 3).length === 1) r.oneThree++;
    }
    r.quality = r.excellent + r.good;
    return r;
  });
  return makeTable(PROGRESS_SUMMARY_COLUMNS, rows, { title: 'По классам (по отметкам за период)' });
}
