// Reads one school's slice of the canonical store for the reports: roster, lessons, marks, attendance, final
// marks, guardian links. A record belongs to the school through class → organization (a lesson through its
// section, a mark through its lesson), the same path grade push uses. Tombstones never enter a report, except as the
// name of a person who left (their marks still count).
import type { EntityName, RecordOf } from '../model/index.js';
import type {
  AcademicSessionRecord, AttendanceRecordRecord, EnrollmentRecord, FinalMarkRecord, GuardianLinkRecord,
  HomeroomClassRecord, LessonRecord, MarkRecord, OrganizationRecord, PersonRecord, SectionRecord, SubjectRecord,
} from '../model/records.js';
import type { Store } from '../store/index.js';
import { UsageError } from '../infra/operator-errors.js';

export interface SchoolData {
  school: OrganizationRecord;
  timeZone: string;
  sessions: AcademicSessionRecord[];
  classes: Map<string, HomeroomClassRecord>;
  sections: Map<string, SectionRecord>;
  subjects: Map<string, SubjectRecord>;
  /** Enrollments in the school's sections and homeroom classes (pupils and teachers). */
  enrollments: EnrollmentRecord[];
  lessons: Map<string, LessonRecord>;
  marks: MarkRecord[];
  attendance: AttendanceRecordRecord[];
  finals: FinalMarkRecord[];
  guardianLinks: GuardianLinkRecord[];
  persons: Map<string, PersonRecord>;
}

/** A report asked for with a kind, format, period or school that is not there: a usage mistake (exit 64). */
export class ReportInputError extends UsageError {
  override name = 'ReportInputError';
}

async function collect<E extends EntityName>(store: Store, entity: E, keep: (r: RecordOf<E>) => boolean): Promise<RecordOf<E>[]> {
  const out: RecordOf<E>[] = [];
  for await (const r of store.iterate(entity)) {
    const rec = r as RecordOf<E>;
    if (rec.entity === entity && rec.status !== 'deleted' && keep(rec)) out.push(rec);
  }
  return out;
}

const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((r) => [r.id, r]));

/**
 * The people of `wanted`, to name them: a person who left the school (tombstoned by a roster snapshot) is still the
 * name on their marks; only a duplicate merged into another person is not (their records follow the winner).
 */
async function namedPeople(store: Store, wanted: ReadonlySet<string>): Promise<PersonRecord[]> {
  const out: PersonRecord[] = [];
  for await (const r of store.iterate('person')) {
    const p = r as PersonRecord & { deleteReason?: string | null };
    if (wanted.has(p.id) && !(p.status === 'deleted' && p.deleteReason === 'merged')) out.push(p);
  }
  return out;
}

/** Loads the school; an id that is not a live school organization is an error naming the id. */
export async function loadSchoolData(store: Store, schoolId: string): Promise<SchoolData> {
  const org = await store.get(schoolId);
  if (!org || org.entity !== 'organization' || org.type !== 'school' || org.status === 'deleted') {
    throw new ReportInputError(`no school organization with id ${schoolId} in the store`);
  }
  const sessions = await collect(store, 'academic_session', (s) => s.organizationId === schoolId);
  const classes = byId(await collect(store, 'homeroom_class', (c) => c.organizationId === schoolId));
  const sections = byId(await collect(store, 'section', (s) => classes.has(s.homeroomClassId)));
  const subjects = byId(await collect(store, 'subject', (s) => s.organizationId === schoolId));
  const enrollments = await collect(store, 'enrollment', (e) => sections.has(e.sectionId) || classes.has(e.sectionId));
  const lessons = byId(await collect(store, 'lesson', (l) => sections.has(l.sectionId)));
  const marks = await collect(store, 'mark', (m) => lessons.has(m.lessonId));
  const attendance = await collect(store, 'attendance_record', (a) => lessons.has(a.lessonId));
  const finals = await collect(store, 'final_mark', (f) => sections.has(f.sectionId));
  const pupils = new Set(enrollments.filter((e) => e.role === 'student').map((e) => e.personId));
  const guardianLinks = await collect(store, 'guardian_link', (g) => pupils.has(g.studentId));
  // Only the people a report can name: pupils, teachers, guardians, whoever recorded a lesson.
  const wanted = new Set<string>([...enrollments.map((e) => e.personId), ...guardianLinks.map((g) => g.guardianId)]);
  for (const l of lessons.values()) {
    wanted.add(l.scheduledTeacherId);
    if (l.substituteTeacherId) wanted.add(l.substituteTeacherId);
    wanted.add(l.recordedBy);
  }
  // The pupils of marks, absences and final marks too: a pupil who left has no live enrollment, but their marks
  // still count, and a row printed with an id instead of a name is no use on a sheet kept for 25 years.
  for (const m of marks) wanted.add(m.recordedBy).add(m.studentId);
  for (const a of attendance) wanted.add(a.recordedBy).add(a.studentId);
  for (const f of finals) wanted.add(f.studentId);
  const persons = byId(await namedPeople(store, wanted));
  return {
    school: org, timeZone: org.timeZone ?? 'Europe/Moscow', sessions, classes, sections, subjects, enrollments,
    lessons, marks, attendance, finals, guardianLinks, persons,
  };
}
