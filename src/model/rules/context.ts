// One pass over the records builds every lookup the rules need; rules then run on Map lookups only.
import type { Role } from '../enums.js';
import type {
  AcademicSessionRecord, AttendanceRecordRecord, CanonicalRecord, EnrollmentRecord, FinalMarkRecord, HomeroomClassRecord,
  JournalLockRecord, LessonRecord, MarkRecord, MarkScaleRecord, RoleAssignmentRecord, SectionRecord,
  UnlockOrderRecord, WorkRecord, WorkTypeRecord,
} from '../records.js';
import { instantToLocalDate } from '../dates.js';
import type { ResolvedOptions, RuleId, Severity, Violation } from './types.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export const cellKey = (studentId: string, lessonId: string) => `${studentId}|${lessonId}`;
export const pairKey = (a: string, b: string) => `${a}|${b}`;

export interface RuleIndex {
  byId: Map<string, CanonicalRecord>;
  lessons: LessonRecord[];
  works: WorkRecord[];
  marks: MarkRecord[];
  attendance: AttendanceRecordRecord[];
  finalMarks: FinalMarkRecord[];
  locks: JournalLockRecord[];
  orders: UnlockOrderRecord[];
  sections: SectionRecord[];
  /** Non-deleted marks per (studentId, lessonId) cell. */
  marksByCell: Map<string, MarkRecord[]>;
  /** Non-deleted attendance per (studentId, lessonId). */
  attendanceByCell: Map<string, AttendanceRecordRecord[]>;
  enrollmentsByPersonSection: Map<string, EnrollmentRecord[]>;
  studentEnrollmentsBySection: Map<string, EnrollmentRecord[]>;
  rolesByPerson: Map<string, RoleAssignmentRecord[]>;
  workTypesByCode: Map<string, WorkTypeRecord[]>;
  scalesByCode: Map<string, MarkScaleRecord>;
  quarters: AcademicSessionRecord[];
  schoolLocksByOrg: Map<string, JournalLockRecord[]>;
  sectionLocksBySection: Map<string, JournalLockRecord[]>;
  ordersBySection: Map<string, UnlockOrderRecord[]>;
}

export const isLive = (r: { status: string }) => r.status !== 'deleted';

/** Indexes records in a single pass (streaming-friendly: the iterable is read once). */
export function buildRuleIndex(records: Iterable<CanonicalRecord>): RuleIndex {
  const ix: RuleIndex = {
    byId: new Map(), lessons: [], works: [], marks: [], attendance: [], finalMarks: [], locks: [], orders: [], sections: [],
    marksByCell: new Map(), attendanceByCell: new Map(), enrollmentsByPersonSection: new Map(),
    studentEnrollmentsBySection: new Map(), rolesByPerson: new Map(), workTypesByCode: new Map(), scalesByCode: new Map(),
    quarters: [], schoolLocksByOrg: new Map(), sectionLocksBySection: new Map(), ordersBySection: new Map(),
  };
  for (const r of records) {
    ix.byId.set(r.id, r);
    const live = isLive(r);
    switch (r.entity) {
      case 'lesson': ix.lessons.push(r); break;
      case 'work': ix.works.push(r); break;
      case 'section': ix.sections.push(r); break;
      case 'mark':
        ix.marks.push(r);
        if (live) push(ix.marksByCell, cellKey(r.studentId, r.lessonId), r);
        break;
      case 'attendance_record':
        ix.attendance.push(r);
        if (live) push(ix.attendanceByCell, cellKey(r.studentId, r.lessonId), r);
        break;
      case 'final_mark': ix.finalMarks.push(r); break;
      case 'enrollment':
        if (!live) break;
        push(ix.enrollmentsByPersonSection, pairKey(r.personId, r.sectionId), r);
        if (r.role === 'student') push(ix.studentEnrollmentsBySection, r.sectionId, r);
        break;
      case 'role_assignment': if (live) push(ix.rolesByPerson, r.personId, r); break;
      case 'work_type': if (live) push(ix.workTypesByCode, r.code, r); break;
      case 'mark_scale': if (live) ix.scalesByCode.set(r.code, r); break;
      case 'academic_session': if (live && r.kind === 'quarter') ix.quarters.push(r); break;
      case 'journal_lock':
        ix.locks.push(r);
        if (!live) break;
        if (r.scope === 'section' && r.sectionId) push(ix.sectionLocksBySection, r.sectionId, r);
        else push(ix.schoolLocksByOrg, r.organizationId, r);
        break;
      case 'unlock_order':
        ix.orders.push(r);
        if (live) for (const s of r.scope.sectionIds) push(ix.ordersBySection, s, r);
        break;
      default: break;
    }
  }
  return ix;
}

/** What a rule sees: the index, the options and typed lookups over them. */
export class RuleContext {
  private readonly quarterCache = new Map<string, AcademicSessionRecord[]>();
  private gradedDates: Map<string, string[]> | undefined;

