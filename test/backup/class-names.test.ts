// the yearly archive names a homeroom class as a person knows it — «5А» — in its class journal's file names and
// in what `backup archive`, `archive --check` and `backup list` print, not by its UUID; the id is added only where
// another class of the same school year has the same title. A file name takes any title a platform gives, in what a
// manifest allows a path to hold (`[a-z0-9_-]`, src/backup/manifest.ts): transliterated, so every file system and
// every verifier of the manifest format takes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classJournalDocuments } from '../../src/backup/documents/class-journal.js';
import type { ClassJournalData, SchoolYear } from '../../src/backup/documents/school-year.js';
import { ManifestFile } from '../../src/backup/manifest.js';
import { classNamesOf } from '../../src/backup/snapshot-classes.js';
import { summarySheetPart } from '../../src/backup/documents/summary-sheet.js';
import { buildRecord, mintId, type AcademicSessionRecord, type HomeroomClassRecord, type PersonRecord, type SectionRecord, type SubjectRecord } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { collect, filledStore } from './fixtures.js';

const homeroom = (id: string, title: string) => ({ id, title, gradeLevel: 5, letter: 'А' }) as HomeroomClassRecord;
const empty: ClassJournalData = { lessons: [], marks: [], attendance: [], finalMarks: [] };
/** The class journal's file names of `cls` in a year of `classes` (only what the names read). */
const files = (cls: HomeroomClassRecord, classes: HomeroomClassRecord[]) =>
  classJournalDocuments({ schoolYear: 2026, classes, sessions: new Map(), subjects: new Map(), sectionsByClass: new Map(), pupilsBySection: new Map(), pupils: new Map() } as unknown as SchoolYear, cls, empty)
    .map((d) => d.path);

describe('class journal file names', () => {
  it('carry the class\'s title: «5А» is class-journal-5a.csv and .html', () => {
    const a = homeroom('0198aaaa-0000-7000-8000-000000000001', '5А');
    expect(files(a, [a, homeroom('0198aaaa-0000-7000-8000-000000000002', '5Б')])).toEqual(['class-journal-5a.csv', 'class-journal-5a.html']);
  });

  it('two classes of the year with one title: each file name adds its class\'s id', () => {
    const a = homeroom('0198aaaa-0000-7000-8000-000000000001', '5А');
    const again = homeroom('0198aaaa-0000-7000-8000-000000000003', '5А');
    expect(files(a, [a, again])[0]).toBe('class-journal-5a-0198aaaa-0000-7000-8000-000000000001.csv');
    expect(files(again, [a, again])[0]).toBe('class-journal-5a-0198aaaa-0000-7000-8000-000000000003.csv');
  });

  it('any title becomes a name the manifest and every file system take: no path separator, no dot, no space', () => {
    const odd = (title: string) => files(homeroom('0198aaaa-0000-7000-8000-000000000009', title), [])[0];
    expect(odd('5/1')).toBe('class-journal-5_1.csv');
    expect(odd('10 «Б» (профиль)')).toBe('class-journal-10_b_profil.csv');
    expect(odd('11Щ-2')).toBe('class-journal-11shch-2.csv');
    expect(odd('../..')).toBe('class-journal-class.csv');
    // What a manifest's path may be (a Cyrillic name failed the copy's verification).
    for (const t of ['5/1', '10 «Б» (профиль)', '../..', 'Ёлка:*?"<>|\\']) expect(ManifestFile.shape.path.safeParse(odd(t)).success, t).toBe(true);
  });
});

describe('class names the CLI prints, from the store', () => {
  let store: CanonicalStore;
  let classes: HomeroomClassRecord[];
  let twin: HomeroomClassRecord;
  beforeAll(async () => {
    store = await filledStore();
    classes = (await collect(store.iterate('homeroom_class'))) as HomeroomClassRecord[];
    const [first] = classes;
    // A second class of the same school year under the first one's title (re-formed), and one of another year.
    const prov = { system: 'gateway' as const, instance: 'test', fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
    const { gradeLevel, letter, title, academicYearId, organizationId } = first;
    twin = buildRecord('homeroom_class', { gradeLevel, letter, title, academicYearId, organizationId }, { id: mintId(), sourceRefs: [], provenance: prov }) as HomeroomClassRecord;
    const otherYear = buildRecord('homeroom_class', { gradeLevel, letter, title, academicYearId: mintId(), organizationId }, { id: mintId(), sourceRefs: [], provenance: prov });
    await store.upsertMany([twin, otherYear], { runId: 'twin' });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('by title; by title and id only where two classes of one school year share it; an unknown id as it is', async () => {
    const [first, second] = classes;
    const names = await classNamesOf(store, [first.id, second.id, twin.id, 'not-a-class', undefined]);
    expect(names.get(second.id)).toBe(second.title);
    expect(second.title).toMatch(/^\d{1,2}[А-Я]$/);
    expect(names.get(first.id)).toBe(`${first.title} (${first.id})`);
    expect(names.get(twin.id)).toBe(`${first.title} (${twin.id})`);
    expect(names.get('not-a-class')).toBe('not-a-class');
    expect(names.size).toBe(4);
  });
});

describe('the summary sheet of a year with two classes of one title', () => {
  // A class re-formed under its old name: two «5А» of one school year, each with its own pupils and year marks.
  const a = homeroom('0198aaaa-0000-7000-8000-000000000001', '5А');
  const again = homeroom('0198aaaa-0000-7000-8000-000000000003', '5А');
  const section = (id: string, cls: HomeroomClassRecord) => ({ id, homeroomClassId: cls.id, subjectId: 'subj', title: 'Математика' }) as SectionRecord;
  const [sa, sb] = [section('sec-a', a), section('sec-b', again)];
  const y = {
    organizationId: 'org', schoolYear: 2026, classes: [a, again],
    sessions: new Map([['year', { id: 'year', kind: 'school_year', title: '2025/2026', startDate: '2025-09-01' } as AcademicSessionRecord]]),
    subjects: new Map([['subj', { id: 'subj', title: 'Математика' } as SubjectRecord]]),
    sectionsByClass: new Map([[a.id, [sa]], [again.id, [sb]]]),
    pupilsBySection: new Map([[sa.id, new Set(['p-1'])], [sb.id, new Set(['p-2'])]]),
    pupils: new Map([['p-1', { id: 'p-1', familyName: 'Орлов', givenName: 'Пётр' } as PersonRecord], ['p-2', { id: 'p-2', familyName: 'Белова', givenName: 'Ольга' } as PersonRecord]]),
  } as SchoolYear;
  const finals = (sectionId: string, studentId: string) => [{ sectionId, studentId, kind: 'year' as const, periodId: 'year', raw: '5' }];
  const parts = [summarySheetPart(y, a, finals(sa.id, 'p-1')), summarySheetPart(y, again, finals(sb.id, 'p-2'))];

  it('heads each class\'s table so the two can be told apart, as the CLI names them («5А (<id>)»)', () => {
    const headings = parts.map((p) => p.html.match(/<h2>([^<]*)<\/h2>/)![1]);
    expect(headings).toEqual([`5А (${a.id})`, `5А (${again.id})`]);
  });

  it('and its CSV\'s class column too', () => {
    expect(parts.map((p) => p.csv.split(',')[0])).toEqual([`5А (${a.id})`, `5А (${again.id})`]);
  });

  it('a class whose title no other class of the year has keeps its plain title', () => {
    const alone = { ...y, classes: [a] } as SchoolYear;
    expect(summarySheetPart(alone, a, finals(sa.id, 'p-1')).html).toContain('<h2>5А</h2>');
  });
});
