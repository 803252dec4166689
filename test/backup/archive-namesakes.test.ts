// R-31/R-32: two pupils of one class with the same family and given name (twins' cousins, a common name) must be told
// apart in the documents a school keeps 5 and 25 years: the printed pages show no id, so two rows «Иванов Иван» with
// different marks could not be traced to a person when a duplicate certificate is issued from the summary sheet.
import { describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import { summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

// Only the fields the documents read: the records are cast, not built.
const cls = { id: 'class-7b', title: '7Б', gradeLevel: 7, letter: 'Б' } as HomeroomClassRecord;
const section = { id: 'sec-hist', homeroomClassId: cls.id, subjectId: 'subj-hist', title: 'История' } as SectionRecord;
const person = (id: string, familyName: string, givenName: string, extra: Partial<PersonRecord> = {}) => [id, { id, familyName, givenName, ...extra } as PersonRecord] as const;

function schoolYear(pupils: (readonly [string, PersonRecord])[]): SchoolYear {
  return {
    organizationId: 'org', schoolYear: 2026,
    sessions: new Map([['year', { id: 'year', kind: 'school_year', title: '2025/2026', startDate: '2025-09-01' } as AcademicSessionRecord]]),
    classes: [cls],
    subjects: new Map([['subj-hist', { id: 'subj-hist', title: 'История' } as SubjectRecord]]),
    sectionsByClass: new Map([[cls.id, [section]]]),
    pupilsBySection: new Map([[section.id, new Set(pupils.map(([id]) => id))]]),
    pupils: new Map(pupils),
  };
}

const lesson = { id: 'l-1', sectionId: section.id, date: '2025-09-03', lessonNumber: 1, lessonStatus: 'held' } as ClassJournalData['lessons'][number];
const data = (ids: string[]): ClassJournalData => ({
  lessons: [lesson],
  marks: ids.map((studentId, i) => ({ lessonId: lesson.id, studentId, slot: 1, raw: String(5 - i) })),
  attendance: [],
  finalMarks: ids.map((studentId, i) => ({ sectionId: section.id, studentId, kind: 'year' as const, periodId: 'year', raw: String(5 - i) })),
});

/** The names in the pupils' column of every table row of an HTML document. */
const names = (html: string) => [...html.matchAll(/<td class="name">([^<]*)<\/td>/g)].map((m) => m[1]);

describe('pupils with the same name in the yearly archive', () => {
  const twins = [
    person('p-1', 'Иванов', 'Иван', { middleName: 'Петрович', birthDate: '2012-03-01' }),
    person('p-2', 'Иванов', 'Иван', { middleName: 'Сергеевич', birthDate: '2012-11-20' }),
    person('p-3', 'Петрова', 'Анна', { middleName: 'Ильинична' }),
  ];
  const y = schoolYear(twins);
  const d = data(['p-1', 'p-2', 'p-3']);

  it('the summary sheet\'s page tells the two «Иванов Иван» apart by their patronymics; the others keep their usual name', () => {
    const rows = names(summarySheetPart(y, cls, d.finalMarks).html);
    expect(new Set(rows).size).toBe(3);
    expect(rows).toContain('Иванов Иван Петрович');
    expect(rows).toContain('Иванов Иван Сергеевич');
    expect(rows).toContain('Петрова Анна');
  });

  it('the class journal\'s pages and its CSV tell them apart too', () => {
    const [csv, page] = classJournalDocuments(y, cls, d);
    const rows = names(page.text);
    expect(rows.filter((n) => n.startsWith('Иванов Иван'))).toEqual(expect.arrayContaining(['Иванов Иван Петрович', 'Иванов Иван Сергеевич']));
    expect(new Set(rows.filter((n) => n.startsWith('Иванов'))).size).toBe(2);
    expect(csv.text).toContain(',p-1,Иванов Иван Петрович,');
    expect(csv.text).toContain(',p-2,Иванов Иван Сергеевич,');
    expect(csv.text).toContain(',p-3,Петрова Анна,');
  });

  it('namesakes with the same patronymic too are told apart by birth date, and with neither by their id', () => {
    const same = schoolYear([
      person('p-1', 'Иванов', 'Иван', { middleName: 'Петрович', birthDate: '2012-03-01' }),
      person('p-2', 'Иванов', 'Иван', { middleName: 'Петрович', birthDate: '2012-11-20' }),
      person('p-4', 'Смирнов', 'Олег'),
      person('p-5', 'Смирнов', 'Олег'),
    ]);
    const rows = names(summarySheetPart(same, cls, data(['p-1', 'p-2', 'p-4', 'p-5']).finalMarks).html);
    expect(rows).toContain('Иванов Иван Петрович, 01.03.2012');
    expect(rows).toContain('Иванов Иван Петрович, 20.11.2012');
    expect(new Set(rows).size).toBe(4);
  });
});