  constructor(readonly index: RuleIndex, readonly options: ResolvedOptions) {}

  get<T extends CanonicalRecord['entity']>(entity: T, id: string | undefined): Extract<CanonicalRecord, { entity: T }> | undefined {
    if (!id) return undefined;
    const r = this.index.byId.get(id);
    return r && r.entity === entity ? (r as Extract<CanonicalRecord, { entity: T }>) : undefined;
  }

  violation(ruleId: RuleId, severity: Severity, r: { entity: CanonicalRecord['entity']; id: string }, message: string,
    extra: Pick<Violation, 'refs' | 'code'> = {}): Violation {
    return { ruleId, severity, entity: r.entity, id: r.id, message: `${ruleId}: ${message}`, ...extra };
  }

  homeroomOfSection(sectionId: string | undefined): HomeroomClassRecord | undefined {
    return this.get('homeroom_class', this.get('section', sectionId)?.homeroomClassId);
  }

  orgOfSection(sectionId: string | undefined): string | undefined {
    return this.homeroomOfSection(sectionId)?.organizationId;
  }

  /** The section a mark belongs to: its work's section. */
  sectionOfMark(m: MarkRecord): string | undefined {
    return this.get('work', m.workId)?.sectionId;
  }

  /** Grade of the student's homeroom: the homeroom of the journal page, else `person.gradeLevel`. */
  homeroomGrade(studentId: string, sectionId: string | undefined): number | undefined {
    return this.homeroomOfSection(sectionId)?.gradeLevel ?? this.get('person', studentId)?.gradeLevel;
  }

  /** membership comes from the enrollment dates, not the record status (§A.2.9). */
  enrolledOn(personId: string, sectionId: string, date: string, roles: readonly string[] = ['student']): EnrollmentRecord | undefined {
    for (const e of this.index.enrollmentsByPersonSection.get(pairKey(personId, sectionId)) ?? []) {
      if (roles.includes(e.role) && e.beginDate <= date && (!e.endDate || date <= e.endDate)) return e;
    }
    return undefined;
  }

  hasRoleOn(personId: string, roles: readonly Role[], date: string, organizationId?: string): boolean {
    for (const ra of this.index.rolesByPerson.get(personId) ?? []) {
      if (!roles.includes(ra.role)) continue;
      if (organizationId && ra.organizationId !== organizationId) continue;
      if (ra.beginDate && date < ra.beginDate) continue;
      if (ra.endDate && date > ra.endDate) continue;
      return true;
    }
    return false;
  }

  /** Quarters of the section's school and academic year. */
  quartersOfSection(section: SectionRecord): AcademicSessionRecord[] {
    const cached = this.quarterCache.get(section.id);
    if (cached) return cached;
    const org = this.orgOfSection(section.id);
    const year = this.get('academic_session', section.academicYearId);
    const out = this.index.quarters.filter((q) => (!org || q.organizationId === org)
      && (!year || (q.startDate >= year.startDate && q.endDate <= year.endDate)));
    this.quarterCache.set(section.id, out);
    return out;
  }

  /** Dates of the student's graded, non-deleted marks on a section's journal page. */
  gradedMarkDates(studentId: string, sectionId: string): readonly string[] {
    if (!this.gradedDates) {
      this.gradedDates = new Map();
      for (const m of this.index.marks) {
        if (!isLive(m) || m.state !== 'graded') continue;
        const s = this.sectionOfMark(m);
        if (s) push(this.gradedDates, pairKey(m.studentId, s), m.markDate);
      }
    }
    return this.gradedDates.get(pairKey(studentId, sectionId)) ?? [];
  }

  gradedCount(studentId: string, sectionId: string, from: string, to: string): number {
    let n = 0;
    for (const d of this.gradedMarkDates(studentId, sectionId)) if (d >= from && d <= to) n++;
    return n;
  }

  /** Calendar date of `now` in the school's zone (UTC when the school is unknown). */
  today(organizationId: string | undefined): string {
    const tz = this.get('organization', organizationId)?.timeZone;
    return tz ? instantToLocalDate(this.options.now, tz) : new Date(this.options.nowMs).toISOString().slice(0, 10);
  }
}

export type { AcademicSessionRecord };

export interface RuleDeclaration {
  id: RuleId;
  /** Severity for outbound pushes (and for inbound where §B does not distinguish). */
  severity: Severity;
  /** Severity for inbound mirroring when §B says otherwise (R-01 quarantine, R-03/R-22 flag only). */
  inboundSeverity?: Severity;
  /** Russian title for reports. */
  title: string;
  check(ctx: RuleContext): Violation[];
}

export function severityOf(rule: Pick<RuleDeclaration, 'severity' | 'inboundSeverity'>, ctx: RuleContext): Severity {
  return ctx.options.direction === 'inbound' && rule.inboundSeverity ? rule.inboundSeverity : rule.severity;
}
