// Renders canonical records (the synthetic school) as NetSchool's own objects with integer ids
// (platforms.md §1.5, §1.6) and keeps them as the emulator's mutable store: reads serve it, writes change it.
import { liveByEntity, type CanonicalRecord, type RecordOf } from '../../model/records.js';
import type { EntityName } from '../../model/enums.js';
import { WORK_TYPES } from '../../model/work-types.js';
import { letterOf } from '../../mappers/asurso/codes.js';
import { HOMEWORK_TYPE_ID } from '../../connectors/asurso/teacher-api.js';

type R<E extends EntityName> = RecordOf<E>;
export interface CrosswalkRow { entity: EntityName; sourceId: string; canonicalId: string }

export interface NCell { mark: number | null; duty: boolean; date?: string }
export interface NCol { id: number; typeId: number; name: string; weight: number; dueDate: string | null; results: Map<number, NCell>; comments: Map<number, string> }
export interface NMeeting {
  id: number; sg: number; date: string; number: number; startTime?: string; endTime?: string; theme?: string; teacher: number;
  substitute?: number; canceled: boolean; columns: NCol[]; attendance: Map<number, string>;
}
export interface NGroup { id: number; name: string; classId: number; subjectId: number; subgroupName: string | null; teachers: number[]; pupils: number[] }
export interface NClass { id: number; title: string; grade: number; pupils: number[]; terms: number[] }
export interface NTerm { id: number; name: string; startDate: string; endDate: string; number: number; kind: 'quarter' | 'half_year' | 'trimester' }
export interface NPerson { id: number; rec: R<'person'> }
/** A final mark as the report shows it: the subject group, the term (or the school year) id, the text, the average. */
export interface NFinal { sg: number; period: number; raw: string; average?: number }

/** `homework` is type 3 in every NetSchool (platforms.md §1.6 constants); the others follow in table order. */
export function typeIdOf(code: string): number {
  if (code === 'homework') return HOMEWORK_TYPE_ID;
  const i = WORK_TYPES.filter((w) => w.code !== 'homework').findIndex((w) => w.code === code);
  return i < 0 ? 0 : i < 2 ? i + 1 : i + 2;
}

export class AsursoWorld {
  school!: { id: number; name: string; shortName: string; zone: string };
  schoolYear!: { id: number; globalYearId: number; name: string; startDate: string; endDate: string };
  readonly persons = new Map<number, NPerson>();
  readonly classes = new Map<number, NClass>();
  readonly subjects = new Map<number, string>();
  readonly groups = new Map<number, NGroup>();
  readonly terms: NTerm[] = [];
  readonly meetings = new Map<number, NMeeting>();
  readonly meetingsBySg = new Map<number, NMeeting[]>();
  /** assignment type id → [name, abbr, weight]. */
  readonly types = new Map<number, { name: string; abbr: string; weight: number }>();
  /** pupil id → parents' ids; parent id → children. */
  readonly children = new Map<number, number[]>();
  /** pupil id → final marks (the «Итог» columns of `reports/studenttotal`). */
  readonly finals = new Map<number, NFinal[]>();
  /** canonical id → platform id (tests build write operations from it). */
  readonly sourceOf = new Map<string, number>();
  private readonly xwalk: CrosswalkRow[] = [];
  private seq = new Map<string, number>();
  nextColumnId = 9_000_001;

