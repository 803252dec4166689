// Small synthetic schools for rule tests. Names are synthetic («Тестов Тест»); ids are deterministic per fixture.
import {
  attendanceId, type Business, buildRecord, type CanonicalRecord, type EntityName, finalMarkId, lessonId, markId, naturalId,
  parseRu5, numericOf, type RecordOf, type Role, workId, workTypeByCode,
} from '../../src/model/index.js';

const provenance = {
  system: 'synthetic' as const, instance: 'fixture', fetchedAt: '2025-09-01T00:00:00Z', payloadHash: 'fixture', runId: 'fixture', mapperVersion: 'test',
};

export interface FixtureOptions {
  gradeLevel?: number;
  weeklyHours?: number;
  /** Distinguishes ids when a test builds two fixtures. */
  seed?: string;
}

/** A school with one year, two quarters, a class, a subject, a section, a teacher, a director and a pupil. */
export class SchoolFixture {
  readonly records: CanonicalRecord[] = [];
  private n = 0;
  readonly org: RecordOf<'organization'>;
  readonly year: RecordOf<'academic_session'>;
  readonly q1: RecordOf<'academic_session'>;
  readonly q2: RecordOf<'academic_session'>;
  readonly half1: RecordOf<'academic_session'>;
  readonly homeroom: RecordOf<'homeroom_class'>;
  readonly subject: RecordOf<'subject'>;
  readonly section: RecordOf<'section'>;
  readonly teacher: RecordOf<'person'>;
  readonly director: RecordOf<'person'>;
  readonly student: RecordOf<'person'>;

  constructor(private readonly opts: FixtureOptions = {}) {
    const grade = opts.gradeLevel ?? 5;
    this.org = this.add('organization', { name: 'МБОУ «Тестовая СОШ № 1»', type: 'school', timeZone: 'Europe/Moscow' });
    this.year = this.session('school_year', '2025-09-01', '2026-05-31', '2025/2026 учебный год');
    this.q1 = this.session('quarter', '2025-09-01', '2025-10-24', '1 четверть', this.year.id);
    this.q2 = this.session('quarter', '2025-11-05', '2025-12-28', '2 четверть', this.year.id);
    this.half1 = this.session('half_year', '2025-09-01', '2025-12-28', '1 полугодие', this.year.id);
    this.homeroom = this.add('homeroom_class', {
      gradeLevel: grade, letter: 'А', title: `${grade}А`, academicYearId: this.year.id, organizationId: this.org.id,
    });
    this.subject = this.add('subject', { code: 'math', title: 'Математика', organizationId: this.org.id, schoolYear: 2025 });
    this.section = this.add('section', {
      homeroomClassId: this.homeroom.id, subjectId: this.subject.id, weeklyHours: opts.weeklyHours ?? 2,
      academicYearId: this.year.id, title: `${grade}А Математика`,
    });
    this.teacher = this.person('Учителев', 'Учитель');
    this.roleAssignment(this.teacher.id, 'subject_teacher');
    this.enroll(this.teacher.id, this.section.id, 'teacher');
    this.director = this.person('Директоров', 'Директор');
    this.roleAssignment(this.director.id, 'director');
    this.student = this.pupil();
  }

  nextId(tag: string): string {
    return naturalId('fixture', this.opts.seed ?? '', tag, ++this.n);
  }

  add<E extends EntityName>(entity: E, fields: Business<E>, opts: { id?: string; status?: 'active' | 'inactive'; ext?: Record<string, unknown> } = {}): RecordOf<E> {
    const id = opts.id ?? this.nextId(entity);
    const rec = buildRecord(entity, fields, {
      id, provenance, status: opts.status, ext: opts.ext, sourceRefs: [{ system: 'synthetic', instance: 'fixture', sourceId: id, kind: entity }],
    });
    this.records.push(rec as CanonicalRecord);
    return rec;
  }

  /** Replaces a record in the fixture by a tombstone of it. */
  tombstone<R extends CanonicalRecord>(rec: R): R {
    const dead = { ...rec, status: 'deleted' as const, deletedAt: '2025-10-01T00:00:00Z', deleteReason: 'manual' as const };
    this.records[this.records.indexOf(rec)] = dead;
    return dead;
  }

  session(kind: RecordOf<'academic_session'>['kind'], startDate: string, endDate: string, title: string, parentId?: string) {
    return this.add('academic_session', {
      title, kind, startDate, endDate, schoolYear: 2025, parentId, organizationId: this.org.id, isGradingPeriod: kind === 'quarter',
    });
  }

  person(familyName = 'Тестов', givenName = 'Тест', gradeLevel?: number) {
    return this.add('person', { familyName, givenName, enabled: true, gradeLevel });
  }

  roleAssignment(personId: string, role: Role, beginDate = '2025-09-01', endDate?: string) {
    return this.add('role_assignment', { personId, organizationId: this.org.id, role, isPrimary: true, beginDate, endDate });
  }

  enroll(personId: string, sectionId: string, role: RecordOf<'enrollment'>['role'] = 'student', beginDate = '2025-09-01', endDate?: string, subgroup?: string) {
    return this.add('enrollment', { personId, sectionId, role, isPrimary: true, beginDate, endDate }, subgroup ? { ext: { subgroup } } : {});
  }

