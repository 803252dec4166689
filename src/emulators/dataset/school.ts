// generateSchool: the dataset materialised with random-access indexes for the emulators, plus the
// deterministic accounts (login/password per role) they serve.
import type { EntityName } from '../../model/enums.js';
import { sha256Hex } from '../../model/hash.js';
import type {
  AttendanceRecordRecord, CanonicalRecord, EnrollmentRecord, FinalMarkRecord, GuardianLinkRecord, LessonRecord, MarkRecord,
  PersonRecord, RecordOf, RoleAssignmentRecord, SectionRecord, WorkRecord,
} from '../../model/records.js';
import { BELLS } from './calendar.js';
import { type DatasetOptions, type DatasetPlan, generateRecords, planDataset, type ResolvedDatasetOptions } from './generate.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface DatasetAccount {
  role: 'administrator' | 'director' | 'deputy_academic' | 'teacher' | 'parent' | 'student';
  login: string;
  password: string;
  personId: string;
  /** The school the account belongs to. */
  organizationId: string;
}

export class SyntheticSchool {
  readonly records: CanonicalRecord[];
  readonly byEntity: Map<EntityName, CanonicalRecord[]>;
  readonly options: ResolvedDatasetOptions;
  readonly bells = BELLS;
  private readonly ids = new Map<string, CanonicalRecord>();
  private cache = new Map<string, unknown>();

  constructor(readonly input: DatasetOptions, readonly plan: DatasetPlan, records: CanonicalRecord[]) {
    this.options = plan.options;
    this.records = records;
    this.byEntity = new Map();
    for (const r of records) {
      push(this.byEntity, r.entity, r);
      this.ids.set(r.id, r);
    }
  }

  /** Records of one entity (typed). */
  all<E extends EntityName>(entity: E): RecordOf<E>[] {
    return (this.byEntity.get(entity) ?? []) as RecordOf<E>[];
  }

  /** The first and last lesson dates: the window a whole read or sync of the school covers. */
  lessonWindow(): { from: string; to: string } {
    const dates = this.all('lesson').map((l) => l.date).sort();
    return { from: dates[0], to: dates.at(-1)! };
  }

  get<E extends EntityName>(entity: E, id: string): RecordOf<E> | undefined {
    const r = this.ids.get(id);
    return r && r.entity === entity ? (r as RecordOf<E>) : undefined;
  }

  byId(id: string): CanonicalRecord | undefined {
    return this.ids.get(id);
  }