  /**
   * `previousYear`: the world of the same school a school year earlier, for tests of the 1 September rollover. On the
   * platform a person (and the school) keeps their id across years, while the new year, its terms, subjects, classes,
   * subject groups, lessons and columns are new objects with new ids. Without it every start numbers everything from
   * the same base, so "the same pupil a year later" would get another id and the year's objects the old year's ids.
   * People the previous world had keep their ids; everything else is numbered above the previous world's highest ids.
   */
  constructor(records: Iterable<CanonicalRecord>, opts: { emptyJournal?: boolean; previousYear?: AsursoWorld } = {}) {
    const all = liveByEntity(records);
    const prev = opts.previousYear;
    if (prev) {
      this.seq = new Map(prev.seq);
      this.nextColumnId = prev.nextColumnId;
    }
    /** The id the previous year gave a kept record (the school, a person), if it had it. */
    const kept = (canonicalId: string) => prev?.sourceOf.get(canonicalId);
    const org = all('organization').find((o) => o.type === 'school');
    if (!org) throw new Error('asurso emulator: the dataset has no school');
    this.school = { id: this.link('organization', org.id, 1000, true, kept(org.id)), name: org.name, shortName: org.shortName ?? org.name, zone: org.timeZone ?? 'Europe/Samara' };
    const year = all('academic_session').find((s) => s.kind === 'school_year');
    if (!year) throw new Error('asurso emulator: the dataset has no school year');
    // schoolYearId is the school's own id; globalYearId the country-wide index (20 for 2020/21), §1.8.
    this.schoolYear = { id: this.link('academic_session', year.id, 84_300), globalYearId: year.schoolYear - 2001, name: year.title, startDate: year.startDate, endDate: year.endDate };
    // Terms (TERMID): quarters, half-years (senior classes grade by half-years) or trimesters.
    for (const s of all('academic_session').filter((x) => x.kind === 'quarter' || x.kind === 'half_year' || x.kind === 'trimester').sort((a, b) => a.startDate.localeCompare(b.startDate))) {
      this.terms.push({ id: this.link('academic_session', s.id, 5000), name: s.title, startDate: s.startDate, endDate: s.endDate, number: s.sequence ?? 1, kind: s.kind as NTerm['kind'] });
    }
    for (const s of all('subject')) this.subjects.set(this.link('subject', s.id, 3000), s.title);
    for (const p of all('person')) this.persons.set(this.link('person', p.id, 100_000, true, prev?.persons.get(kept(p.id) ?? -1)?.rec.id === p.id ? kept(p.id) : undefined), { id: this.sourceOf.get(p.id)!, rec: p });
    for (const c of all('homeroom_class')) this.classes.set(this.link('homeroom_class', c.id, 2000), { id: this.sourceOf.get(c.id)!, title: c.title, grade: c.gradeLevel, pupils: [], terms: [] });
    const overrides = new Map(all('work_type').filter((w) => !w.organizationId || w.organizationId === org.id).map((w) => [w.code, w.weight]));
    for (const w of WORK_TYPES) this.types.set(typeIdOf(w.code), { name: w.nameRu, abbr: w.code, weight: overrides.get(w.code) ?? w.weight });

    for (const s of all('section')) {
      const cls = this.classes.get(this.sourceOf.get(s.homeroomClassId) ?? -1);
      if (!cls) continue;
      const id = this.link('section', s.id, 40_000);
      // A class's terms are the grading periods of its subject groups.
      for (const p of s.periods) {
        const t = this.sourceOf.get(p);
        if (t !== undefined && this.terms.some((x) => x.id === t) && !cls.terms.includes(t)) cls.terms.push(t);
      }
      this.groups.set(id, {
        id, name: s.title.replace(' ', '/'), classId: cls.id, subjectId: this.sourceOf.get(s.subjectId)!, subgroupName: s.subgroup ?? null, teachers: [], pupils: [],
      });
    }
    for (const e of all('enrollment')) {
      const pid = this.sourceOf.get(e.personId);
      if (pid === undefined) continue;
      const g = this.groups.get(this.sourceOf.get(e.sectionId) ?? -1);
      const c = this.classes.get(this.sourceOf.get(e.sectionId) ?? -1);
      if (g) (e.role === 'student' ? g.pupils : g.teachers).push(pid);
      else if (c && e.role === 'student') c.pupils.push(pid);
      // An enrollment has no platform id: the list the pupil is on (a subject group's or the class's) × pupil.
      if (e.role === 'student' && (g || c)) this.xwalk.push({ entity: 'enrollment', sourceId: g ? `sg:${g.id}:${pid}` : `class:${c!.id}:${pid}`, canonicalId: e.id });
    }
    // A role has no platform id either: person × role, for the lists the teacher routes show (pupils, teachers).
    for (const ra of all('role_assignment')) {
      const pid = this.sourceOf.get(ra.personId);
      if (pid !== undefined && (ra.role === 'student' || ra.role === 'subject_teacher')) this.xwalk.push({ entity: 'role_assignment', sourceId: `${pid}:${ra.role}`, canonicalId: ra.id });
    }
    for (const g of all('guardian_link')) {
      const parent = this.sourceOf.get(g.guardianId);
      const child = this.sourceOf.get(g.studentId);
      if (parent !== undefined && child !== undefined) (this.children.get(parent) ?? this.children.set(parent, []).get(parent)!).push(child);
    }
    const cmOf = new Map<string, NMeeting>();
    for (const l of all('lesson')) {
      const sg = this.sourceOf.get(l.sectionId);
      if (sg === undefined) continue;
      const id = this.link('lesson', l.id, 7_000_000, false);
      // A timetable-only platform (a push or migration target) has its lessons, not their topics.
      const m: NMeeting = {
        id, sg, date: `${l.date}T00:00:00`, number: l.lessonNumber, startTime: l.startTime, endTime: l.endTime, theme: opts.emptyJournal ? undefined : l.topic,
        teacher: this.sourceOf.get(l.scheduledTeacherId)!, substitute: l.substituteTeacherId ? this.sourceOf.get(l.substituteTeacherId) : undefined,
        canceled: l.lessonStatus === 'cancelled', columns: [], attendance: new Map(),
      };
      this.meetings.set(id, m);
      cmOf.set(l.id, m);
      (this.meetingsBySg.get(sg) ?? this.meetingsBySg.set(sg, []).get(sg)!).push(m);
    }
    for (const list of this.meetingsBySg.values()) list.sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number);
    if (opts.emptyJournal) return;
    for (const f of all('final_mark')) {
      const pid = this.sourceOf.get(f.studentId);
      const sg = this.sourceOf.get(f.sectionId);
      const period = f.kind === 'year' ? this.schoolYear.id : this.sourceOf.get(f.periodId);
      if (pid === undefined || sg === undefined || period === undefined) continue;
      (this.finals.get(pid) ?? this.finals.set(pid, []).get(pid)!).push({ sg, period, raw: f.raw, average: f.computedAverage });
    }

