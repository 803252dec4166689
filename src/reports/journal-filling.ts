// R-39 journal filling per teacher and period (seed 000 §5.2, seed 003 §3.5): how many pupils of the teacher's
// journal pages have no mark or exactly one, how many held lessons carry a topic and homework (text or
// «Не задано»), how many were given by a substitute.
import { inPeriod } from './period.js';
import { localDay, personName, pupilsDuring, ru, sectionTeacher } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

export const JOURNAL_FILLING_COLUMNS: Column[] = [
  { key: 'teacher', title: 'Учитель', type: 'text' },
  { key: 'pupils', title: 'Учеников в журналах', type: 'count' },
  { key: 'noMarks', title: 'Без отметок', type: 'count' },
  { key: 'noMarksShare', title: 'Доля без отметок', type: 'share', share: { numerator: 'noMarks', denominator: 'pupils' } },
  { key: 'oneMark', title: 'С одной отметкой', type: 'count' },
  { key: 'oneMarkShare', title: 'Доля с одной отметкой', type: 'share', share: { numerator: 'oneMark', denominator: 'pupils' } },
  { key: 'held', title: 'Проведено уроков', type: 'count' },
  { key: 'withTopic', title: 'С темой', type: 'count' },
  { key: 'topicShare', title: 'Доля с темой', type: 'share', share: { numerator: 'withTopic', denominator: 'held' } },
  { key: 'homeworkDue', title: 'Уроков с домашним заданием по правилам', type: 'count' },
  { key: 'withHomework', title: 'С домашним заданием', type: 'count' },
  { key: 'homeworkShare', title: 'Доля с домашним заданием', type: 'share', share: { numerator: 'withHomework', denominator: 'homeworkDue' } },
  { key: 'substituted', title: 'Уроков с заменой', type: 'count' },
  { key: 'marks', title: 'Отметок выставлено', type: 'count' },
  { key: 'lateEntries', title: 'Внесено позже дня урока', type: 'count' },
  { key: 'lateShare', title: 'Доля внесённых позже', type: 'share', share: { numerator: 'lateEntries', denominator: 'marks' } },
];

interface Tally {
  pupils: number; noMarks: number; oneMark: number; held: number; withTopic: number; homeworkDue: number; withHomework: number; substituted: number;
  marks: number; lateEntries: number;
}
const zero = (): Tally => ({ pupils: 0, noMarks: 0, oneMark: 0, held: 0, withTopic: 0, homeworkDue: 0, withHomework: 0, substituted: 0, marks: 0, lateEntries: 0 });

export function journalFilling(data: SchoolData, period: ReportPeriod): { table: ReportTable; notes: string[] } {
  const tallies = new Map<string, Tally>();
  const tally = (teacherId: string) => {
    let t = tallies.get(teacherId);
    if (!t) tallies.set(teacherId, (t = zero()));
    return t;
  };

  // The teacher whose journal page each section is; 1st grade is taught without marks, so its pages stay
  // out of the mark figures (its pupils would all count as «без отметок»).
  const pageTeacher = new Map<string, string>();
  for (const section of data.sections.values()) {
    if (data.classes.get(section.homeroomClassId)?.gradeLevel === 1) continue;
    pageTeacher.set(section.id, sectionTeacher(data, section.id, period.from, period.to) ?? '—');
  }
  // Graded marks per (pupil, page) in the period; «точка» (owed) and exempt marks are not marks.
  // A mark entered on a later calendar day than its lesson is late (seed 000 §5.2: «своевременность внесения записей»).
  const marksPer = new Map<string, number>();
  for (const m of data.marks) {
    if (m.state !== 'graded' || !inPeriod(m.markDate, period)) continue;
    const sectionId = data.lessons.get(m.lessonId)!.sectionId;
    const key = `${m.studentId}|${sectionId}`;
    marksPer.set(key, (marksPer.get(key) ?? 0) + 1);
    const teacher = pageTeacher.get(sectionId);
    if (teacher === undefined) continue;
    const t = tally(teacher);
    t.marks++;
    if (localDay(m.recordedAt, data.timeZone) > m.markDate) t.lateEntries++;
  }
  for (const [sectionId, teacher] of pageTeacher) {
    const pupils = pupilsDuring(data, sectionId, period.from, period.to);
    if (pupils.length === 0) continue;
    const t = tally(teacher);
    for (const p of pupils) {
      const n = marksPer.get(`${p}|${sectionId}`) ?? 0;
      t.pupils++;
      if (n === 0) t.noMarks++;
      if (n === 1) t.oneMark++;
    }
  }
  // Lessons count for the teacher they were scheduled for; a substitute's lesson is still that page's lesson.
  for (const l of data.lessons.values()) {
    if (l.lessonStatus !== 'held' || !inPeriod(l.date, period)) continue;
    const t = tally(l.scheduledTeacherId);
    t.held++;
    if (l.topic?.trim()) t.withTopic++;
    // No homework is set in the 1st grade (seed 001 §3.7): its lessons are out of the homework share.
    const section = data.sections.get(l.sectionId);
    if (section === undefined || data.classes.get(section.homeroomClassId)?.gradeLevel !== 1) {
      t.homeworkDue++;
      if (l.homework && (l.homework.notAssigned || l.homework.text?.trim())) t.withHomework++;
    }
    if (l.substituteTeacherId && l.substituteTeacherId !== l.scheduledTeacherId) t.substituted++;
  }
  const rows: Row[] = [...tallies].map(([id, t]) => ({ teacher: personName(data.persons, id), ...t }));
  rows.sort((a, b) => ru.compare(String(a.teacher), String(b.teacher)));
  return {
    table: makeTable(JOURNAL_FILLING_COLUMNS, rows),
    notes: [
      'Учитываются только выставленные отметки (без «точек» и освобождений) с датой урока в периоде (R-11, R-13).',
      'Ученики 1-х классов не учитываются: в 1-м классе отметки не выставляются (R-10).',
      'Домашнее задание считается записанным, если есть текст или отметка «Не задано»; уроки 1-х классов в доле домашнего задания не учитываются (в 1-м классе оно не задаётся).',
      'Уроки относятся к учителю по расписанию; урок, проведённый другим учителем, считается уроком с заменой.',
      'Отметка внесена позже, если дата её записи (по времени школы) позже даты урока.',
    ],
  };
}
