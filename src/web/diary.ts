// The parents' diary read model over the canonical store: a pupil's marks by subject with the R-13
// weighted average, attendance, homework and quarter/year marks. Reads by scanning the entity (the
// store has no per-pupil query yet), which is fine for one school; see docs/login.md.
import {
  weightedAverage, workTypeByCode, type AcademicSessionRecord, type AttendanceRecordRecord, type CanonicalRecord, type EntityName,
  type FinalMarkRecord, type HomeroomClassRecord, type LessonRecord, type MarkRecord, type PersonRecord, type SectionRecord, type SubjectRecord,
  type WorkRecord,
} from '../model/index.js';
import type { Store } from '../store/index.js';
import { GRADING_PERIOD_KINDS } from '../model/final-kinds.js';
import { pupilClassIds } from '../model/pupil-classes.js';
import { instantToLocalDate } from '../model/dates.js';

export interface ChildSummary { id: string; name: string; className: string | null }
export interface SubjectMarks {
  subject: string;
  marks: { date: string; raw: string; weight: number; workType: string; state: string }[];
  average: number | null;
}
export interface PupilDiary {
  child: ChildSummary;
  subjects: SubjectMarks[];
  attendance: { date: string; subject: string; code: string; kind: string; reason: string }[];
  homework: { date: string; subject: string; text: string; dueDate?: string }[];
  finals: { subject: string; period: string; kind: string; raw: string }[];
  /** The grading period the averages are of (R-13: «средневзвешенная за период»), when one is known. */
  averagePeriod: { title: string; from: string; to: string } | null;
}