    // One column per work and mark slot: a pupil's second mark on a lesson (a retake of the same
    // work, or a mark for another work) sits in a column after every first-mark column, since NetSchool keeps
    // one mark per pupil per column and the reader numbers a pupil's marks in column order.
    const cols = new Map<string, { m: NMeeting; w: R<'work'>; slots: (NCol | undefined)[] }>();
    const column = (w: R<'work'>): NCol => ({
      id: 0, typeId: typeIdOf(w.workTypeCode), name: w.title, weight: this.types.get(typeIdOf(w.workTypeCode))?.weight ?? 0,
      dueDate: w.dueDate ? `${w.dueDate}T00:00:00` : null, results: new Map(), comments: new Map(),
    });
    for (const w of all('work')) {
      const m = cmOf.get(w.lessonId);
      if (m) cols.set(w.id, { m, w, slots: [column(w), undefined] });
    }
    for (const mk of all('mark')) {
      const c = cols.get(mk.workId);
      const pid = this.sourceOf.get(mk.studentId);
      if (!c || pid === undefined) continue;
      const col = c.slots[mk.slot - 1] ??= column(c.w);
      col.weight = mk.weightApplied;
      col.results.set(pid, { mark: mk.base, duty: mk.state === 'owed', date: `${mk.markDate}T00:00:00` });
      if (mk.comment) col.comments.set(pid, mk.comment);
    }
    for (const slot of [0, 1]) {
      for (const { m, w, slots } of cols.values()) {
        const col = slots[slot];
        if (!col) continue;
        col.id = this.nextColumnId++;
        m.columns.push(col);
        if (slot === 0) this.sourceOf.set(w.id, col.id);
      }
    }
    // A lesson's homework is a homework-type column of the meeting it is set at, its name the text, due on the day the
    // homework names (teacher-api.ts `Assignment`); nobody has a mark in it. Numbered after every column of marks, so
    // theirs keep their ids.
    for (const l of all('lesson')) {
      const m = cmOf.get(l.id);
      const hw = l.homework;
      if (!m || !hw?.text?.trim()) continue;
      m.columns.push({
        id: this.nextColumnId++, typeId: HOMEWORK_TYPE_ID, name: hw.text, weight: this.types.get(HOMEWORK_TYPE_ID)?.weight ?? 0,
        dueDate: hw.dueDate ? `${hw.dueDate}T00:00:00` : null, results: new Map(), comments: new Map(),
      });
    }
    for (const a of all('attendance_record')) {
      const m = cmOf.get(a.lessonId);
      const pid = this.sourceOf.get(a.studentId);
      if (m && pid !== undefined) m.attendance.set(pid, letterOf(a));
    }
  }

  /** The term of a class (by subject group) a date falls in. */
  termOf(sg: number, date: string): NTerm | undefined {
    const d = date.slice(0, 10);
    const cls = this.classes.get(this.groups.get(sg)?.classId ?? -1);
    return this.terms.find((t) => cls?.terms.includes(t.id) && t.startDate <= d && d <= t.endDate);
  }

  /** Crosswalk of long-lived records: (entity, platform id) → canonical id, as roster sync would match them. */
  crosswalk(): CrosswalkRow[] {
    return [...this.xwalk];
  }

  /** A deterministic integer id per entity, counted up from `base` in record order (NetSchool ids are ints), or `keep`. */
  private link(entity: EntityName, canonicalId: string, base: number, cross = true, keep?: number): number {
    const n = keep ?? (this.seq.get(entity) ?? base) + 1;
    if (keep === undefined) this.seq.set(entity, n);
    if (cross) this.xwalk.push({ entity, sourceId: String(n), canonicalId });
    this.sourceOf.set(canonicalId, n);
    return n;
  }
}
