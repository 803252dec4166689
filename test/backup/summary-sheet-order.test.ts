// the yearly archive's summary sheet comes as a CSV and a printable HTML page of the same marks. An archivist
// checks one against the other pupil by pupil, so both list the pupils in the same order — the printed page's:
// alphabetical, namesakes told apart (pupil-names.ts). The CSV was in pupil-id order, which no person can follow.
import { describe, expect, it } from 'vitest';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import { summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

// Only the fields the documents read: the records are cast, not built.
const cls = { id: 'class-6v', title: '6В', gradeLevel: 6, letter: 'В' } as HomeroomClassRecord;
const section = { id: 'sec-bio', homeroomClassId: cls.id, subjectId: 'subj-bio', title: 'Биология' } as SectionRecord;
const person = (id: string, familyName: string, givenName: string, middleName?: string) => [id, { id, familyName, givenName, middleName } as PersonRecord] as const;

// Ids in the reverse of the alphabetical order of the names, so the two orders differ everywhere.
const pupils = [
  person('p-1', 'Яковлева', 'Мария'),
  person('p-2', 'Иванов', 'Иван', 'Сергеевич'),
  person('p-3', 'Иванов', 'Иван', 'Петрович'),
  person('p-4', 'Абрамов', 'Олег'),
];

const y: SchoolYear = {
  organizationId: 'org', schoolYear: 2026,
  sessions: new Map([['year', { id: 'year', kind: 'school_year', title: '2025/2026', startDate: '2025-09-01' } as AcademicSessionRecord]]),
  classes: [cls],
  subjects: new Map([['subj-bio', { id: 'subj-bio', title: 'Биология' } as SubjectRecord]]),
  sectionsByClass: new Map([[cls.id, [section]]]),
  pupilsBySection: new Map([[section.id, new Set(pupils.map(([id]) => id))]]),
  pupils: new Map(pupils),
};
const finals: ClassJournalData['finalMarks'] = pupils.map(([studentId], i) => ({ sectionId: section.id, studentId, kind: 'year', periodId: 'year', raw: String(5 - i) }));

describe('the summary sheet\'s CSV and HTML list pupils in one order', () => {
  const sheet = summarySheetPart(y, cls, finals);
  const csvNames = sheet.csv.trim().split('\r\n').map((l) => l.split(',')[2]);
  const htmlNames = [...sheet.html.matchAll(/<td class="name">([^<]*)<\/td>/g)].map((m) => m[1]);

  it('the CSV rows come in the printed page\'s order: alphabetical, namesakes by patronymic', () => {
    expect(htmlNames).toEqual(['Абрамов Олег', 'Иванов Иван Петрович', 'Иванов Иван Сергеевич', 'Яковлева Мария']);
    expect(csvNames).toEqual(htmlNames);
  });
});
