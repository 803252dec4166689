// a pupil on two subgroup pages of one subject (moved from one English group to the other mid-quarter) can have
// the same final mark on both — «н/а» from each teacher. The summary sheet gives the subject one cell per pupil, and
// printed the mark twice («1 четверть: н/а» over «1 четверть: н/а»), which reads as two different attestations.
// Two different marks are both kept: that is a real disagreement the school must see. The CSV is held to the same
// rule: it kept one line per record, so the file gave the «н/а» twice where the page gives it once.
import { describe, expect, it } from 'vitest';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import { summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

// Only the fields the documents read: the records are cast, not built.
const cls = { id: 'class-8a', title: '8А', gradeLevel: 8, letter: 'А' } as HomeroomClassRecord;
const group = (id: string, title: string) => ({ id, homeroomClassId: cls.id, subjectId: 'subj-eng', title }) as SectionRecord;
const groups = [group('sec-eng-1', 'Английский язык, гр. 1'), group('sec-eng-2', 'Английский язык, гр. 2')];

const y: SchoolYear = {
  organizationId: 'org', schoolYear: 2026,
  sessions: new Map([['q1', { id: 'q1', kind: 'quarter', title: '1 четверть', startDate: '2025-09-01' } as AcademicSessionRecord]]),
  classes: [cls],
  subjects: new Map([['subj-eng', { id: 'subj-eng', title: 'Английский язык' } as SubjectRecord]]),
  sectionsByClass: new Map([[cls.id, groups]]),
  pupilsBySection: new Map(groups.map((g) => [g.id, new Set(['p-1'])])),
  pupils: new Map([['p-1', { id: 'p-1', familyName: 'Тестов', givenName: 'Пётр' } as PersonRecord]]),
};
const onBothPages = (first: string, second: string): ClassJournalData['finalMarks'] =>
  [[groups[0], first], [groups[1], second]].map(([g, raw]) => ({ sectionId: (g as SectionRecord).id, studentId: 'p-1', kind: 'quarter', periodId: 'q1', raw: raw as string }));

/** The subject's cell of the pupil's row on the printed page. */
const cell = (html: string) => html.match(/<td class="name">[^<]*<\/td><td>(.*?)<\/td><\/tr>/)![1];

describe('a pupil\'s mark on two subgroup pages of one period in the summary sheet', () => {
  it('the same «н/а» on both pages is printed once', () => {
    expect(cell(summarySheetPart(y, cls, onBothPages('н/а', 'н/а')).html)).toBe('1 четверть: н/а');
  });

  it('two different marks are both printed', () => {
    expect(cell(summarySheetPart(y, cls, onBothPages('4', '5')).html)).toBe('1 четверть: 4<br>1 четверть: 5');
  });
});

describe('the same mark on two subgroup pages of one period in the summary sheet\'s CSV', () => {
  /** The CSV's lines for the pupil: its last cell is the mark. */
  const lines = (csv: string) => csv.split('\r\n').filter((l) => l.includes(',p-1,'));

  it('the same «н/а» on both pages is one line, as on the printed page', () => {
    const part = summarySheetPart(y, cls, onBothPages('н/а', 'н/а'));
    expect(lines(part.csv)).toEqual(['8А,p-1,Тестов Пётр,Английский язык,quarter,четверть,1 четверть,н/а']);
    expect(part.rows).toBe(1);
  });

  it('two different marks are still two lines', () => {
    const part = summarySheetPart(y, cls, onBothPages('4', '5'));
    expect(lines(part.csv).map((l) => l.split(',').at(-1))).toEqual(['4', '5']);
    expect(part.rows).toBe(2);
  });
});
