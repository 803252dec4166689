// Renders canonical records (the synthetic school) as Дневник.ру's own objects with int64 ids
// (platforms.md §3.3) and keeps them as the emulator's mutable store: reads serve it, writes change it.
import type { CanonicalRecord, RecordOf } from '../../model/records.js';
import type { EntityName } from '../../model/enums.js';
import { WORK_TYPES, workTypeByCode } from '../../model/work-types.js';
import { KIND_TO_PERIOD_TYPE, LESSON_STATUS, logStatusOf, markFieldsOf, moodOf } from '../../mappers/dnevnik/codes.js';
import { int64Of } from './int64.js';
import { HOMEWORK_WORK_TYPE } from '../../mappers/dnevnik/codes.js';

type R<E extends EntityName> = RecordOf<E>;
const STAFF_ROLES: ReadonlySet<string> = new Set(['director', 'deputy_academic', 'deputy_upbringing', 'administrator', 'secretary']);
export interface CrosswalkRow { entity: EntityName; sourceId: string; canonicalId: string }

export interface NGroup { id: bigint; type: 'Group' | 'Subgroup'; name: string; fullName: string; parentIds: bigint[]; parallel: number; studyyear: number; subjects: bigint[]; pupils: Set<string> }
export interface NLesson { id: bigint; title?: string; date: string; number: number; subject: bigint; group: bigint; teachers: bigint[]; status: string }
/** `type`: a journal column (`LessonTestWork`, the default) or the lesson's homework (`Homework`, codes.ts). */
export interface NWork { id: bigint; type?: string; workType: number; markType: string; lesson: bigint; eduGroup: bigint; subjectId: bigint; text: string; sentDate: string; targetDate: string | null; periodNumber: number; periodType: string }
export interface NMark { id: bigint; type: string; value: string; textValue: string; person: bigint; work: bigint; lesson: bigint; number: number; date: string; workType: number }
export interface NLogEntry { person: bigint; lesson: bigint; status: string; comment: string | null; createdDate: string }
export interface NFinal { person: bigint; group: bigint; period: bigint; subject: bigint; mark: { id: bigint; type: string; value: string; textValue: string; date: string } }
export interface NPeriod { id: bigint; start: string; finish: string; number: number; type: string; name: string; year: number }

