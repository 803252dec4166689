// Renders canonical records (the synthetic school) as ЭлЖур's own data (platforms.md §4.3): numeric user
// ids as strings, zero-padded lesson ids (leading zeros are part of the id: a client that turns them into
// numbers loses them), classes and subjects known by name, `YYYYMMDD` days. Reads serve it.
import { liveByEntity, type CanonicalRecord, type RecordOf } from '../../model/records.js';
import type { EntityName } from '../../model/enums.js';
import { WORK_TYPES } from '../../model/work-types.js';
import { compactDate, periodKey, sectionKey } from '../../mappers/eljur/codes.js';

type R<E extends EntityName> = RecordOf<E>;
/** `EPeriod.kind` of a period listed with no session behind it (`listedPeriods`). */
const LISTED = 'listed';
export interface CrosswalkRow { entity: EntityName; sourceId: string; canonicalId: string }

export interface ELesson {
  id: string; date: string; num: number; subject: string; cls: string; grp?: string; teacherId: string; teacherName: string;
  topic?: string; start?: string; end?: string; homework?: string; sectionId: string;
}
export interface EMark { lesson: ELesson; value: string; slot: number; weight: number; comment?: string; workType: string; absence: boolean; date: string }
export interface EFinal { subject: string; period: string; value: string }
export interface EPeriod { name: string; fullname: string; start: string; end: string; kind: string }
export interface ListedPeriod { name: string; startDate: string; endDate: string }
export interface EPupil { id: string; rec: R<'person'>; cls: string; parallel: number; sections: Set<string> }

export class EljurWorld {
  readonly vendor: string;
  readonly vendorId = '0417';
  readonly schoolTitle: string;
  readonly timeZone: string;
  /** canonical person id → ЭлЖур user id. */
  readonly userId = new Map<string, string>();
  readonly persons = new Map<string, R<'person'>>();
  readonly classes = new Map<string, { name: string; parallel: number; teacherId?: string; pupils: string[] }>();
  readonly pupils = new Map<string, EPupil>();
  readonly periods: EPeriod[] = [];
  /** class name → the periods its pupils are graded by (quarters or half-years) and the year, as `getperiods` lists a pupil's. */
  readonly periodsOfClass = new Map<string, EPeriod[]>();
  /** subject name → ЭлЖур subject id (`getmarks` `lessons[].lesson_id`). */
  readonly subjectIds = new Map<string, string>();
  readonly lessonsBySection = new Map<string, ELesson[]>();
  readonly marksByPupil = new Map<string, EMark[]>();
  readonly finalsByPupil = new Map<string, EFinal[]>();
  /** ЭлЖур lesson id → canonical lesson id (tests name what a fault corrupted). */
  readonly canonicalLesson = new Map<string, string>();
  private readonly xwalk: CrosswalkRow[] = [];

