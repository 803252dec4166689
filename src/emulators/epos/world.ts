// Renders canonical records (the synthetic school) as ЭПОС.Школа's own objects with its own integer ids
// (МЭШ-style sequences per table, platforms.md §2.4) and keeps them as the emulator's mutable store: reads
// serve it, writes change it. One person = one profile (`pid`); persons are known by their profile id.
import { liveByEntity, type CanonicalRecord, type RecordOf } from '../../model/records.js';
import type { EntityName } from '../../model/enums.js';
import { WORK_TYPES } from '../../model/work-types.js';
import { addDays } from '../../model/dates.js';
import { absenceReasonIdOf, RELATION_CODES } from '../../mappers/epos/codes.js';
import { wallOf } from '../../mappers/epos/dates.js';

type R<E extends EntityName> = RecordOf<E>;
export interface CrosswalkRow { entity: EntityName; sourceId: string; canonicalId: string }

export type ProfileType = 'student' | 'parent' | 'teacher' | 'school_admin';
export interface EProfile { id: number; userId: number; type: ProfileType; rec: R<'person'> }
export interface EClassUnit { id: number; name: string; grade: number }
export interface EGroup {
  id: number; name: string; subjectId: number; subjectName: string; classUnitId: number; className: string;
  students: Set<number>; subgroupIds: number[]; teacher?: number;
}
export interface ScheduleItem {
  id: number; date: string; number: number; start: string; duration: number; group: number; subject: number; classUnit: number;
  teacher: number; replacement: number | null; cancelled: boolean; transferred: boolean; topic: string | null;
  /** What was set for the next lesson (served by `core/api/student_homeworks`). */
  homework: { text: string; dueDate: string } | null;
}
export interface EMark {
  id: number; student: number; lesson: number; group: number; controlForm: number; weight: number; teacher: number;
  comment: string | null; isPoint: boolean; pointDate: string | null; original: string; five: number | null; date: string; createdAt: string;
}
export interface EAttendance { id: number; lesson: number; student: number; reasonId: number; lateMinutes: number | null; createdAt: string; teacher: number }
export interface EFinal {
  id: number; student: number; group: number; subject: number; value: string; period: { id: number; name: string; type: 'quarter' | 'half_year' | 'year' };
  avg: string | null; createdAt: string; teacher: number;
}
export interface EParentLink { parent: number; relation: string; legal: boolean }
/** An attestation period schedule (quarters or half-years) and the class units that follow it [U]. */
export interface ESchedule { id: number; name: string; periods: { id: number; name: string; type: 'quarter' | 'half_year'; starts_at: string; ends_at: string }[]; classUnits: Set<number> }

