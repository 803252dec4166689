// what the yearly archive's documents print, from a small school year built by hand (the documents are pure
// over it): the CSV a spreadsheet opens never runs a cell as a formula, marks read as the journal has them, and final
// marks come in the order of a paper journal — the periods, then the year.
import { describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import { summaryCsvHeader as summarySheetCsvHeader, summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

// Only the fields the documents read: the records are cast, not built.
const cls = { id: 'class-5a', title: '5А', gradeLevel: 5, letter: 'А' } as HomeroomClassRecord;
const section = { id: 'sec-math', homeroomClassId: cls.id, subjectId: 'subj-math', title: 'Математика' } as SectionRecord;
const session = (id: string, kind: AcademicSessionRecord['kind'], title: string, startDate: string) => [id, { id, kind, title, startDate } as AcademicSessionRecord] as const;
const pupil = (id: string, familyName: string) => [id, { id, familyName, givenName: 'Тест' } as PersonRecord] as const;

function schoolYear(): SchoolYear {
  return {
    organizationId: 'org', schoolYear: 2026,
    sessions: new Map([
      session('q1', 'quarter', '1 четверть', '2025-09-01'), session('q2', 'quarter', '2 четверть', '2025-11-05'),
      session('q3', 'quarter', '3 четверть', '2026-01-09'), session('q4', 'quarter', '4 четверть', '2026-03-30'),
      session('year', 'school_year', '2025/2026', '2025-09-01'), session('exams', 'exam_period', 'экзамены', '2026-05-25'),
    ]),
    classes: [cls],
    subjects: new Map([['subj-math', { id: 'subj-math', title: 'Математика' } as SubjectRecord]]),
    sectionsByClass: new Map([[cls.id, [section]]]),
    pupilsBySection: new Map([[section.id, new Set(['p-evil', 'p-plain'])]]),
    pupils: new Map([pupil('p-evil', '=HYPERLINK("http://x")'), pupil('p-plain', 'Иванова')]),
  };
}

const lesson = { id: 'l-1', sectionId: section.id, date: '2025-09-03', lessonNumber: 2, lessonStatus: 'held' } as ClassJournalData['lessons'][number];
const mark = (studentId: string, slot: 1 | 2, raw: string) => ({ lessonId: lesson.id, studentId, slot, raw });
const final = (studentId: string, kind: 'quarter' | 'half_year' | 'year' | 'exam', periodId: string, raw: string) => ({ sectionId: section.id, studentId, kind, periodId, raw });

function journalData(): ClassJournalData {
  return {
    lessons: [lesson],
    marks: [mark('p-plain', 1, '5-'), mark('p-plain', 2, '-'), mark('p-evil', 1, '+'), mark('p-evil', 2, '4')],
    attendance: [],
    // in store order (by id), not the journal's
    finalMarks: [
      final('p-plain', 'exam', 'exams', '4'), final('p-plain', 'year', 'year', '5'),
      ...['q4', 'q2', 'q1', 'q3'].map((q, i) => final('p-plain', 'quarter', q, String(2 + i))),
      final('p-evil', 'quarter', 'q1', '4'),
    ],
  };
}

/** The cells of a CSV line as a spreadsheet splits them (RFC 4180 quotes). */
function cells(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]));
}

describe('the yearly archive\'s CSV documents', () => {
  const y = schoolYear();
  const journal = classJournalDocuments(y, cls, journalData()).find((d) => d.path.endsWith('.csv'))!.text;
  const sheet = summarySheetPart(y, cls, journalData().finalMarks).csv;

  it('a pupil named like a formula is written as text, which no spreadsheet runs (CSV injection)', () => {
    for (const csv of [journal, sheet]) {
      const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines.some((l) => cells(l).includes('\'=HYPERLINK("http://x") Тест'))).toBe(true);
      // a cell a spreadsheet runs: = @ tab CR first, or a sign followed by more than a number
      for (const l of lines) for (const c of cells(l)) expect(c, l).not.toMatch(/^[=@\t\r]|^[+-](?![\d.,]*$)/);
    }
  });

  it('marks are printed as the journal has them: «5-», «-», «+» get no apostrophe', () => {
    const marks = (id: string) => journal.split('\r\n').filter((l) => l.includes(`,${id},`) && l.includes(',mark,')).map((l) => cells(l).at(-1));
    expect([marks('p-plain'), marks('p-evil')]).toEqual([['5-', '-'], ['+', '4']]);
  });
});

