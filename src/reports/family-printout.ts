// R-30 weekly printout for guardians who refused digital access (guardian_link.digitalAccess = refused): a
// printable page per guardian and child with the marks and attendance of the period (the previous 7 days when
// `--period` is a day). The class teacher hands it over (seed 000 §2.5).
import { inPeriod } from './period.js';
import { enrolledDuring } from '../model/enrolled-during.js';
import { classOfSection, personName, pupilsDuring, ru, subjectOfSection } from './roster.js';
import type { SchoolData } from './school-data.js';
import { makeTable } from './table.js';
import type { Column, ReportPeriod, ReportTable, Row } from './types.js';

export const PRINTOUT_COLUMNS: Column[] = [
  { key: 'date', title: 'Дата', type: 'text' },
  { key: 'subject', title: 'Предмет', type: 'text' },
  { key: 'topic', title: 'Тема урока', type: 'text' },
  { key: 'marks', title: 'Отметки', type: 'text' },
  { key: 'markCount', title: 'Число отметок', type: 'count' },
  { key: 'absent', title: 'Пропуск', type: 'count' },
  { key: 'late', title: 'Опоздание', type: 'count' },
  { key: 'code', title: 'Код посещаемости', type: 'text' },
];

export function familyPrintout(data: SchoolData, period: ReportPeriod): { tables: ReportTable[]; notes: string[] } {
  // Only a child in a homeroom class of the school during the period gets a page: not one who has left.
  // (Enrolled in a homeroom class or in one of its subject sections: platforms differ in which they list.)
  const inSchool = new Set([...data.classes.keys(), ...data.sections.keys()].flatMap((c) => pupilsDuring(data, c, period.from, period.to)));
  const refused = data.guardianLinks.filter((g) => wantsPaper(g) && inSchool.has(g.studentId));
  const pupils = new Set(refused.map((g) => g.studentId));
  // One line per pupil and lesson that has a mark or an attendance record in the period.
  const lines = new Map<string, Row>();
  const line = (studentId: string, lessonId: string) => {
    const key = `${studentId}|${lessonId}`;
    let r = lines.get(key);
    if (!r) {
      const l = data.lessons.get(lessonId)!;
      r = { date: l.date, lessonNumber: l.lessonNumber, subject: subjectOfSection(data, l.sectionId), topic: l.topic ?? '', marks: '', markCount: 0, absent: 0, late: 0, code: '' };
      lines.set(key, r);
    }
    return r;
  };
  for (const m of data.marks) {
    if (!pupils.has(m.studentId) || !inPeriod(m.markDate, period)) continue;
    const r = line(m.studentId, m.lessonId);
    // An owed mark («точка») may carry no value: it is shown as one, as the diary shows it, but not counted.
    const shown = m.state === 'owed' && !m.raw.trim() ? '•' : m.raw;
    r.marks = r.marks ? `${r.marks} ${shown}` : shown;
    if (m.state === 'graded') r.markCount = Number(r.markCount) + 1;
  }
  for (const a of data.attendance) {
    const l = data.lessons.get(a.lessonId)!;
    if (!pupils.has(a.studentId) || !inPeriod(l.date, period) || l.lessonStatus !== 'held') continue; // as in the attendance sheet
    const r = line(a.studentId, a.lessonId);
    if (a.kind === 'late') r.late = 1;
    else r.absent = 1;
    r.code = a.rawCode;
  }
  const tables: ReportTable[] = [];
  const pages = refused.map((g) => ({ g, guardian: personName(data.persons, g.guardianId), pupil: personName(data.persons, g.studentId) }))
    .sort((a, b) => ru.compare(a.guardian, b.guardian) || ru.compare(a.pupil, b.pupil));
  for (const { g, guardian, pupil } of pages) {
    const rows = [...lines].filter(([k]) => k.startsWith(`${g.studentId}|`)).map(([, r]) => r)
      .sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.lessonNumber) - Number(b.lessonNumber))
      .map(({ lessonNumber: _, ...r }) => r);
    const homeroom = classOfPupil(data, g.studentId, period);
    const word = data.persons.get(g.studentId)?.sex === 'female' ? 'ученица' : 'ученик';
    tables.push(makeTable(PRINTOUT_COLUMNS, rows, { title: `${guardian} — ${word} ${pupil}${homeroom ? `, ${homeroom} класс` : ''}` }));
  }
  return {
    tables,
    notes: [
      `Страниц: ${tables.length} (родители и законные представители, отказавшиеся от электронного дневника, R-30).`,
      '«Точка» (долг) показывается в отметках, но в число отметок не входит.',
    ],
  };
}

/**
 * A guardian entitled to the child's marks who chose paper over the electronic diary (R-30). A link whose scope is
 * `none` is the school withholding the child's data from that person (`review refuse`, a court order) — it also
 * reads `digitalAccess: refused`, but must never produce a page; nor may a link no longer active.
 */
function wantsPaper(g: SchoolData['guardianLinks'][number]): boolean {
  return g.digitalAccess === 'refused' && g.accessScope !== 'none' && g.status !== 'inactive';
}

/** The pupil's homeroom class during the period (not last year's, which the store may still hold). */
function classOfPupil(data: SchoolData, studentId: string, period: ReportPeriod): string | undefined {
  const now = (x: { personId: string; role: string; sectionId: string }) => x.personId === studentId && x.role === 'student' && enrolledDuring(x as never, period.from, period.to);
  const e = data.enrollments.find((x) => now(x) && data.classes.has(x.sectionId));
  if (e) return data.classes.get(e.sectionId)!.title;
  const s = data.enrollments.find((x) => now(x) && data.sections.has(x.sectionId));
  return s ? classOfSection(data, s.sectionId) : undefined;
}