/** `±HH:MM` offset of a zone at an instant. */
function offsetOf(instant: string, tz: string): string {
  const w = wallOf(instant, tz);
  const mins = Math.round((Date.parse(`${w.date}T${w.time}:00Z`) - Math.floor(Date.parse(instant) / 60_000) * 60_000) / 60_000);
  const a = Math.abs(mins);
  return `${mins < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** A class unit's letter: its name past the grade ("5А" → "А"), to find the unit a promoted class was a year earlier. */
const letterOf = (name: string) => name.replace(/^\d{1,2}\s*-?\s*/, '');

/** Where a group sits in its class unit: the whole class, a subgroup's name, or the container of the subgroups. */
const WHOLE_CLASS = '';
const CONTAINER = '(container)';

/** A group's place, the same a year later: class grade and letter, subject title, whole class / subgroup / container. */
function groupPlace(unit: { grade: number; name: string }, subjectName: string, place: string): string {
  return `${unit.grade}|${letterOf(unit.name)}|${subjectName}|${place}`;
}

/** A world's group ids by their place a year later: where each group's class is promoted to. */
function groupIdsByPlaceAYearLater(w: EposWorld): Map<string, number> {
  const subgroups = new Set([...w.groups.values()].flatMap((g) => g.subgroupIds));
  const out = new Map<string, number>();
  for (const g of w.groups.values()) {
    const unit = w.classUnits.get(g.classUnitId)!;
    const place = g.subgroupIds.length > 0 ? CONTAINER : subgroups.has(g.id) ? g.name : WHOLE_CLASS;
    out.set(groupPlace({ grade: unit.grade + 1, name: unit.name }, g.subjectName, place), g.id);
  }
  return out;
}

export class EposWorld {
  readonly timeZone: string;
  readonly academicYear: { id: number; name: string; begin: string; end: string };
  readonly school: { id: number; name: string; shortName: string };
  readonly profiles = new Map<number, EProfile>();
  /** canonical person id → profile id. */
  readonly profileOf = new Map<string, number>();
  readonly classUnits = new Map<number, EClassUnit>();
  readonly subjects = new Map<number, string>();
  readonly groups = new Map<number, EGroup>();
  /** pupil profile → class unit. */
  readonly classOf = new Map<number, number>();
  readonly parentsOf = new Map<number, EParentLink[]>();
  /** work type code → control form. */
  readonly controlForms = new Map<string, { id: number; name: string; weight: number }>();
  readonly schedule = new Map<number, ScheduleItem>();
  readonly marks = new Map<number, EMark>();
  /** key `${lesson}:${student}`. */
  readonly attendances = new Map<string, EAttendance>();
  readonly finals = new Map<number, EFinal[]>();
  readonly periodSchedules: ESchedule[] = [];
  /** canonical id → ЭПОС id (tests resolve write targets with it). */
  readonly sourceOf = new Map<string, string>();
  private readonly xwalk: CrosswalkRow[] = [];
  private seq = { mark: 300_000_000, attendance: 9_000_000 };

  /**
   * `previousYear`: the world of the same school a school year earlier, for tests of the 1 September rollover. A real
   * ЭПОС profile outlives the year (a promoted pupil, a teacher, a parent keep their profile id), while the new year's
   * academic year, periods, subjects, class units, groups, schedule items and journal records are new objects with new
   * ids. Without it every start numbers everything from the same base, so "the same pupil a year later" would get
   * another profile id and the year's objects the old year's ids. People the previous world had keep their profile
   * ids; new people and all of the year's objects are numbered above the previous world's highest ids.
   * `keepIds` (with `previousYear`): a promoted class unit keeps the id it had a grade lower (5А's becomes 6А's), and a
   * subject keeps the id it had under the same title — what ЭПОС would do if `class_unit_id` or `subject_id` outlived the
   * year [U]; the gateway must then still keep the old year's records apart (src/sync/other-year-ids.ts). Groups and
   * everything else are numbered anew as without it.
   * `keepGroupIds` (with `previousYear`): a group keeps the id it had a grade lower too — the same class letter and
   * subject, and the same subgroup or whole-class place — what ЭПОС would do if `group_id` outlived the year [U]. The
   * lessons, works and final marks the journal routes serve then name a group id another school year's records hold
   * (src/sync/journal-year-links.ts). Its pupils and everything hanging on the group are the new year's.
   */
  constructor(records: Iterable<CanonicalRecord>, opts: { emptyJournal?: boolean; previousYear?: EposWorld; keepIds?: boolean; keepGroupIds?: boolean } = {}) {
    const all = liveByEntity(records);
    const prev = opts.previousYear;
    const above = (ids: Iterable<number>, base: number) => { let m = base; for (const i of ids) if (i > m) m = i; return m; };
    if (prev) this.seq = { ...prev.seq };
    const org = all('organization').find((o) => o.type === 'school');
    if (!org) throw new Error('epos emulator: the dataset has no school');
    this.timeZone = org.timeZone ?? 'Asia/Yekaterinburg';
    this.school = { id: 1201, name: org.name, shortName: org.shortName ?? org.name };
    this.link('organization', this.school.id, org.id);

    const sessions = all('academic_session').filter((s) => s.organizationId === org.id);
    const year = sessions.find((s) => s.kind === 'school_year');
    if (!year) throw new Error('epos emulator: the dataset has no school year');
    this.academicYear = { id: prev ? prev.academicYear.id + 1 : 13, name: `${year.schoolYear - 1}/${year.schoolYear}`, begin: year.startDate, end: year.endDate };
    this.link('academic_session', this.academicYear.id, year.id);
    const periodOf = new Map<string, EFinal['period']>();
    let pid = prev ? above(prev.periodSchedules.flatMap((x) => x.periods.map((p) => p.id)), 40) + 1 : 40;
    periodOf.set(year.id, { id: pid, name: 'Год', type: 'year' });
    this.link('academic_session', pid, year.id);
    const sid = prev ? above(prev.periodSchedules.map((x) => x.id), 0) : 0;
    const schedules = { quarter: { id: sid + 1, name: 'Четверти', periods: [], classUnits: new Set<number>() } as ESchedule, half_year: { id: sid + 2, name: 'Полугодия', periods: [], classUnits: new Set<number>() } as ESchedule };
    for (const s of sessions.filter((x) => x.kind === 'quarter' || x.kind === 'half_year').sort((a, b) => a.startDate.localeCompare(b.startDate) || a.kind.localeCompare(b.kind))) {
      const type = s.kind as 'quarter' | 'half_year';
      periodOf.set(s.id, { id: ++pid, name: s.title, type });
      schedules[type].periods.push({ id: pid, name: s.title, type, starts_at: s.startDate, ends_at: s.endDate });
      this.link('academic_session', pid, s.id);
    }
    this.periodSchedules.push(schedules.quarter, schedules.half_year);
    const kindOfSession = new Map(sessions.map((x) => [x.id, x.kind]));

    let subj = prev ? above(prev.subjects.keys(), 100) : 100;
    const keptSubject = new Map(opts.keepIds && prev ? [...prev.subjects].map(([id, title]) => [title, id]) : []);
    for (const s of all('subject')) {
      const id = keptSubject.get(s.title) ?? ++subj;
      this.subjects.set(id, s.title);
      this.link('subject', id, s.id);
    }
    const typeOf = new Map<string, ProfileType>();
    const rank: Record<ProfileType, number> = { student: 3, teacher: 2, parent: 1, school_admin: 0 };
    for (const ra of all('role_assignment')) {
      const t: ProfileType = ra.role === 'student' ? 'student' : ra.role === 'parent' ? 'parent'
        : ra.role === 'subject_teacher' || ra.role === 'class_teacher' ? 'teacher' : 'school_admin';
      const was = typeOf.get(ra.personId);
      if (!was || rank[t] > rank[was]) typeOf.set(ra.personId, t);
    }
    let prof = prev ? above(prev.profiles.keys(), 1_000_000) : 1_000_000;
    for (const p of all('person')) {
      const id = prev?.profileOf.get(p.id) ?? ++prof;
      this.profiles.set(id, { id, userId: 4_000_000 + (id - 1_000_000), type: typeOf.get(p.id) ?? 'school_admin', rec: p });
      this.profileOf.set(p.id, id);
      this.link('person', id, p.id);
    }
    let cu = prev ? above(prev.classUnits.keys(), 2000) : 2000;
    const keptClass = new Map(opts.keepIds && prev ? [...prev.classUnits.values()].map((u) => [`${u.grade + 1}|${letterOf(u.name)}`, u.id]) : []);
    for (const c of all('homeroom_class')) {
      const id = keptClass.get(`${c.gradeLevel}|${letterOf(c.title)}`) ?? ++cu;
      this.classUnits.set(id, { id, name: c.title, grade: c.gradeLevel });
      this.link('homeroom_class', id, c.id);
    }
    const classIdOf = new Map([...this.xwalk].filter((x) => x.entity === 'homeroom_class').map((x) => [x.canonicalId, Number(x.sourceId)]));
    const subjectIdOf = new Map([...this.xwalk].filter((x) => x.entity === 'subject').map((x) => [x.canonicalId, Number(x.sourceId)]));

    // Groups: one per section; subgrouped sections hang under a whole-class container group (`subgroup_ids`).
    let gid = prev ? above(prev.groups.keys(), 30_000) : 30_000;
    const keptGroup = opts.keepGroupIds && prev ? groupIdsByPlaceAYearLater(prev) : new Map<string, number>();
    const groupId = (unit: { grade: number; name: string }, subjectName: string, place: string) => keptGroup.get(groupPlace(unit, subjectName, place)) ?? ++gid;
    const groupOfSection = new Map<string, EGroup>();
    const containers = new Map<string, EGroup>();
    const cls = new Map(all('homeroom_class').map((c) => [c.id, c]));
    for (const s of all('section')) {
      const classUnitId = classIdOf.get(s.homeroomClassId);
      const subjectId = subjectIdOf.get(s.subjectId);
      if (!classUnitId || !subjectId) continue;
      const className = cls.get(s.homeroomClassId)!.title;
      const base = { subjectId, subjectName: this.subjects.get(subjectId)!, classUnitId, className, subgroupIds: [] as number[] };
      const unit = this.classUnits.get(classUnitId)!;
      let name = s.title;
      let container: EGroup | undefined;
      if (s.subgroup) {
        const key = `${classUnitId}:${subjectId}`;
        container = containers.get(key);
        if (!container) {
          container = { id: groupId(unit, base.subjectName, CONTAINER), name: `${className} ${base.subjectName}`, ...base, subgroupIds: [], students: new Set() };
          containers.set(key, container);
          this.groups.set(container.id, container);
        }
        name = s.subgroup;
      }
      const kind = kindOfSession.get(s.periods[0] ?? '');
      if (kind === 'quarter' || kind === 'half_year') schedules[kind].classUnits.add(classUnitId);
      const g: EGroup = { id: groupId(unit, base.subjectName, s.subgroup ?? WHOLE_CLASS), name, ...base, students: new Set() };
      container?.subgroupIds.push(g.id);
      this.groups.set(g.id, g);
      groupOfSection.set(s.id, g);
      this.link('section', g.id, s.id);
    }
    for (const e of all('enrollment')) {
      const profile = this.profileOf.get(e.personId);
      if (!profile) continue;
      const g = groupOfSection.get(e.sectionId);
      if (g) {
        if (e.role === 'student') {
          g.students.add(profile);
          for (const c of containers.values()) if (c.subgroupIds.includes(g.id)) c.students.add(profile);
        } else g.teacher ??= profile;
        continue;
      }
      const unit = classIdOf.get(e.sectionId);
      if (unit && e.role === 'student') this.classOf.set(profile, unit);
    }
    for (const l of all('guardian_link')) {
      const pupil = this.profileOf.get(l.studentId);
      const parent = this.profileOf.get(l.guardianId);
      if (!pupil || !parent) continue;
      (this.parentsOf.get(pupil) ?? this.parentsOf.set(pupil, []).get(pupil)!).push({ parent, relation: RELATION_CODES[l.relation], legal: l.isLegalRepresentative });
      this.link('guardian_link', `${pupil}:${parent}`, l.id);
    }
    const weights = new Map(all('work_type').filter((w) => !w.organizationId || w.organizationId === org.id).map((w) => [w.code, w]));
    WORK_TYPES.forEach((w, i) => {
      const rec = weights.get(w.code);
      this.controlForms.set(w.code, { id: 501 + i, name: w.nameRu, weight: rec?.weight ?? w.weight });
      if (rec) this.link('work_type', 501 + i, rec.id);
    });

    let item = prev ? above(prev.schedule.keys(), 70_000_000) : 70_000_000;
    for (const l of all('lesson').sort((a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber)) {
      const g = groupOfSection.get(l.sectionId);
      if (!g) continue;
      const start = l.startTime?.slice(0, 5) ?? '08:00';
      const end = l.endTime?.slice(0, 5);
      const duration = end ? (Number(end.slice(0, 2)) * 60 + Number(end.slice(3, 5))) - (Number(start.slice(0, 2)) * 60 + Number(start.slice(3, 5))) : 40;
      const id = ++item;
      this.schedule.set(id, {
        id, date: l.date, number: l.lessonNumber, start, duration, group: g.id, subject: g.subjectId, classUnit: g.classUnitId, teacher: this.profileOf.get(l.scheduledTeacherId)!,
        replacement: l.substituteTeacherId ? this.profileOf.get(l.substituteTeacherId)! : null, cancelled: l.lessonStatus === 'cancelled',
        // A timetable-only platform (a push or migration target) has its lessons, not their topics or homework.
        transferred: l.lessonStatus === 'moved', topic: opts.emptyJournal ? null : l.topic ?? null,
        homework: l.homework?.text && !opts.emptyJournal ? { text: l.homework.text, dueDate: l.homework.dueDate ?? l.date } : null,
      });
      this.sourceOf.set(l.id, String(id));
    }
    if (opts.emptyJournal) return;
    const lessonOf = new Map([...this.sourceOf].map(([c, s]) => [c, Number(s)]));
    const works = new Map(all('work').map((w) => [w.id, w]));
    // Slot-1 marks take their ids before slot-2 marks: a pupil's second mark in a lesson has the larger id,
    // which is how the mapper tells the slots apart (ЭПОС has no slot field).
    for (const m of [...all('mark')].sort((a, b) => a.slot - b.slot)) {
      const lesson = lessonOf.get(m.lessonId);
      const work = works.get(m.workId);
      const student = this.profileOf.get(m.studentId);
      if (!lesson || !work || !student) continue;
      this.addMark({
        student, lesson, group: this.schedule.get(lesson)!.group, controlForm: this.controlForms.get(work.workTypeCode)!.id, weight: m.weightApplied,
        teacher: this.profileOf.get(m.recordedBy)!, comment: m.comment ?? null, isPoint: m.state === 'owed', pointDate: m.state === 'owed' ? addDays(m.markDate, 7) : null,
        original: m.raw, five: m.numeric, date: m.markDate, createdAt: this.instantText(m.recordedAt),
      });
    }
    for (const a of all('attendance_record')) {
      const lesson = lessonOf.get(a.lessonId);
      const student = this.profileOf.get(a.studentId);
      if (!lesson || !student) continue;
      this.addAttendance({ lesson, student, reasonId: absenceReasonIdOf(a), lateMinutes: a.minutesLate ?? null, createdAt: this.instantText(a.recordedAt), teacher: this.profileOf.get(a.recordedBy)! });
    }
    let fid = prev ? above([...prev.finals.values()].flatMap((fs) => fs.map((f) => f.id)), 800_000) : 800_000;
    for (const f of all('final_mark')) {
      const g = groupOfSection.get(f.sectionId);
      const student = this.profileOf.get(f.studentId);
      const period = periodOf.get(f.periodId);
      if (!g || !student || !period) continue;
      (this.finals.get(student) ?? this.finals.set(student, []).get(student)!).push({
        id: ++fid, student, group: g.id, subject: g.subjectId, value: f.raw, period,
        avg: f.computedAverage === undefined ? null : String(f.computedAverage), createdAt: this.instantText(f.recordedAt), teacher: this.profileOf.get(f.recordedBy)!,
      });
    }
  }

  addMark(m: Omit<EMark, 'id'>): EMark {
    const mark = { id: ++this.seq.mark, ...m };
    this.marks.set(mark.id, mark);
    return mark;
  }

  addAttendance(a: Omit<EAttendance, 'id'>): EAttendance {
    const att = { id: ++this.seq.attendance, ...a };
    this.attendances.set(`${a.lesson}:${a.student}`, att);
    return att;
  }

  /** `created_at` as ЭПОС writes it: school wall time with its offset (`2025-09-01T09:15:00.000+05:00`). */
  instantText(instant: string): string {
    const w = wallOf(instant, this.timeZone);
    const sec = new Date(instant).toISOString().slice(16, 23);
    return `${w.date}T${w.time}${sec}${offsetOf(instant, this.timeZone)}`;
  }

  /** Long-lived records: (entity, platform id) → canonical id, as roster sync would match them. */
  crosswalk(): CrosswalkRow[] {
    return [...this.xwalk];
  }

  private link(entity: EntityName, sourceId: number | string, canonicalId: string): void {
    this.xwalk.push({ entity, sourceId: String(sourceId), canonicalId });
    this.sourceOf.set(canonicalId, String(sourceId));
  }
}
