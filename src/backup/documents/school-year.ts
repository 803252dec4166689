// What the yearly archive needs of one school year, read from the store. The roster side
// (classes, subjects, sections, pupils) is small and kept in memory; the journal side (lessons, marks,
// attendance, final marks) is read one homeroom class at a time, so memory grows with a class, not a school —
// and only the fields the documents print are read: whole records (provenance, source refs) were ~10× the
// bytes, and parsing them class after class pushed a 1,000-pupil school's archive past 300 MB RSS (bench/backup.ts).
import type { CanonicalStore } from '../../store/index.js';
import type {
  AcademicSessionRecord, AttendanceRecordRecord, EnrollmentRecord, FinalMarkRecord, HomeroomClassRecord, LessonRecord, MarkRecord,
  PersonRecord, SectionRecord, SubjectRecord,
} from '../../model/index.js';

export interface SchoolYear {
  organizationId: string;
  schoolYear: number;
  sessions: Map<string, AcademicSessionRecord>;
  classes: HomeroomClassRecord[];
  subjects: Map<string, SubjectRecord>;
  sectionsByClass: Map<string, SectionRecord[]>;
  /** Pupil ids per section (student enrollments, live). */
  pupilsBySection: Map<string, Set<string>>;
  pupils: Map<string, PersonRecord>;
}

/** The fields of each journal record the class journal and the summary sheet print (full records fit too). */
export const JOURNAL_FIELDS = {
  lesson: ['id', 'sectionId', 'date', 'lessonNumber', 'lessonStatus'],
  mark: ['lessonId', 'studentId', 'slot', 'raw'],
  attendance_record: ['lessonId', 'studentId', 'kind'],
  final_mark: ['sectionId', 'studentId', 'kind', 'periodId', 'raw'],
} as const satisfies Record<string, readonly string[]>;
type Fields<E extends keyof typeof JOURNAL_FIELDS> = (typeof JOURNAL_FIELDS)[E][number];

export interface ClassJournalData {
  lessons: Pick<LessonRecord, Fields<'lesson'>>[];
  marks: Pick<MarkRecord, Fields<'mark'>>[];
  attendance: Pick<AttendanceRecordRecord, Fields<'attendance_record'>>[];
  finalMarks: Pick<FinalMarkRecord, Fields<'final_mark'>>[];
}

/**
 * Records of the year the archive keeps: live ones, and ones roster sync tombstoned because the platform no longer
 * lists them (a class that graduated in June, a group re-formed in January) — their year of marks is still the
 * school's record. Only a record deleted as a duplicate (`merged` into another) is left out.
 */