  /** `userIds`: ЭлЖур user ids to keep (canonical person id → user id), e.g. accounts that existed before an import. */
  /**
   * `listedPeriods`: periods the installation lists in `getperiods` beside the school's terms, for every class, with no
   * session behind them — holidays («Каникулы»), names of its own («1 модуль»). Dates `YYYY-MM-DD`.
   */
  constructor(records: Iterable<CanonicalRecord>, opts: { vendor?: string; emptyJournal?: boolean; userIds?: ReadonlyMap<string, string>; listedPeriods?: readonly ListedPeriod[] } = {}) {
    const all = liveByEntity(records);
    const org = all('organization').find((o) => o.type === 'school');
    if (!org) throw new Error('eljur emulator: the dataset has no school');
    this.vendor = opts.vendor ?? 'school-emu';
    this.schoolTitle = org.name;
    this.timeZone = org.timeZone ?? 'Europe/Simferopol';

    // Sequential ids in canonical-id order: deterministic and collision-free.
    const taken = new Set(opts.userIds?.values() ?? []);
    let uidSeq = 0;
    const nextUid = () => {
      let uid: string;
      do uid = String(30_000 + uidSeq++ * 7); while (taken.has(uid));
      return uid;
    };
    [...all('person')].sort((a, b) => a.id.localeCompare(b.id)).forEach((p) => {
      const uid = opts.userIds?.get(p.id) ?? nextUid();
      this.userId.set(p.id, uid);
      this.persons.set(p.id, p);
      this.link('person', uid, p.id);
    });
    const sessions = new Map(all('academic_session').map((s) => [s.id, s]));
    const periodById = new Map<string, EPeriod>();
    for (const s of [...sessions.values()].sort((a, b) => a.startDate.localeCompare(b.startDate) || b.endDate.localeCompare(a.endDate))) {
      const start = compactDate(s.startDate);
      const end = compactDate(s.endDate);
      const period: EPeriod = { name: s.title, fullname: s.title, start, end, kind: s.kind };
      this.periods.push(period);
      periodById.set(s.id, period);
      this.link('academic_session', periodKey(start, end), s.id);
    }
    for (const p of opts.listedPeriods ?? []) this.periods.push({ name: p.name, fullname: p.name, start: compactDate(p.startDate), end: compactDate(p.endDate), kind: LISTED });
    const subjects = new Map(all('subject').map((s) => [s.id, s]));
    [...subjects.values()].sort((a, b) => a.title.localeCompare(b.title)).forEach((s, i) => this.subjectIds.set(s.title, String(501 + i)));
    for (const s of subjects.values()) this.link('subject', s.title, s.id);
    const classById = new Map(all('homeroom_class').map((c) => [c.id, c]));
    for (const c of classById.values()) {
      this.classes.set(c.title, { name: c.title, parallel: c.gradeLevel, teacherId: c.classTeacherId ? this.userId.get(c.classTeacherId) : undefined, pupils: [] });
      this.link('homeroom_class', c.title, c.id);
    }
    const sectionInfo = new Map<string, { cls: string; subject: string; grp?: string }>();
    const gradedBy = new Map<string, Set<string>>(); // class name → session ids of its sections' grading periods
    for (const s of all('section')) {
      const cls = classById.get(s.homeroomClassId);
      const subj = subjects.get(s.subjectId);
      if (!cls || !subj) continue;
      for (const id of s.periods ?? []) (gradedBy.get(cls.title) ?? gradedBy.set(cls.title, new Set()).get(cls.title)!).add(id);
      const info = { cls: cls.title, subject: subj.title, grp: s.subgroup ?? undefined };
      sectionInfo.set(s.id, info);
      this.link('section', sectionKey(info.cls, info.subject, info.grp), s.id);
    }
    // A class's periods: the year and the terms its sections are graded by; a class with no such sections sees all.
    for (const c of this.classes.keys()) {
      const ids = gradedBy.get(c);
      const graded = new Set([...(ids ?? [])].map((id) => periodById.get(id)));
      this.periodsOfClass.set(c, graded.size ? this.periods.filter((p) => p.kind === 'school_year' || p.kind === LISTED || graded.has(p)) : this.periods);
    }
    for (const e of all('enrollment')) {
      if (e.role !== 'student') continue;
      const cls = classById.get(e.sectionId);
      if (cls) {
        const uid = this.userId.get(e.personId)!;
        this.classes.get(cls.title)!.pupils.push(e.personId);
        this.pupils.set(e.personId, { id: uid, rec: this.persons.get(e.personId)!, cls: cls.title, parallel: cls.gradeLevel, sections: this.pupils.get(e.personId)?.sections ?? new Set() });
      }
    }
    for (const e of all('enrollment')) {
      if (e.role === 'student' && sectionInfo.has(e.sectionId)) this.pupils.get(e.personId)?.sections.add(e.sectionId);
    }
    const name = (p: R<'person'> | undefined) => (p ? [p.familyName, p.givenName, p.middleName].filter(Boolean).join(' ') : '');
    const lessonOf = new Map<string, ELesson>();
    let seq = 0;
    for (const l of [...all('lesson')].sort((a, b) => a.date.localeCompare(b.date) || a.lessonNumber - b.lessonNumber || a.id.localeCompare(b.id))) {
      const info = sectionInfo.get(l.sectionId);
      if (!info || l.lessonStatus === 'cancelled') continue; // the diary shows no cancelled lesson [U]
      const el: ELesson = {
        id: String(++seq * 37).padStart(9, '0'), date: compactDate(l.date), num: l.lessonNumber, subject: info.subject, cls: info.cls, grp: info.grp,
        teacherId: this.userId.get(l.scheduledTeacherId)!, teacherName: name(this.persons.get(l.scheduledTeacherId)),
        // A timetable-only platform (a migration target before its import) has its lessons, not their topics or homework.
        topic: opts.emptyJournal ? undefined : l.topic,
        start: l.startTime, end: l.endTime, homework: opts.emptyJournal ? undefined : l.homework?.text, sectionId: l.sectionId,
      };
      lessonOf.set(l.id, el);
      this.canonicalLesson.set(el.id, l.id);
      (this.lessonsBySection.get(l.sectionId) ?? this.lessonsBySection.set(l.sectionId, []).get(l.sectionId)!).push(el);
    }
    if (opts.emptyJournal) return;
    const works = new Map(all('work').map((w) => [w.id, w]));
    const push = (pupil: string, m: EMark) => (this.marksByPupil.get(pupil) ?? this.marksByPupil.set(pupil, []).get(pupil)!).push(m);
    for (const m of all('mark')) {
      const lesson = lessonOf.get(m.lessonId);
      const w = works.get(m.workId);
      if (!lesson || !w) continue;
      push(m.studentId, { lesson, value: m.raw, slot: m.slot, weight: m.weightApplied, comment: m.comment, workType: w.workTypeCode, absence: false, date: m.markDate });
    }
    for (const a of all('attendance_record')) {
      const lesson = lessonOf.get(a.lessonId);
      if (!lesson) continue;
      push(a.studentId, { lesson, value: a.rawCode, slot: 0, weight: 0, workType: '', absence: true, date: `${lesson.date.slice(0, 4)}-${lesson.date.slice(4, 6)}-${lesson.date.slice(6)}` });
    }
    for (const list of this.marksByPupil.values()) list.sort((a, b) => a.lesson.date.localeCompare(b.lesson.date) || a.lesson.num - b.lesson.num || a.slot - b.slot);
    for (const f of all('final_mark')) {
      const info = sectionInfo.get(f.sectionId);
      const s = sessions.get(f.periodId);
      if (!info || !s) continue;
      (this.finalsByPupil.get(f.studentId) ?? this.finalsByPupil.set(f.studentId, []).get(f.studentId)!).push({ subject: info.subject, period: s.title, value: f.raw });
    }
  }