  /** A pupil enrolled in the fixture's section from 1 September. */
  pupil(familyName = 'Тестов', givenName = 'Тест') {
    const p = this.person(familyName, givenName, this.homeroom.gradeLevel);
    this.enroll(p.id, this.section.id);
    return p;
  }

  lesson(fields: Partial<Business<'lesson'>> = {}, opts: { id?: string } = {}) {
    const sectionId = fields.sectionId ?? this.section.id;
    const date = fields.date ?? '2025-09-08';
    const lessonNumber = fields.lessonNumber ?? 1;
    return this.add('lesson', {
      sectionId, date, lessonNumber, topic: 'Сложение обыкновенных дробей', homework: { text: '№ 12, 14', notAssigned: false, attachments: [] },
      scheduledTeacherId: this.teacher.id, lessonStatus: 'held', recordedAt: `${date}T09:00:00Z`, recordedBy: this.teacher.id, ...fields,
    }, { id: opts.id ?? lessonId(sectionId, date, lessonNumber) });
  }

  work(lesson: RecordOf<'lesson'>, workTypeCode = 'oral_answer', fields: Partial<Business<'work'>> = {}) {
    const id = workId(lesson.id, workTypeCode);
    const existing = this.records.find((r) => r.id === id);
    if (existing) return existing as RecordOf<'work'>;
    return this.add('work', {
      sectionId: lesson.sectionId, lessonId: lesson.id, workTypeCode, title: workTypeByCode(workTypeCode)?.nameRu ?? workTypeCode,
      assignedDate: lesson.date, gradingPeriodId: this.q1.id, scaleId: naturalId('mark_scale', 'ru5'), ...fields,
    }, { id });
  }

  /** A graded ru5 mark, consistent with unless fields say otherwise. */
  mark(lesson: RecordOf<'lesson'>, raw = '5', fields: Partial<Business<'mark'>> & { workTypeCode?: string } = {}, opts: { id?: string } = {}) {
    const { workTypeCode = 'oral_answer', ...rest } = fields;
    const work = this.work(lesson, workTypeCode);
    const studentId = fields.studentId ?? this.student.id;
    const slot = fields.slot ?? 1;
    const p = parseRu5(raw);
    return this.add('mark', {
      studentId, workId: work.id, lessonId: lesson.id, slot, raw, base: p?.base ?? null, modifier: p?.modifier ?? 'none',
      numeric: p ? numericOf(p.base, p.modifier) : null, state: 'graded', weightApplied: workTypeByCode(workTypeCode)?.weight ?? 1,
      markDate: lesson.date, recordedAt: `${lesson.date}T10:00:00Z`, recordedBy: this.teacher.id, ...rest,
    }, { id: opts.id ?? markId(studentId, lesson.id, slot) });
  }

  attendance(lesson: RecordOf<'lesson'>, fields: Partial<Business<'attendance_record'>> = {}, opts: { id?: string } = {}) {
    const studentId = fields.studentId ?? this.student.id;
    return this.add('attendance_record', {
      studentId, lessonId: lesson.id, kind: 'absent', reason: 'illness', rawCode: 'Б',
      recordedAt: `${lesson.date}T10:00:00Z`, recordedBy: this.teacher.id, ...fields,
    }, { id: opts.id ?? attendanceId(studentId, lesson.id) });
  }

  finalMark(fields: Partial<Business<'final_mark'>> = {}, opts: { id?: string } = {}) {
    const studentId = fields.studentId ?? this.student.id;
    const sectionId = fields.sectionId ?? this.section.id;
    const kind = fields.kind ?? 'quarter';
    const periodId = fields.periodId ?? this.q1.id;
    const raw = fields.raw ?? '5';
    return this.add('final_mark', {
      studentId, sectionId, kind, periodId, raw, base: /^[1-5]$/.test(raw) ? Number(raw) : null,
      recordedAt: '2025-10-24T12:00:00Z', recordedBy: this.teacher.id, ...fields,
    }, { id: opts.id ?? finalMarkId(studentId, sectionId, kind, periodId) });
  }

  lock(lockedThrough: string, fields: Partial<Business<'journal_lock'>> = {}, opts: { id?: string } = {}) {
    return this.add('journal_lock', {
      organizationId: this.org.id, scope: 'school', lockedThrough, createdAt: '2025-09-20T00:00:00Z', ...fields,
    }, opts);
  }

  unlockOrder(fields: Partial<Business<'unlock_order'>> = {}) {
    return this.add('unlock_order', {
      orderNumber: '15-у', orderDate: '2025-09-25', issuedBy: this.director.id,
      scope: { sectionIds: [this.section.id], studentIds: [this.student.id], from: '2025-09-01', to: '2025-09-19' },
      validUntil: '2025-09-30T21:00:00Z', reason: 'Исправление отметки после пересдачи', ...fields,
    });
  }
}

/** Inside the first quarter of the fixture year: R-11 does not judge Q1 yet. */
export const FIXTURE_NOW = '2025-10-01T12:00:00Z';