/** The school's records of an entity that names its organization (the store's organization index picks them). */
async function ofTheYear<T>(store: CanonicalStore, entity: Parameters<CanonicalStore['iterate']>[0], organizationId: string, keep: (r: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  for await (const r of store.iterate(entity, { organizationId })) if (!isDuplicate(r) && keep(r as T)) out.push(r as T);
  return out;
}

/**
 * Records of `entity` whose `field` is one of `values`, whole and of any status, by the store's index on that field
 * (migration 002: sections by class, enrollments by section): a school's share of the region, not the region's.
 */
async function byIndexedField<T>(store: CanonicalStore, entity: 'section' | 'enrollment', field: 'homeroomClassId' | 'sectionId', values: string[]): Promise<T[]> {
  if (values.length === 0) return [];
  const r = await store.driver.query<{ record: T }>(
    `SELECT record FROM canonical_records WHERE entity = '${entity}' AND record->>'${field}' = ANY($1::text[]) ORDER BY id`,
    [values],
  );
  return r.rows.map((x) => x.record);
}
const isDuplicate = (r: { status: string }) => r.status === 'deleted' && (r as { deleteReason?: string }).deleteReason === 'merged';

/** Of `sectionIds`, those with at least one lesson: a tombstoned section is archived only if it held a journal. */
async function withLessons(store: CanonicalStore, sectionIds: string[]): Promise<Set<string>> {
  if (sectionIds.length === 0) return new Set();
  const r = await store.driver.query<{ s: string }>(
    `SELECT DISTINCT record->>'sectionId' AS s FROM canonical_records WHERE entity = 'lesson' AND status <> 'deleted' AND record->>'sectionId' = ANY($1::text[])`,
    [sectionIds],
  );
  return new Set(r.rows.map((x) => x.s));
}

/**
 * The `fields` of live records of an entity whose `field` is one of `values` (one class's worth), in id order. A
 * field the record lacks stays absent (jsonb_strip_nulls), as it was in the whole record.
 */
async function whereIn<T>(store: CanonicalStore, entity: keyof typeof JOURNAL_FIELDS, field: 'sectionId' | 'lessonId', values: string[]): Promise<T[]> {
  if (values.length === 0) return [];
  const fields = JOURNAL_FIELDS[entity];
  const picked = fields.map((_, i) => `$${i + 2}::text, record->$${i + 2}::text`).join(', ');
  // Entity and field written into the statement (both from closed lists): the partial expression indexes of
  // store/migrations 009 apply only to a predicate the planner sees as written. As parameters, each class read
  // every lesson, mark and absence of the region.
  const r = await store.driver.query<{ record: T }>(
    `SELECT jsonb_strip_nulls(jsonb_build_object(${picked})) AS record FROM canonical_records
     WHERE entity = '${entity}' AND status <> 'deleted' AND record->>'${field}' = ANY($1::text[]) ORDER BY id`,
    [values, ...fields],
  );
  return r.rows.map((x) => x.record);
}

export async function loadSchoolYear(store: CanonicalStore, organizationId: string, schoolYear: number): Promise<SchoolYear> {
  const org = await store.get(organizationId);
  if (!org || org.entity !== 'organization') throw new Error(`yearly archive: no organization ${organizationId} in the store`);
  const sessions = new Map((await ofTheYear<AcademicSessionRecord>(store, 'academic_session', organizationId, (s) => s.organizationId === organizationId && s.schoolYear === schoolYear)).map((s) => [s.id, s]));
  if (sessions.size === 0) throw new Error(`yearly archive: organization ${organizationId} has no academic sessions for school year ${schoolYear}`);
  const allClasses = await ofTheYear<HomeroomClassRecord>(store, 'homeroom_class', organizationId, (c) => c.organizationId === organizationId && sessions.has(c.academicYearId));
  const classIds = new Set(allClasses.map((c) => c.id));
  const subjects = new Map((await ofTheYear<SubjectRecord>(store, 'subject', organizationId, (s) => s.organizationId === organizationId)).map((s) => [s.id, s]));
  const sections = (await byIndexedField<SectionRecord>(store, 'section', 'homeroomClassId', [...classIds])).filter((x) => !isDuplicate(x));
  const heldJournal = await withLessons(store, sections.filter((x) => x.status === 'deleted').map((x) => x.id));
  const sectionsByClass = new Map<string, SectionRecord[]>();
  for (const s of sections) {
    if (s.status === 'deleted' && !heldJournal.has(s.id)) continue;
    const list = sectionsByClass.get(s.homeroomClassId) ?? [];
    list.push(s);
    sectionsByClass.set(s.homeroomClassId, list);
  }
  // A tombstoned class is archived when one of its sections held a journal; a live class always is.
  const classes = allClasses.filter((c) => c.status !== 'deleted' || sectionsByClass.has(c.id))
    .sort((a, b) => a.gradeLevel - b.gradeLevel || a.letter.localeCompare(b.letter, 'ru'));
  const sectionIds = new Set([...sectionsByClass.values()].flat().map((s) => s.id));
  const pupilsBySection = new Map<string, Set<string>>();
  for (const e of await byIndexedField<EnrollmentRecord>(store, 'enrollment', 'sectionId', [...sectionIds])) {
    // A pupil who left during the year stays in the year's journal with every mark and absence they had: their
    // enrollment may be a tombstone by now (gone from the platform's roster). Only one deleted as a duplicate
    // (`merged` into another person's) is left out.
    if ((e.status === 'deleted' && (e as { deleteReason?: string }).deleteReason === 'merged') || e.role !== 'student' || !sectionIds.has(e.sectionId)) continue;
    const set = pupilsBySection.get(e.sectionId) ?? new Set<string>();
    set.add(e.personId);
    pupilsBySection.set(e.sectionId, set);
  }
  const pupilIds = new Set([...pupilsBySection.values()].flatMap((s) => [...s]));
  // By any status: a leaver's person record may be a tombstone too, and the archive names them all the same.
  const pupils = new Map((await store.getMany([...pupilIds])) as Map<string, PersonRecord>);
  return { organizationId, schoolYear, sessions, classes, subjects, sectionsByClass, pupilsBySection, pupils };
}

export async function loadClassJournal(store: CanonicalStore, sections: SectionRecord[]): Promise<ClassJournalData> {
  const sectionIds = sections.map((s) => s.id);
  const lessons = await whereIn<ClassJournalData['lessons'][number]>(store, 'lesson', 'sectionId', sectionIds);
  const lessonIds = lessons.map((l) => l.id);
  return {
    lessons,
    marks: await whereIn<ClassJournalData['marks'][number]>(store, 'mark', 'lessonId', lessonIds),
    attendance: await whereIn<ClassJournalData['attendance'][number]>(store, 'attendance_record', 'lessonId', lessonIds),
    finalMarks: await whereIn<ClassJournalData['finalMarks'][number]>(store, 'final_mark', 'sectionId', sectionIds),
  };
}

/**
 * Gives a row, with their name, to every pupil with a mark, an absence or a final mark on one class's pages whom no
 * enrollment there names (R-31: the journal as the store holds it). Usually a pupil merged by review: the merge moves
 * the journal to the record kept at once and retires the merged record's enrollments, and the kept record's enrollment
 * comes only with the next roster read of the class — never once the platform has closed the year (the August run).
 * Before, such a pupil's marks were in neither document. Adds them to `y.pupilsBySection` and `y.pupils`.
 */
export async function addRecordedPupils(store: CanonicalStore, y: SchoolYear, data: ClassJournalData): Promise<void> {
  // A cancelled lesson's cells are not printed: its records alone give no row.
  const sectionOf = new Map(data.lessons.filter((l) => l.lessonStatus !== 'cancelled').map((l) => [l.id, l.sectionId]));
  const recorded: [string | undefined, string][] = [
    ...[...data.marks, ...data.attendance].map((r): [string | undefined, string] => [sectionOf.get(r.lessonId), r.studentId]),
    ...data.finalMarks.map((f): [string | undefined, string] => [f.sectionId, f.studentId]),
  ];
  const unnamed = new Set<string>();
  for (const [sectionId, pupilId] of recorded) {
    if (sectionId === undefined) continue;
    const pupils = y.pupilsBySection.get(sectionId) ?? new Set<string>();
    pupils.add(pupilId);
    y.pupilsBySection.set(sectionId, pupils);
    if (!y.pupils.has(pupilId)) unnamed.add(pupilId);
  }
  for (const [id, p] of await store.getMany([...unnamed])) y.pupils.set(id, p as PersonRecord);
}

/** «Иванов Пётр» — the way a paper journal lists pupils. */
export const pupilName = (p: PersonRecord | undefined, id: string) => (p ? `${p.familyName} ${p.givenName}` : `(ученик ${id})`);
export const sectionTitle = (y: SchoolYear, s: SectionRecord) => y.subjects.get(s.subjectId)?.title ?? s.title;
