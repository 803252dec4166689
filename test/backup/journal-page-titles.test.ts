// a subject taught in groups (English split into two subgroups) is two sections of one subject in one class, and
// the printed class journal must tell their pages apart. Each gets the subject and what distinguishes it: the subgroup,
// else the section's own title, else a number; a subject taught to the whole class keeps its plain title.
import { describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import { journalPageTitles } from '../../src/backup/documents/journal-page-titles.js';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

// Only the fields the documents read: the records are cast, not built. Synthetic names.
const cls = { id: 'class-6v', title: '6В', gradeLevel: 6, letter: 'В' } as HomeroomClassRecord;
const section = (id: string, subjectId: string, title: string, subgroup?: string) =>
  ({ id, homeroomClassId: cls.id, subjectId, title, ...(subgroup ? { subgroup } : {}) }) as SectionRecord;
function schoolYear(sections: SectionRecord[]): SchoolYear {
  return {
    organizationId: 'org', schoolYear: 2026,
    sessions: new Map([['q1', { id: 'q1', kind: 'quarter', title: '1 четверть', startDate: '2025-09-01' } as AcademicSessionRecord]]),
    classes: [cls],
    subjects: new Map([['subj-en', { id: 'subj-en', title: 'Английский язык' } as SubjectRecord], ['subj-math', { id: 'subj-math', title: 'Математика' } as SubjectRecord]]),
    sectionsByClass: new Map([[cls.id, sections]]),
    pupilsBySection: new Map(sections.map((s, i) => [s.id, new Set([`p-${i}`])])),
    pupils: new Map(sections.map((_, i) => [`p-${i}`, { id: `p-${i}`, familyName: `Ученикова${i}`, givenName: 'Тест' } as PersonRecord])),
  };
}
const lesson = (s: SectionRecord, date: string) => ({ id: `l-${s.id}`, sectionId: s.id, date, lessonNumber: 1, lessonStatus: 'held' }) as ClassJournalData['lessons'][number];
/** The class journal of `sections`, one lesson and one mark each: its sheet headings and the CSV's subject column. */
function journal(sections: SectionRecord[]) {
  const data: ClassJournalData = {
    lessons: sections.map((s) => lesson(s, '2025-09-03')),
    marks: sections.map((s, i) => ({ lessonId: `l-${s.id}`, studentId: `p-${i}`, slot: 1, raw: '5' })),
    attendance: [], finalMarks: [],
  };
  const [csv, page] = classJournalDocuments(schoolYear(sections), cls, data).map((d) => d.text);
  return {
    headings: [...page.matchAll(/<h2>([^<]+), 03\.09–03\.09<\/h2>/g)].map((m) => m[1]),
    subjects: csv.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[1]),
  };
}

describe('class journal: two groups of one subject have pages that tell them apart', () => {
  it('by subgroup: «Английский язык (1 группа)» and «(2 группа)», in the sheets\' headings and the CSV; the whole-class subject as it was', () => {
    const sections = [section('sec-b', 'subj-en', '6В Английский', '2 группа'), section('sec-a', 'subj-en', '6В Английский', '1 группа'), section('sec-m', 'subj-math', '6В Математика')];
    expect(journal(sections)).toEqual({
      headings: ['Английский язык (1 группа)', 'Английский язык (2 группа)', 'Математика'],
      subjects: ['Английский язык (1 группа)', 'Английский язык (2 группа)', 'Математика'],
    });
  });

  it('a subgroup given as a bare number reads «подгруппа 1»', () => {
    const titles = journalPageTitles(schoolYear([]), [section('s1', 'subj-en', 'Английский', '1'), section('s2', 'subj-en', 'Английский', '2')]);
    expect([...titles.values()]).toEqual(['Английский язык (подгруппа 1)', 'Английский язык (подгруппа 2)']);
  });

  it('no subgroup: by the sections\' own titles where they differ', () => {
    const sections = [section('s1', 'subj-en', 'Англ. яз. — гр. Орловой'), section('s2', 'subj-en', 'Англ. яз. — гр. Соколовой')];
    expect(journal(sections).headings).toEqual(['Английский язык (Англ. яз. — гр. Орловой)', 'Английский язык (Англ. яз. — гр. Соколовой)']);
  });

  it('nothing tells them apart: numbered in id order, the same on every run', () => {
    const sections = [section('s2', 'subj-en', 'Английский язык'), section('s1', 'subj-en', 'Английский язык')];
    expect(journal(sections).headings).toEqual(['Английский язык (группа 1)', 'Английский язык (группа 2)']);
    expect(journal([...sections].reverse()).headings).toEqual(['Английский язык (группа 1)', 'Английский язык (группа 2)']);
    expect([...journalPageTitles(schoolYear([]), sections)].sort()).toEqual([['s1', 'Английский язык (группа 1)'], ['s2', 'Английский язык (группа 2)']]);
  });
});
