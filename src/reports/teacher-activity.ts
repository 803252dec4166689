// R-40 teacher activity («Отчёт по активности пользователей», monthly per seed 000 §8.1): marks, attendance
// records and lesson topics entered per teacher per day, from recordedBy/recordedAt. The writer is credited, so
// a substitute's entries count for the substitute, not for the scheduled teacher.
import { inPeriod } from './period.js';
import { localDay, personName, ru } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

export const TEACHER_ACTIVITY_COLUMNS: Column[] = [
  { key: 'teacher', title: 'Учитель', type: 'text' },
  { key: 'day', title: 'День', type: 'text' },
  { key: 'marks', title: 'Отметок', type: 'count' },
  { key: 'attendance', title: 'Отметок посещаемости', type: 'count' },
  { key: 'topics', title: 'Тем уроков', type: 'count' },
  { key: 'total', title: 'Всего записей', type: 'count' },
];

type Counts = { marks: number; attendance: number; topics: number };

export function teacherActivity(data: SchoolData, period: ReportPeriod): { table: ReportTable; notes: string[] } {
  const cells = new Map<string, Counts>();
  const add = (who: string, at: string, field: keyof Counts) => {
    const day = localDay(at, data.timeZone); // the school's calendar day, not UTC's
    if (!inPeriod(day, period)) return;
    const key = `${who}|${day}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { marks: 0, attendance: 0, topics: 0 }));
    c[field]++;
  };
  for (const m of data.marks) add(m.recordedBy, m.recordedAt, 'marks');
  for (const a of data.attendance) add(a.recordedBy, a.recordedAt, 'attendance');
  for (const l of data.lessons.values()) if (l.topic?.trim()) add(l.recordedBy, l.recordedAt, 'topics');
  const rows: Row[] = [...cells].map(([key, c]) => {
    const [who, day] = key.split('|');
    return { teacher: personName(data.persons, who), day, ...c, total: c.marks + c.attendance + c.topics };
  });
  rows.sort((a, b) => ru.compare(String(a.teacher), String(b.teacher)) || String(a.day).localeCompare(String(b.day)));
  return {
    table: makeTable(TEACHER_ACTIVITY_COLUMNS, rows),
    notes: [
      'День — дата записи по времени школы; записи считаются за тем, кто их внёс (замещающий учитель, а не учитель по расписанию).',
      'Учитывается текущее состояние записей: удалённые записи и прежние правки не считаются.',
    ],
  };
}