  private memo<T>(key: string, build: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, build());
    return this.cache.get(key) as T;
  }

  private group<E extends EntityName, R = RecordOf<E>>(entity: E, key: (r: RecordOf<E>) => string | undefined): Map<string, R[]> {
    return this.memo(`${entity}:${key.toString()}`, () => {
      const m = new Map<string, R[]>();
      for (const r of this.all(entity)) {
        const k = key(r);
        if (k !== undefined) push(m, k, r as unknown as R);
      }
      return m;
    });
  }

  /** School organizations (type school). */
  schools() {
    return this.all('organization').filter((o) => o.type === 'school');
  }

  /** Lessons of a section ordered by date and lesson number, optionally within [from, to]. */
  lessonsOfSection(sectionId: string, from?: string, to?: string): LessonRecord[] {
    const list = this.memo('lessonsBySection', () => {
      const m = new Map<string, LessonRecord[]>();
      for (const l of this.all('lesson')) push(m, l.sectionId, l);
      for (const v of m.values()) v.sort((a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber);
      return m;
    }).get(sectionId) ?? [];
    if (!from && !to) return list;
    return list.filter((l) => (!from || l.date >= from) && (!to || l.date <= to));
  }

  /** Lessons of a homeroom class (all its sections) on a date, by lesson number. */
  lessonsOfClassOn(homeroomClassId: string, date: string): LessonRecord[] {
    const sections = new Set(this.sectionsOfClass(homeroomClassId).map((s) => s.id));
    return this.lessonsOn(date).filter((l) => sections.has(l.sectionId)).sort((a, b) => a.lessonNumber - b.lessonNumber);
  }

  lessonsOn(date: string): LessonRecord[] {
    return this.group('lesson', (l) => l.date).get(date) ?? [];
  }

  worksOfLesson(lessonId: string): WorkRecord[] {
    return this.group('work', (w) => w.lessonId).get(lessonId) ?? [];
  }

  marksOfLesson(lessonId: string): MarkRecord[] {
    return this.group('mark', (m) => m.lessonId).get(lessonId) ?? [];
  }

  marksOfWork(workId: string): MarkRecord[] {
    return this.group('mark', (m) => m.workId).get(workId) ?? [];
  }

  marksOfStudent(studentId: string): MarkRecord[] {
    return this.group('mark', (m) => m.studentId).get(studentId) ?? [];
  }

  attendanceOfLesson(lessonId: string): AttendanceRecordRecord[] {
    return this.group('attendance_record', (a) => a.lessonId).get(lessonId) ?? [];
  }

  attendanceOfStudent(studentId: string): AttendanceRecordRecord[] {
    return this.group('attendance_record', (a) => a.studentId).get(studentId) ?? [];
  }

  finalMarksOfStudent(studentId: string): FinalMarkRecord[] {
    return this.group('final_mark', (f) => f.studentId).get(studentId) ?? [];
  }

  finalMarksOfSection(sectionId: string): FinalMarkRecord[] {
    return this.group('final_mark', (f) => f.sectionId).get(sectionId) ?? [];
  }

  sectionsOfClass(homeroomClassId: string): SectionRecord[] {
    return this.group('section', (s) => s.homeroomClassId).get(homeroomClassId) ?? [];
  }

  /** Enrollments of a section or homeroom class (students and teachers). */
  enrollmentsOf(sectionOrClassId: string): EnrollmentRecord[] {
    return this.group('enrollment', (e) => e.sectionId).get(sectionOrClassId) ?? [];
  }

  enrollmentsOfPerson(personId: string): EnrollmentRecord[] {
    return this.group('enrollment', (e) => e.personId).get(personId) ?? [];
  }

  /** Pupils of a section or homeroom class (any enrollment dates), in journal (alphabetical) order. */
  studentsOf(sectionOrClassId: string): PersonRecord[] {
    return this.enrollmentsOf(sectionOrClassId).filter((e) => e.role === 'student')
      .map((e) => this.get('person', e.personId)!).filter(Boolean);
  }

  /** The teacher of record of a section. */
  teacherOf(sectionId: string): PersonRecord | undefined {
    const e = this.enrollmentsOf(sectionId).find((x) => x.role === 'teacher');
    return e ? this.get('person', e.personId) : undefined;
  }

  /** Sections a teacher teaches. */
  sectionsOfTeacher(personId: string): SectionRecord[] {
    return this.enrollmentsOfPerson(personId).filter((e) => e.role === 'teacher')
      .map((e) => this.get('section', e.sectionId)).filter((s): s is SectionRecord => !!s);
  }

  guardiansOf(studentId: string): GuardianLinkRecord[] {
    return this.group('guardian_link', (g) => g.studentId).get(studentId) ?? [];
  }

  childrenOf(guardianId: string): GuardianLinkRecord[] {
    return this.group('guardian_link', (g) => g.guardianId).get(guardianId) ?? [];
  }

  rolesOf(personId: string): RoleAssignmentRecord[] {
    return this.group('role_assignment', (r) => r.personId).get(personId) ?? [];
  }

  /** People holding a role (any school of the dataset). */
  peopleWithRole(role: RoleAssignmentRecord['role']): PersonRecord[] {
    return this.all('role_assignment').filter((r) => r.role === role).map((r) => this.get('person', r.personId)!).filter(Boolean);
  }

  /** Record counts per entity. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.byEntity].map(([k, v]) => [k, v.length]));
  }
}

/** Generates and materialises the dataset (random access for emulators). */
export function generateSchool(options: DatasetOptions): SyntheticSchool {
  return new SyntheticSchool(options, planDataset(options), [...generateRecords(options)]);
}

/** Deterministic password of a synthetic account: derived from the dataset instance and the login. */
export function passwordFor(instance: string, login: string): string {
  const h = sha256Hex(`journal-gateway/synthetic/${instance}/${login}`);
  return `${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}`;
}

/**
 * Accounts per role for the emulators: an administrator, the director, the deputy (УВР), a class teacher of a
 * middle-school class, a pupil of that class and that pupil's parent (digital access enabled). Logins are the
 * persons' `username`s; passwords derive from the seed. Same seed ⇒ same accounts.
 */
export function accountsFor(school: SyntheticSchool | DatasetOptions, schoolIndex = 0): DatasetAccount[] {
  const plan = school instanceof SyntheticSchool ? school.plan : planDataset(school);
  const s = plan.schools[schoolIndex];
  if (!s) throw new Error(`dataset has no school #${schoolIndex}`);
  const acc = (role: DatasetAccount['role'], p: { id: string; username: string }): DatasetAccount => ({
    role, login: p.username, password: passwordFor(plan.instance, p.username), personId: p.id, organizationId: s.id,
  });
  const out: DatasetAccount[] = [];
  for (const st of s.staff) out.push(acc(st.role, st));
  const cls = [...s.classes].sort((a, b) => Math.abs(a.grade - 5) - Math.abs(b.grade - 5)).find((c) => c.grade > 1 && c.pupils.length)
    ?? s.classes.find((c) => c.pupils.length);
  const teacher = cls ? s.teachers[cls.classTeacher] : s.teachers[0];
  if (teacher) out.push(acc('teacher', teacher));
  const pupil = cls?.pupils.map((i) => s.pupils[i]).find((p) => !p.endDate && p.beginDate === plan.calendar.year.startDate
    && p.parents.some((g) => s.parents[g].digitalAccess === 'enabled'));
  if (pupil) {
    out.push(acc('student', pupil));
    out.push(acc('parent', s.parents[pupil.parents.find((g) => s.parents[g].digitalAccess === 'enabled')!]));
  }
  return out;
}