  /** Pupils' canonical ids by ЭлЖур user id. */
  pupilByUid(): Map<string, EPupil & { personId: string }> {
    return new Map([...this.pupils].map(([pid, p]) => [p.id, { ...p, personId: pid }]));
  }

  /** Lessons a pupil sits in (their class sections and their subgroups) within [from, to] (`YYYYMMDD`). */
  lessonsOf(p: EPupil, from: string, to: string): ELesson[] {
    const out: ELesson[] = [];
    for (const s of p.sections) for (const l of this.lessonsBySection.get(s) ?? []) if (l.date >= from && l.date <= to) out.push(l);
    return out.sort((a, b) => a.date.localeCompare(b.date) || a.num - b.num);
  }

  /** Crosswalk of long-lived records: (entity, ЭлЖур key) → canonical id, as roster sync would match them. */
  crosswalk(): CrosswalkRow[] {
    return [...this.xwalk];
  }

  private link(entity: EntityName, sourceId: string, canonicalId: string): void {
    this.xwalk.push({ entity, sourceId, canonicalId });
  }
}

/** `mtype{id, short, type}` of a canonical work type code. */
export const mtypeOf = (code: string) => {
  const i = WORK_TYPES.findIndex((w) => w.code === code);
  return { id: i + 1, short: code, type: WORK_TYPES[i]?.nameRu ?? code };
};
