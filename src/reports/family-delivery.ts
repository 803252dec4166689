// R-29 delivery to families: a mark pushed to a family-facing platform must be published there within 24 hours
// of being recorded (`publishedToFamilyAt − recordedAt ≤ 24 h`). Violations are listed per day, then one by one.
// Marks with no `publishedToFamilyAt` were not pushed to a family-facing platform and are not judged.
import { inPeriod } from './period.js';
import { classOfSection, localDay, personName, ru, subjectOfSection } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

const LIMIT_MS = 24 * 3600_000;

export const DELIVERY_DAY_COLUMNS: Column[] = [
  { key: 'day', title: 'День записи', type: 'text' },
  { key: 'published', title: 'Опубликовано семьям', type: 'count' },
  { key: 'late', title: 'Позже суток', type: 'count' },
  { key: 'lateShare', title: 'Доля позже суток', type: 'share', share: { numerator: 'late', denominator: 'published' } },
];

export const DELIVERY_LATE_COLUMNS: Column[] = [
  { key: 'day', title: 'День записи', type: 'text' },
  { key: 'class', title: 'Класс', type: 'text' },
  { key: 'pupil', title: 'Ученик', type: 'text' },
  { key: 'subject', title: 'Предмет', type: 'text' },
  { key: 'mark', title: 'Отметка', type: 'text' },
  { key: 'recordedAt', title: 'Записана', type: 'text' },
  { key: 'publishedAt', title: 'Опубликована', type: 'text' },
  { key: 'delayHours', title: 'Задержка, ч', type: 'number' },
  { key: 'count', title: 'Отметок', type: 'count' },
];

export function familyDelivery(data: SchoolData, period: ReportPeriod): { tables: ReportTable[]; notes: string[] } {
  const days = new Map<string, { published: number; late: number }>();
  const late: Row[] = [];
  let unpublished = 0;
  for (const m of data.marks) {
    const day = localDay(m.recordedAt, data.timeZone);
    if (!inPeriod(day, period)) continue;
    if (!m.publishedToFamilyAt) {
      unpublished++;
      continue;
    }
    const d = days.get(day) ?? { published: 0, late: 0 };
    days.set(day, d);
    d.published++;
    const delay = Date.parse(m.publishedToFamilyAt) - Date.parse(m.recordedAt);
    if (delay <= LIMIT_MS) continue;
    d.late++;
    const sectionId = data.lessons.get(m.lessonId)!.sectionId;
    late.push({
      day, class: classOfSection(data, sectionId), pupil: personName(data.persons, m.studentId),
      subject: subjectOfSection(data, sectionId), mark: m.raw, recordedAt: m.recordedAt, publishedAt: m.publishedToFamilyAt,
      delayHours: Math.round(delay / 360_000) / 10, count: 1,
    });
  }
  const dayRows: Row[] = [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, d]) => ({ day, ...d }));
  late.sort((a, b) => String(a.day).localeCompare(String(b.day)) || ru.compare(String(a.class), String(b.class))
    || ru.compare(String(a.pupil), String(b.pupil)));
  return {
    tables: [
      makeTable(DELIVERY_DAY_COLUMNS, dayRows, { title: 'По дням' }),
      makeTable(DELIVERY_LATE_COLUMNS, late, { title: 'Отметки, опубликованные позже суток' }),
    ],
    notes: [
      'Правило R-29: отметка должна появиться на семейной платформе не позже 24 часов после записи.',
      `Отметок периода без даты публикации (не передавались на семейную платформу): ${unpublished}.`,
    ],
  };
}