async function collect<T>(store: Store, entity: EntityName, keep: (r: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  for await (const r of store.iterate(entity, { status: 'active' })) if (keep(r as unknown as T)) out.push(r as unknown as T);
  return out;
}

function typed<T>(m: Map<string, CanonicalRecord>, id: string | undefined): T | undefined {
  return id ? (m.get(id) as unknown as T | undefined) : undefined;
}

type PupilEnrollment = CanonicalRecord & { personId: string; sectionId: string; role: string; beginDate?: string; endDate?: string };

/**
 * The enrollments that say where a pupil is now: those running today; in the summer, or when none runs, those that
 * began last. A pupil moved from 6А to 7А keeps the 6А enrollments (ended) in the store, and the first of those was
 * shown as the class.
 */
function currentEnrollments(all: PupilEnrollment[], today: string): PupilEnrollment[] {
  const running = all.filter((e) => (!e.beginDate || e.beginDate <= today) && (!e.endDate || e.endDate >= today));
  if (running.length) return running;
  const latest = all.reduce((m, e) => ((e.beginDate ?? '') > m ? e.beginDate ?? '' : m), '');
  return all.filter((e) => (e.beginDate ?? '') === latest);
}

/**
 * Today in the pupil's school's time zone (a school organization carries one): the UTC date was the day before until
 * the small hours east of Greenwich, so on the day of a move the diary named the class left. UTC when no school is known.
 */
async function schoolToday(store: Store, enrollments: PupilEnrollment[]): Promise<string> {
  const now = new Date().toISOString();
  const first = enrollments[0] && (await store.get(enrollments[0].sectionId));
  const homeroom = first?.entity === 'section' ? await store.get((first as SectionRecord).homeroomClassId) : first;
  const org = homeroom?.entity === 'homeroom_class' ? await store.get((homeroom as HomeroomClassRecord).organizationId) : null;
  const zone = org?.entity === 'organization' ? org.timeZone : undefined;
  return zone ? instantToLocalDate(now, zone) : now.slice(0, 10);
}

export async function childSummary(store: Store, studentId: string, today?: string): Promise<ChildSummary | null> {
  const p = (await store.get(studentId)) as PersonRecord | null;
  if (!p || p.entity !== 'person' || p.status !== 'active') return null;
  const all = await collect<PupilEnrollment>(store, 'enrollment', (e) => e.personId === studentId && e.role === 'student');
  const enrollments = currentEnrollments(all, today ?? await schoolToday(store, all));
  // An enrollment names a homeroom class or a section of one (ЭПОС lists groups only): pupil-classes.ts decides.
  const secs = await store.getMany(enrollments.map((e) => e.sectionId));
  const homerooms = await store.getMany([...secs.values()].map((s) => (s.entity === 'section' ? (s as SectionRecord).homeroomClassId : s.id)));
  const classId = pupilClassIds([...homerooms.values(), ...secs.values(), ...enrollments]).get(studentId);
  const className = typed<HomeroomClassRecord>(homerooms, classId)?.title ?? null;
  return { id: p.id, name: [p.familyName, p.givenName].join(' '), className };
}

export async function pupilDiary(store: Store, studentId: string): Promise<PupilDiary | null> {
  const child = await childSummary(store, studentId);
  if (!child) return null;
  const enrollments = await collect<{ personId: string; sectionId: string; role: string }>(store, 'enrollment', (e) => e.personId === studentId && e.role === 'student');
  const sectionIds = new Set(enrollments.map((e) => e.sectionId));
  const sections = await store.getMany([...sectionIds]);
  const subjects = await store.getMany([...sections.values()].map((s) => (s as SectionRecord).subjectId));
  const subjectOf = (sectionId: string) => typed<SubjectRecord>(subjects, typed<SectionRecord>(sections, sectionId)?.subjectId)?.title ?? '—';
  const lessons = new Map((await collect<LessonRecord>(store, 'lesson', (l) => sectionIds.has(l.sectionId))).map((l) => [l.id, l]));
  const marks = await collect<MarkRecord>(store, 'mark', (m) => m.studentId === studentId);
  const works = await store.getMany([...new Set(marks.map((m) => m.workId))]);

  // R-13 averages are of a grading period: the quarter (half-year from the 10th grade, or where the pupil's final
  // marks are by half-years) holding the pupil's latest mark — the current one in term time, the last one in summer.
  const finalsRaw = await collect<FinalMarkRecord>(store, 'final_mark', (f) => f.studentId === studentId && sectionIds.has(f.sectionId));
  const averagePeriod = await gradingPeriodOf(store, [...sections.values()] as SectionRecord[], finalsRaw, marks);
  const inAveragePeriod = (m: MarkRecord) => !averagePeriod || (m.markDate >= averagePeriod.from && m.markDate <= averagePeriod.to);
  const bySubject = new Map<string, MarkRecord[]>();
  for (const m of marks) {
    const lesson = lessons.get(m.lessonId);
    if (!lesson) continue;
    const title = subjectOf(lesson.sectionId);
    bySubject.set(title, [...(bySubject.get(title) ?? []), m]);
  }
  const subjectMarks: SubjectMarks[] = [...new Set([...sectionIds].map(subjectOf))].sort((a, b) => a.localeCompare(b, 'ru')).map((title) => {
    const list = (bySubject.get(title) ?? []).sort((a, b) => a.markDate.localeCompare(b.markDate));
    return {
      subject: title,
      marks: list.map((m) => {
        const w = typed<WorkRecord>(works, m.workId);
        return { date: m.markDate, raw: m.raw, weight: m.weightApplied, workType: (w && workTypeByCode(w.workTypeCode)?.nameRu) ?? w?.title ?? '', state: m.state };
      }),
      average: weightedAverage(list.filter(inAveragePeriod)), // R-13, of the period
    };
  });

  const attendance = (await collect<AttendanceRecordRecord>(store, 'attendance_record', (a) => a.studentId === studentId))
    .map((a) => ({ lesson: lessons.get(a.lessonId), a }))
    .filter((x) => x.lesson)
    .map(({ lesson, a }) => ({ date: lesson!.date, subject: subjectOf(lesson!.sectionId), code: a.rawCode, kind: a.kind, reason: a.reason }))
    .sort((x, y) => y.date.localeCompare(x.date));

  const homework = [...lessons.values()]
    .filter((l) => l.homework && (l.homework.text || l.homework.notAssigned))
    .map((l) => ({ date: l.date, subject: subjectOf(l.sectionId), text: l.homework!.notAssigned ? 'Не задано' : l.homework!.text!, ...(l.homework!.dueDate ? { dueDate: l.homework!.dueDate } : {}) }))
    .sort((x, y) => y.date.localeCompare(x.date) || x.subject.localeCompare(y.subject, 'ru'));

  const periods = await store.getMany([...new Set(finalsRaw.map((f) => f.periodId))]);
  const finals = finalsRaw
    .filter((f) => f.kind === 'quarter' || f.kind === 'half_year' || f.kind === 'year')
    .map((f) => {
      const period = typed<AcademicSessionRecord>(periods, f.periodId);
      // A grading-period mark is named by its period's kind: a trimester's is «триместр», not «четверть».
      return { subject: subjectOf(f.sectionId), period: period?.title ?? '', kind: f.kind === 'quarter' && period ? period.kind : f.kind, raw: f.raw };
    })
    .sort((a, b) => a.subject.localeCompare(b.subject, 'ru') || a.period.localeCompare(b.period, 'ru'));

  return { child, subjects: subjectMarks, attendance, homework, finals, averagePeriod };
}

/** The quarter (trimester, module) or half-year (as the class is graded) of the school that holds the pupil's latest mark, if any. */
async function gradingPeriodOf(store: Store, sections: SectionRecord[], finals: FinalMarkRecord[], marks: MarkRecord[]): Promise<PupilDiary['averagePeriod']> {
  const latest = marks.reduce<string | undefined>((d, m) => (d === undefined || m.markDate > d ? m.markDate : d), undefined);
  if (!latest) return null;
  const homerooms = await store.getMany([...new Set(sections.map((s) => s.homeroomClassId))]);
  const homeroom = [...homerooms.values()].find((h) => h.entity === 'homeroom_class') as HomeroomClassRecord | undefined;
  if (!homeroom) return null;
  const byHalves = finals.some((f) => f.kind === 'half_year') ? !finals.some((f) => f.kind === 'quarter') : homeroom.gradeLevel >= 10;
  const kind = byHalves ? 'half_year' : 'quarter';
  const org = homeroom.organizationId;
  // A school on trimesters or modules is graded by those (final-kinds.ts).
  const graded = (k: string) => (kind === 'quarter' ? GRADING_PERIOD_KINDS.includes(k) : k === kind);
  const found = await collect<AcademicSessionRecord>(store, 'academic_session', (s) => graded(s.kind) && s.organizationId === org && s.startDate <= latest && latest <= s.endDate);
  const s = found[0];
  return s ? { title: s.title, from: s.startDate, to: s.endDate } : null;
}
