// the yearly archive is printed and kept 25 years by a Russian school, so what its documents show a
// person names a final mark's kind in Russian — «четверть», «триместр», «полугодие», «год», «экзамен», «итоговая» —
// never the model's code (`quarter`, `half_year`, …). A trimester's mark is of kind `quarter` in the model
// (src/model/final-kinds.ts) and is named by its period: «триместр». The summary sheet's CSV keeps the code in its
// `kind` column (what a re-import matches on) and gives the Russian name beside it in `kind_ru`.
import { describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import { summaryCsvHeader, summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import type { AcademicSessionRecord, HomeroomClassRecord, PersonRecord, SectionRecord, SubjectRecord } from '../../src/model/index.js';

// Only the fields the documents read: the records are cast, not built. A school graded by trimesters.
const cls = { id: 'class-7b', title: '7Б', gradeLevel: 7, letter: 'Б' } as HomeroomClassRecord;
const section = { id: 'sec-hist', homeroomClassId: cls.id, subjectId: 'subj-hist', title: 'История' } as SectionRecord;
const session = (id: string, kind: AcademicSessionRecord['kind'], title: string, startDate: string) => [id, { id, kind, title, startDate } as AcademicSessionRecord] as const;
const y: SchoolYear = {
  organizationId: 'org', schoolYear: 2026,
  sessions: new Map([
    session('t1', 'trimester', '1 триместр', '2025-09-01'), session('t2', 'trimester', '2 триместр', '2025-12-01'),
    session('h2', 'half_year', '2 полугодие', '2026-01-09'), session('q4', 'quarter', '4 четверть', '2026-03-30'),
    session('year', 'school_year', '2025/2026', '2025-09-01'), session('exams', 'exam_period', 'экзамены', '2026-05-25'),
  ]),
  classes: [cls],
  subjects: new Map([['subj-hist', { id: 'subj-hist', title: 'История' } as SubjectRecord]]),
  sectionsByClass: new Map([[cls.id, [section]]]),
  pupilsBySection: new Map([[section.id, new Set(['p-1'])]]),
  pupils: new Map([['p-1', { id: 'p-1', familyName: 'Тестова', givenName: 'Анна' } as PersonRecord]]),
};
type Kind = ClassJournalData['finalMarks'][number]['kind'];
const final = (kind: Kind, periodId: string, raw: string) => ({ sectionId: section.id, studentId: 'p-1', kind, periodId, raw });
const finalMarks = [
  final('quarter', 't1', '4'), final('quarter', 't2', '5'), final('half_year', 'h2', '4'), final('quarter', 'q4', '3'),
  final('year', 'year', '5'), final('exam', 'exams', '4'), final('final', 'year', '5'),
];
const data: ClassJournalData = { lessons: [], marks: [], attendance: [], finalMarks };
/** Every code of a final-mark kind, as a word of its own. */
const CODE = /\b(quarter|trimester|half_year|year|exam|final)\b/;

describe('the yearly archive names final-mark kinds in Russian', () => {
  const sheet = summarySheetPart(y, cls, finalMarks);

  it('the summary sheet\'s CSV keeps the code in `kind` and gives the Russian name in `kind_ru`', () => {
    expect(summaryCsvHeader()).toBe('class,pupil_id,pupil,subject,kind,kind_ru,period,mark\r\n');
    const kinds = sheet.csv.trim().split('\r\n').map((l) => l.split(',').slice(4, 7));
    expect(kinds).toEqual([
      ['quarter', 'триместр', '1 триместр'], ['quarter', 'триместр', '2 триместр'], ['quarter', 'четверть', '4 четверть'],
      ['half_year', 'полугодие', '2 полугодие'], ['year', 'год', '2025/2026'], ['exam', 'экзамен', 'экзамены'], ['final', 'итоговая', '2025/2026'],
    ]);
  });

  it('the summary sheet\'s printed page shows no code: periods by title, the rest by their Russian name', () => {
    expect(sheet.html).not.toMatch(CODE);
    expect(sheet.html).toContain('1 триместр: 4<br>2 триместр: 5<br>4 четверть: 3<br>2 полугодие: 4<br>год: 5<br>экзамен: 4<br>итоговая: 5');
  });

  it('the class journal heads a trimester\'s column «триместр», not «четверть», and prints no code', () => {
    const [csv, page] = classJournalDocuments(y, cls, data).map((d) => d.text);
    const heads = [...page.matchAll(/<th>([^<]+: [^<]+)<\/th>/g)].map((m) => m[1]);
    expect(heads).toEqual(['триместр: 1 триместр', 'триместр: 2 триместр', 'четверть: 4 четверть', 'полугодие: 2 полугодие', 'год: 2025/2026', 'экзамен: экзамены', 'итоговая: 2025/2026']);
    expect(page).not.toMatch(CODE);
    // The CSV's `entry` keeps the code (final:quarter), its `value` the Russian name.
    expect(csv).toContain(',final:quarter,триместр: 1 триместр — 4\r\n');
  });
});