/** Wall-clock `YYYY-MM-DDTHH:MM:SS` of an instant in a zone (the platform sends no offset). */
export function localDateTime(instant: string, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

const WORK_TYPE_BASE = 100_000; // small ids: work types are a short per-school table
export const workTypeIdOf = (code: string) => WORK_TYPE_BASE + Math.max(0, WORK_TYPES.findIndex((w) => w.code === code));

export class DnevnikWorld {
  school!: { id: bigint; name: string; fullName: string; timeZone: number; iana: string };
  readonly groups = new Map<bigint, NGroup>();
  readonly subjects = new Map<bigint, { name: string; area?: string }>();
  readonly persons = new Map<string, { id: bigint; userId: bigint; rec: R<'person'> }>();
  readonly teachers = new Set<string>();
  readonly admins = new Set<string>();
  /** pupil person id → guardian links. */
  readonly relatives = new Map<string, { guardian: string; relation: string }[]>();
  readonly periods: NPeriod[] = [];
  readonly lessons = new Map<bigint, NLesson>();
  readonly markDates: 'lesson-day' | 'set-day';
  readonly works = new Map<bigint, NWork>();
  readonly marks = new Map<bigint, NMark>();
  /** key `${lesson}:${person}`. */
  readonly logEntries = new Map<string, NLogEntry>();
  readonly finals: NFinal[] = [];
  readonly workTypeWeights = new Map<number, { title: string; abbr: string; weight: number }>();
  private readonly xwalk: CrosswalkRow[] = [];
  /** canonical id → platform id (for writes in tests). */
  readonly sourceOf = new Map<string, string>();
  /** canonical section id → [group, subject]. */
  readonly sectionTarget = new Map<string, { group: bigint; subject: bigint }>();

  /**
   * `markDates`: what `Mark.date` holds — the lesson's day (the default) or [U] the day the mark was set, which the
   * API's "by set date" route suggests (docs/platforms/dnevnik.md "Mark dates"); the marks route filters by it.
   */
  constructor(records: Iterable<CanonicalRecord>, opts: { emptyJournal?: boolean; markDates?: 'lesson-day' | 'set-day' } = {}) {
    this.markDates = opts.markDates ?? 'lesson-day';
    const by = new Map<string, CanonicalRecord[]>();
    for (const r of records) {
      if (r.status === 'deleted') continue;
      let list = by.get(r.entity);
      if (!list) by.set(r.entity, (list = []));
      list.push(r);
    }
    const all = <E extends EntityName>(e: E) => (by.get(e) ?? []) as R<E>[];
    const org = all('organization').find((o) => o.type === 'school');
    if (!org) throw new Error('dnevnik emulator: the dataset has no school');
    const iana = org.timeZone ?? 'Europe/Moscow';
    const offset = Math.round((Date.parse(`${localDateTime('2026-01-15T12:00:00Z', iana)}Z`) - Date.parse('2026-01-15T12:00:00Z')) / 3_600_000);
    this.school = { id: int64Of(org.id), name: org.shortName ?? org.name, fullName: org.name, timeZone: offset, iana };
    this.link('organization', this.school.id, org.id);

    const sessions = new Map(all('academic_session').map((s) => [s.id, s]));
    let n = 0;
    for (const s of [...sessions.values()].sort((a, b) => a.startDate.localeCompare(b.startDate) || b.endDate.localeCompare(a.endDate))) {
      const type = KIND_TO_PERIOD_TYPE[s.kind];
      if (!type) continue;
      const id = int64Of(s.id);
      this.periods.push({ id, start: `${s.startDate}T00:00:00`, finish: `${s.endDate}T00:00:00`, number: s.sequence ?? ++n, type, name: s.title, year: s.schoolYear });
      this.link('academic_session', id, s.id);
    }
    for (const s of all('subject')) {
      const id = int64Of(s.id);
      this.subjects.set(id, { name: s.title, area: s.subjectArea });
      this.link('subject', id, s.id);
    }
    for (const p of all('person')) {
      const id = int64Of(p.id);
      this.persons.set(p.id, { id, userId: int64Of(`${p.id}:user`), rec: p });
      this.link('person', id, p.id);
    }
    for (const c of all('homeroom_class')) {
      const id = int64Of(c.id);
      this.groups.set(id, {
        id, type: 'Group', name: c.title, fullName: c.title, parentIds: [], parallel: c.gradeLevel,
        studyyear: sessions.get(c.academicYearId)?.schoolYear ?? 0, subjects: [], pupils: new Set(),
      });
      this.link('homeroom_class', id, c.id);
    }
    const sectionOf = new Map<string, { group: NGroup; subject: bigint; classGroup: NGroup }>();
    for (const s of all('section')) {
      const classGroup = this.groups.get(int64Of(s.homeroomClassId));
      if (!classGroup) continue;
      const subject = int64Of(s.subjectId);
      let group = classGroup;
      if (s.subgroup) {
        // One Subgroup edu-group per subgroup journal page, child of its class (parentIds).
        const id = int64Of(`${s.id}:subgroup`);
        group = { id, type: 'Subgroup', name: s.subgroup, fullName: `${classGroup.name} ${s.subgroup}`, parentIds: [classGroup.id], parallel: classGroup.parallel, studyyear: classGroup.studyyear, subjects: [], pupils: new Set() };
        this.groups.set(id, group);
      }
      if (!group.subjects.includes(subject)) group.subjects.push(subject);
      sectionOf.set(s.id, { group, subject, classGroup });
      this.sectionTarget.set(s.id, { group: group.id, subject });
      this.link('section', `${group.id}:${subject}`, s.id);
    }
    for (const e of all('enrollment')) {
      const sec = sectionOf.get(e.sectionId);
      if (!sec) {
        // Homeroom membership (enrollment into the class itself): the class edu-group's pupils.
        const cls = this.groups.get(int64Of(e.sectionId));
        if (cls && e.role === 'student') {
          cls.pupils.add(e.personId);
          this.link('enrollment', `${cls.id}:${int64Of(e.personId)}`, e.id);
        } else if (cls) this.teachers.add(e.personId);
        continue;
      }
      if (e.role === 'student') {
        sec.group.pupils.add(e.personId);
        sec.classGroup.pupils.add(e.personId);
        // An enrollment has no platform id: edu-group × subject × person, as the connector reads it.
        this.link('enrollment', `${sec.group.id}:${sec.subject}:${int64Of(e.personId)}`, e.id);
      } else this.teachers.add(e.personId);
    }
    for (const ra of all('role_assignment')) {
      if (ra.role === 'subject_teacher' || ra.role === 'class_teacher') this.teachers.add(ra.personId);
      else if (ra.role !== 'student' && ra.role !== 'parent') this.admins.add(ra.personId);
      // A role has no platform id: person × the list the person is on (staff are all `Admins`).
      const listed = ra.role === 'class_teacher' ? undefined : STAFF_ROLES.has(ra.role) ? 'administrator' : ra.role;
      if (listed) this.link('role_assignment', `${int64Of(ra.personId)}:${listed}`, ra.id);
    }
    for (const g of all('guardian_link')) {
      const list = this.relatives.get(g.studentId) ?? [];
      list.push({ guardian: g.guardianId, relation: g.relation });
      this.relatives.set(g.studentId, list);
      // A link has no platform id of its own: pupil person id × relative person id.
      this.link('guardian_link', `${int64Of(g.studentId)}:${int64Of(g.guardianId)}`, g.id);
    }
    const overrides = new Map(all('work_type').filter((w) => !w.organizationId || w.organizationId === org.id).map((w) => [w.code, w]));
    for (const w of WORK_TYPES) {
      const o = overrides.get(w.code);
      this.workTypeWeights.set(workTypeIdOf(w.code), { title: w.nameRu, abbr: w.code, weight: o?.weight ?? w.weight });
    }

    const lessonById = new Map<string, R<'lesson'>>();
    for (const l of all('lesson')) {
      const sec = sectionOf.get(l.sectionId);
      if (!sec) continue;
      lessonById.set(l.id, l);
      const id = int64Of(l.id);
      const teachers = [l.scheduledTeacherId, ...(l.substituteTeacherId ? [l.substituteTeacherId] : [])].map((t) => int64Of(t));
      // A timetable-only platform (a push or migration target) has its lessons, not their topics.
      this.lessons.set(id, { id, title: opts.emptyJournal ? undefined : l.topic, date: `${l.date}T00:00:00`, number: l.lessonNumber, subject: sec.subject, group: sec.group.id, teachers, status: LESSON_STATUS[l.lessonStatus] });
      this.sourceOf.set(l.id, String(id));
    }
    if (opts.emptyJournal) return;
    const periodById = new Map(this.periods.map((p) => [p.id, p]));
    // Each lesson's homework as a homework work of that lesson (not a journal column).
    for (const l of lessonById.values()) {
      const lesson = this.lessons.get(int64Of(l.id));
      const sec = sectionOf.get(l.sectionId);
      if (!lesson || !sec || !l.homework?.text) continue;
      const id = int64Of(`homework:${l.id}`);
      this.works.set(id, {
        id, type: HOMEWORK_WORK_TYPE, workType: workTypeIdOf('homework'), markType: 'mark5', lesson: lesson.id, eduGroup: sec.group.id, subjectId: sec.subject,
        text: l.homework.text, sentDate: lesson.date, targetDate: l.homework.dueDate ? `${l.homework.dueDate}T00:00:00` : null, periodNumber: 0, periodType: 'Quarter',
      });
    }
    for (const w of all('work')) {
      const sec = sectionOf.get(w.sectionId);
      const lesson = this.lessons.get(int64Of(w.lessonId));
      if (!sec || !lesson) continue;
      const period = periodById.get(int64Of(w.gradingPeriodId));
      const id = int64Of(w.id);
      this.works.set(id, {
        id, workType: workTypeIdOf(w.workTypeCode), markType: 'mark5', lesson: lesson.id, eduGroup: sec.group.id, subjectId: sec.subject,
        text: w.title, sentDate: `${w.assignedDate}T00:00:00`, targetDate: w.dueDate ? `${w.dueDate}T00:00:00` : null,
        periodNumber: period?.number ?? 0, periodType: period?.type ?? 'Quarter',
      });
      this.sourceOf.set(w.id, String(id));
    }
    for (const m of all('mark')) {
      const work = this.works.get(int64Of(m.workId));
      const person = this.persons.get(m.studentId);
      if (!work || !person) continue;
      const setDay = opts.markDates === 'set-day' ? { date: localDateTime(m.recordedAt, iana) } : {};
      this.marks.set(int64Of(m.id), { ...renderMark(m), ...setDay, id: int64Of(m.id), person: person.id, work: work.id, lesson: work.lesson, workType: work.workType });
    }
    for (const a of all('attendance_record')) {
      const person = this.persons.get(a.studentId);
      const lesson = this.lessons.get(int64Of(a.lessonId));
      if (!person || !lesson) continue;
      this.logEntries.set(`${lesson.id}:${person.id}`, { person: person.id, lesson: lesson.id, status: logStatusOf(a), comment: null, createdDate: localDateTime(a.recordedAt, iana) });
    }
    for (const f of all('final_mark')) {
      const sec = sectionOf.get(f.sectionId);
      const person = this.persons.get(f.studentId);
      if (!sec || !person) continue;
      this.finals.push({
        person: person.id, group: sec.group.id, period: int64Of(f.periodId), subject: sec.subject,
        mark: { id: int64Of(f.id), type: 'mark5', value: f.raw, textValue: f.raw, date: localDateTime(f.recordedAt, iana) },
      });
    }
  }

  /** Crosswalk of long-lived records: (entity, platform id) → canonical id, as roster sync would match them. */
  private byUser?: Map<string, DnevnikWorld['persons'] extends Map<string, infer V> ? V : never>;
  /** Persons by their user id (decimal string), for `users/many`. */
  personsByUser() {
    this.byUser ??= new Map([...this.persons.values()].map((p) => [String(p.userId), p]));
    return this.byUser;
  }

  crosswalk(): CrosswalkRow[] {
    return [...this.xwalk];
  }

  private link(entity: EntityName, sourceId: bigint | string, canonicalId: string): void {
    this.xwalk.push({ entity, sourceId: String(sourceId), canonicalId });
    this.sourceOf.set(canonicalId, String(sourceId));
  }
}

/** The mark fields of a canonical mark (type/value/textValue/number/date), as the platform stores them. */
export function renderMark(m: Pick<R<'mark'>, 'state' | 'raw' | 'base' | 'slot' | 'markDate'>): { type: string; value: string; textValue: string; number: number; date: string } {
  return markFieldsOf(m);
}

export { moodOf, workTypeByCode };