describe('the order of final marks in the yearly archive (R-31, R-38)', () => {
  const y = schoolYear();
  const [csv, htmlText] = classJournalDocuments(y, cls, journalData()).map((d) => d.text);
  const sheet = summarySheetPart(y, cls, journalData().finalMarks);
  const expected = ['1 четверть', '2 четверть', '3 четверть', '4 четверть', '2025/2026', 'экзамены'];

  it('the class journal heads its final-mark columns quarters first, then the year, then the exam', () => {
    const heads = [...htmlText.matchAll(/<th>(четверть|год|экзамен): ([^<]+)<\/th>/g)].map((m) => m[2]);
    expect(heads).toEqual(expected);
  });

  it('the class journal CSV lists a pupil\'s final marks in that order', () => {
    const finals = csv.split('\r\n').filter((l) => l.includes(',p-plain,') && l.includes(',final:')).map((l) => cells(l).at(-1)!.split(': ')[1].split(' — ')[0]);
    expect(finals).toEqual(expected);
  });

  it('the summary sheet lists them in that order, in CSV and in the pupil\'s cell', () => {
    const periods = sheet.csv.split('\r\n').filter((l) => l.includes(',p-plain,')).map((l) => cells(l)[6]);
    expect(periods).toEqual(expected);
    expect(sheet.html).toContain('1 четверть: 4<br>2 четверть: 3<br>3 четверть: 5<br>4 четверть: 2<br>год: 5<br>экзамен: 4');
  });
});

describe('the yearly archive\'s CSV separator (as the reports\' --separator)', () => {
  // Names with the separators in them: a platform allows «,» and «;» in names and titles.
  const y = schoolYear();
  y.pupils.set('p-plain', { id: 'p-plain', familyName: 'Иванова, Петрова; Сидорова', givenName: 'Анна "Аня"' } as PersonRecord);
  y.subjects.set('subj-math', { id: 'subj-math', title: 'Математика, алгебра' } as SubjectRecord);
  const documents = (separator?: ',' | ';') => ({
    journal: classJournalDocuments(y, cls, journalData(), separator ? { separator } : {}).find((d) => d.path.endsWith('.csv'))!.text,
    sheet: summarySheetCsvHeader(separator) + summarySheetPart(y, cls, journalData().finalMarks, separator).csv,
  });
  /** The cells of a line as Excel in a Russian locale splits them: «;», RFC 4180 quotes. */
  const semicolonCells = (line: string) => [...line.matchAll(/(?:^|;)("(?:[^"]|"")*"|[^;]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]));
  const lines = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').slice(0, -1);

  it('by default the CSV is comma-separated, byte for byte what archives made before the choice existed (their hashes stay theirs)', () => {
    const { journal, sheet } = documents();
    expect(documents(',')).toEqual({ journal, sheet });
    expect(sheet).toBe([
      'class,pupil_id,pupil,subject,kind,kind_ru,period,mark',
      '5А,p-evil,"\'=HYPERLINK(""http://x"") Тест","Математика, алгебра",quarter,четверть,1 четверть,4',
      ...[['quarter,четверть', '1 четверть', '4'], ['quarter,четверть', '2 четверть', '3'], ['quarter,четверть', '3 четверть', '5'], ['quarter,четверть', '4 четверть', '2'], ['year,год', '2025/2026', '5'], ['exam,экзамен', 'экзамены', '4']]
        .map(([kind, period, mark]) => `5А,p-plain,"Иванова, Петрова; Сидорова Анна ""Аня""","Математика, алгебра",${kind},${period},${mark}`),
      '',
    ].join('\r\n'));
  });

  it('with «;» every line has the same cells, split on semicolons: a field with «;» is quoted, one with only «,» is not', () => {
    const comma = documents(',');
    const semi = documents(';');
    for (const k of ['journal', 'sheet'] as const) {
      expect(lines(semi[k]).map(semicolonCells)).toEqual(lines(comma[k]).map(cells));
      expect(lines(semi[k])[0]).toMatch(/^class;(pupil_id|subject);/);
    }
    expect(semi.sheet).toContain('5А;p-plain;"Иванова, Петрова; Сидорова Анна ""Аня""";Математика, алгебра;year;год;2025/2026;5\r\n');
    expect(semi.journal).toContain('5А;Математика, алгебра;2025-09-03;2;p-plain;');
    expect(semi.journal.startsWith('\uFEFF')).toBe(true);
  });
});
