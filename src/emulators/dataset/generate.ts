// generateRecords: the synthetic region/school(s) as canonical records, streamed in ENTITY_ORDER.
// Roster records come from a small plan held in memory; the journal is replayed once per journal
// entity (journal.ts), so memory stays flat whatever the size.
import { addDays, zonedToInstant } from '../../model/dates.js';
import type { CanonicalRecord } from '../../model/records.js';
import { RU5_SCALE_ID, ru5ScaleFields } from '../../model/ru5.js';
import { WORK_TYPES } from '../../model/work-types.js';
import { buildCalendar, type SchoolCalendar, type StudyDay } from './calendar.js';
import { SUBJECTS } from './curriculum.js';
import { RecordFactory } from './factory.js';
import { type JournalContext, type JournalEntity, type LockPlan, simulateJournal } from './journal.js';
import { buildSchoolPlan, IdMinter, type PersonPlan, type SchoolPlan, SnilsPool, syntheticInn, syntheticOgrn } from './plan.js';
import { Rng } from './rng.js';

export interface DatasetOptions {
  /** Seed: same seed + options ⇒ byte-identical records. */
  seed: number | string;
  /** Schools in the region (default 1). */
  schools?: number;
  /** Parallel classes per grade (default 1; derived from `pupils` when that is given). */
  classesPerGrade?: number;
  /** Pupils per class (default 25; derived from `pupils` when that is given). */
  pupilsPerClass?: number;
  /** Total pupils over all schools; overrides pupilsPerClass (the exact total is generated). */
  pupils?: number;
  /** Study weeks to generate from 1 September (default: the whole year, 35 weeks for 2025/2026). */
  weeks?: number;
  /** Ending year of the school year (default 2026 = 2025/2026). */
  schoolYear?: number;
  /** IANA zone of the schools (default Europe/Samara). */
  timeZone?: string;
  /** Roster, timetable and lessons only: no works, marks, attendance or final marks (a migration target). */
  emptyJournal?: boolean;
}

export interface ResolvedDatasetOptions {
  seed: number | string;
  schools: number;
  classesPerGrade: number;
  /** Class sizes per school, grade-major (index = grade−1 × classesPerGrade + parallel). */
  classSizes: number[][];
  pupils: number;
  weeks: number;
  schoolYear: number;
  timeZone: string;
  emptyJournal: boolean;
}

export const GRADES = 11;

function spread(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

export function resolveDatasetOptions(o: DatasetOptions): ResolvedDatasetOptions {
  const schools = Math.max(1, Math.floor(o.schools ?? 1));
  const schoolYear = o.schoolYear ?? 2026;
  const maxWeeks = buildCalendar(schoolYear).days.at(-1)!.week + 1;
  const weeks = Math.max(1, Math.min(maxWeeks, Math.floor(o.weeks ?? maxWeeks)));
  let classesPerGrade: number;
  let classSizes: number[][];
  if (o.pupils !== undefined) {
    const perSchool = spread(Math.max(0, Math.floor(o.pupils)), schools);
    classesPerGrade = Math.max(1, Math.floor(o.classesPerGrade ?? Math.round(Math.max(...perSchool) / GRADES / (o.pupilsPerClass ?? 25))));
    classSizes = perSchool.map((n) => spread(n, GRADES * classesPerGrade));
  } else {
    classesPerGrade = Math.max(1, Math.floor(o.classesPerGrade ?? 1));
    const size = Math.max(0, Math.floor(o.pupilsPerClass ?? 25));
    classSizes = Array.from({ length: schools }, () => Array(GRADES * classesPerGrade).fill(size));
  }
  return {
    seed: o.seed, schools, classesPerGrade, classSizes, pupils: classSizes.flat().reduce((a, b) => a + b, 0), weeks, schoolYear,
    timeZone: o.timeZone ?? 'Europe/Samara', emptyJournal: o.emptyJournal ?? false,
  };
}

/** Everything decided before a record is written: calendar, plans, ids, lock. Small; built per call. */
export interface DatasetPlan {
  options: ResolvedDatasetOptions;
  instance: string;
  calendar: SchoolCalendar;
  days: StudyDay[];
  fetchedAt: string;
  regionId: string;
  municipalityId: string;
  regionInn: string;
  regionOgrn: string;
  workTypeIds: Map<string, string>;
  schools: SchoolPlan[];
  locks: LockPlan[];
  lockIds: string[];
  orderIds: string[];
  localMs: (date: string, time: string) => number;
  rng: Rng;
  minter: IdMinter;
}

export function planDataset(options: DatasetOptions): DatasetPlan {
  const o = resolveDatasetOptions(options);
  const rng = new Rng(`journal-gateway/dataset/${String(o.seed)}`);
  const calendar = buildCalendar(o.schoolYear);
  const days = calendar.days.filter((d) => d.week < o.weeks);
  const offsets = new Map<string, number>();
  const localMs = (date: string, time: string) => {
    let off = offsets.get(date);
    if (off === undefined) {
      off = Date.parse(`${date}T12:00:00Z`) - Date.parse(zonedToInstant(`${date}T12:00`, o.timeZone));
      offsets.set(date, off);
    }
    return Date.parse(`${date}T${time}:00Z`) - off;
  };
  const lastDate = days.at(-1)?.date ?? calendar.year.startDate;
  const fetchedAt = new Date(localMs(addDays(lastDate, 1), '06:00')).toISOString();
  const minter = new IdMinter(rng.fork('ids'), Date.UTC(o.schoolYear - 1, 7, 20));
  const snils = new SnilsPool(rng.fork('snils'));
  const regionId = minter.next();
  const municipalityId = minter.next();
  const orgRng = rng.fork('org');
  const regionInn = syntheticInn(orgRng);
  const regionOgrn = syntheticOgrn(orgRng);
  const workTypeIds = new Map(WORK_TYPES.map((w) => [w.code, minter.next()]));
  const schools = o.classSizes.map((sizes, i) => buildSchoolPlan(i, rng.fork(`school/${i}`), minter, snils,
    { classesPerGrade: o.classesPerGrade, classSizes: sizes, calendar }));
  // Journal lock: two weeks before the last generated day; a deputy's order reopens one pupil's marks.
  const lockedThrough = addDays(lastDate, -14);
  const locks = schools.map((s): LockPlan => {
    const createdAt = new Date(localMs(addDays(lockedThrough, 1), '07:00')).toISOString();
    const cls = s.classes.find((c) => c.grade === 5 && c.pupils.length) ?? s.classes.find((c) => c.grade > 1 && c.pupils.length);
    const sec = cls ? s.sections.find((x) => x.classIdx === cls.idx && x.subject.code === 'math') ?? s.sections.find((x) => x.classIdx === cls.idx && !x.subgroup) : undefined;
    const orderDate = addDays(lockedThrough, 2);
    return {
      lockedThrough, createdAt,
      order: cls && sec ? {
        sectionIdx: sec.idx, pupilIdx: sec.pupils[0], from: addDays(lockedThrough, -6), to: lockedThrough, orderDate,
        validUntil: new Date(localMs(addDays(orderDate, 3), '18:00')).toISOString(),
        editAt: new Date(localMs(orderDate, '10:30')).toISOString(),
      } : null,
    };
  });
  return {
    options: o, instance: `seed-${String(o.seed)}`, calendar, days, fetchedAt, regionId, municipalityId, regionInn, regionOgrn,
    workTypeIds, schools, locks, lockIds: schools.map(() => minter.next()), orderIds: schools.map(() => minter.next()),
    localMs, rng, minter,
  };
}

function personFields(p: PersonPlan, gradeLevel?: number) {
  return {
    familyName: p.familyName, givenName: p.givenName, middleName: p.middleName, birthDate: p.birthDate, sex: p.sex,
    emails: p.emails, phones: p.phones, username: p.username, enabled: p.enabled,
    ...(gradeLevel !== undefined ? { gradeLevel } : {}),
    identifiers: [{ kind: 'snils' as const, value: p.snils, verified: true }],
  };
}

/** Streams every record of the dataset in dependency order (ENTITY_ORDER). */
export function* generateRecords(options: DatasetOptions): Generator<CanonicalRecord> {
  const plan = planDataset(options);
  const { calendar: cal, minter, schools, options: o } = plan;
  const f = new RecordFactory(plan.instance, plan.fetchedAt);
  const tz = o.timeZone;
  const y1 = o.schoolYear - 1;
  const at = (date: string, time: string) => new Date(plan.localMs(date, time)).toISOString();

  // organization
  yield f.make('organization', plan.regionId, {
    name: 'Самарская область', shortName: 'Самарская обл.', type: 'region',
    identifiers: [{ kind: 'inn', value: plan.regionInn }, { kind: 'ogrn', value: plan.regionOgrn }], timeZone: tz,
  });
  yield f.make('organization', plan.municipalityId, {
    name: 'Городской округ Самара', shortName: 'г.о. Самара', type: 'municipality', identifiers: [], parentId: plan.regionId, timeZone: tz,
  });
  for (const s of schools) {
    yield f.make('organization', s.id, {
      name: s.name, shortName: s.shortName, type: 'school',
      identifiers: [{ kind: 'inn', value: s.inn }, { kind: 'ogrn', value: s.ogrn }, { kind: 'platform_school_id', value: String(1000 + s.number) }],
      parentId: plan.municipalityId, timeZone: tz,
    });
  }
  // academic_session
  const instructional = (from: string, to: string) => cal.days.filter((d) => d.date >= from && d.date <= to).length;
  for (const s of schools) {
    yield f.make('academic_session', s.sessions.yearId, {
      title: cal.year.title, kind: 'school_year', startDate: cal.year.startDate, endDate: cal.year.endDate, schoolYear: o.schoolYear,
      organizationId: s.id, sequence: 1, instructionalDays: cal.days.length, isGradingPeriod: false,
    });
    for (let i = 0; i < 2; i++) {
      const h = cal.halves[i];
      yield f.make('academic_session', s.sessions.halfIds[i], {
        title: h.title, kind: 'half_year', startDate: h.startDate, endDate: h.endDate, schoolYear: o.schoolYear,
        parentId: s.sessions.yearId, organizationId: s.id, sequence: i + 1, instructionalDays: instructional(h.startDate, h.endDate),
        isGradingPeriod: true,
      });
    }
    for (let i = 0; i < 4; i++) {
      const q = cal.quarters[i];
      yield f.make('academic_session', s.sessions.quarterIds[i], {
        title: q.title, kind: 'quarter', startDate: q.startDate, endDate: q.endDate, schoolYear: o.schoolYear,
        parentId: s.sessions.halfIds[i < 2 ? 0 : 1], organizationId: s.id, sequence: i + 1,
        instructionalDays: instructional(q.startDate, q.endDate), isGradingPeriod: true,
      });
    }
  }
  // person
  for (const s of schools) {
    for (const p of s.staff) yield f.make('person', p.id, personFields(p));
    for (const p of s.teachers) yield f.make('person', p.id, personFields(p));
    for (const p of s.pupils) yield f.make('person', p.id, personFields(p, p.grade));
    for (const p of s.parents) yield f.make('person', p.id, personFields(p));
  }
  // role_assignment
  for (const s of schools) {
    for (const p of s.staff) {
      yield f.make('role_assignment', minter.next(), { personId: p.id, organizationId: s.id, role: p.role, isPrimary: true, beginDate: `${y1 - 4}-08-25` });
    }
    for (const t of s.teachers) {
      yield f.make('role_assignment', minter.next(), { personId: t.id, organizationId: s.id, role: 'subject_teacher', isPrimary: true, beginDate: t.hiredOn });
      if (t.classTeacherOf !== undefined) {
        yield f.make('role_assignment', minter.next(), {
          personId: t.id, organizationId: s.id, role: 'class_teacher', isPrimary: false, beginDate: cal.year.startDate, endDate: cal.year.endDate,
        });
      }
    }
    for (const p of s.pupils) {
      yield f.make('role_assignment', minter.next(), {
        personId: p.id, organizationId: s.id, role: 'student', isPrimary: true, beginDate: p.beginDate, ...(p.endDate ? { endDate: p.endDate } : {}),
      });
    }
    for (const p of s.parents) {
      yield f.make('role_assignment', minter.next(), { personId: p.id, organizationId: s.id, role: 'parent', isPrimary: true, beginDate: cal.year.startDate });
    }
  }
  // homeroom_class
  for (const s of schools) {
    for (const c of s.classes) {
      yield f.make('homeroom_class', c.id, {
        gradeLevel: c.grade, letter: c.letter, title: c.title, academicYearId: s.sessions.yearId, organizationId: s.id,
        classTeacherId: s.teachers[c.classTeacher].id,
      });
    }
  }
  // subject
  for (const s of schools) {
    for (const subj of SUBJECTS) {
      const id = s.subjectIds.get(subj.code);
      if (!id) continue;
      yield f.make('subject', id, {
        code: subj.code, title: subj.title, subjectArea: subj.subjectArea,
        gradeLevels: subj.hours.map((h, i) => (h > 0 ? i + 1 : 0)).filter((g) => g > 0), organizationId: s.id, schoolYear: o.schoolYear,
      });
    }
  }
  // section
  for (const s of schools) {
    for (const sec of s.sections) {
      const c = s.classes[sec.classIdx];
      yield f.make('section', sec.id, {
        homeroomClassId: c.id, subjectId: s.subjectIds.get(sec.subject.code)!, ...(sec.subgroup ? { subgroup: sec.subgroup } : {}),
        weeklyHours: sec.weeklyHours, academicYearId: s.sessions.yearId,
        periods: c.grade >= 10 ? [...s.sessions.halfIds] : [...s.sessions.quarterIds], title: sec.title, scaleCode: 'ru5',
      });
    }
  }
  // enrollment: homeroom membership (sectionId = homeroom class id, as OneRoster homerooms) and sections
  for (const s of schools) {
    for (const c of s.classes) {
      yield f.make('enrollment', minter.next(), { personId: s.teachers[c.classTeacher].id, sectionId: c.id, role: 'teacher', isPrimary: true, beginDate: cal.year.startDate });
      for (const pi of c.pupils) {
        const p = s.pupils[pi];
        yield f.make('enrollment', minter.next(), { personId: p.id, sectionId: c.id, role: 'student', isPrimary: true, beginDate: p.beginDate, ...(p.endDate ? { endDate: p.endDate } : {}) });
      }
    }
    for (const sec of s.sections) {
      yield f.make('enrollment', minter.next(), { personId: s.teachers[sec.teacher].id, sectionId: sec.id, role: 'teacher', isPrimary: true, beginDate: cal.year.startDate });
      for (const pi of sec.pupils) {
        const p = s.pupils[pi];
        yield f.make('enrollment', minter.next(), {
          personId: p.id, sectionId: sec.id, role: 'student', isPrimary: false, beginDate: p.beginDate, ...(p.endDate ? { endDate: p.endDate } : {}),
        });
      }
    }
  }
  // guardian_link
  for (const s of schools) {
    const verifier = s.staff[2].id;
    for (const p of s.pupils) {
      for (const gi of p.parents) {
        const g = s.parents[gi];
        yield f.make('guardian_link', minter.next(), {
          studentId: p.id, guardianId: g.id, relation: g.relation, isLegalRepresentative: true, isPrimaryContact: g.relation === 'mother',
          livesWith: true, emergency: g.relation === 'mother', accessScope: 'full', digitalAccess: g.digitalAccess,
          verifiedAt: at(cal.year.startDate, '10:00'), verifiedBy: verifier,
        });
      }
    }
  }
  // work_type (regional defaults) and mark_scale
  for (const w of WORK_TYPES) yield f.make('work_type', plan.workTypeIds.get(w.code)!, { code: w.code, nameRu: w.nameRu, weight: w.weight });
  yield f.make('mark_scale', RU5_SCALE_ID, ru5ScaleFields());

  // The journal, one replay per entity.
  const journalEntities: JournalEntity[] = ['lesson', 'work', 'mark', 'attendance_record', 'final_mark'];
  for (const entity of journalEntities) {
    for (const s of schools) {
      const ctx: JournalContext = {
        plan: s, calendar: cal, days: plan.days, rng: plan.rng.fork(`journal/${s.index}`), factory: f, localMs: plan.localMs,
        lock: plan.locks[s.index], emptyJournal: o.emptyJournal,
      };
      yield* simulateJournal(ctx, entity);
    }
  }

  // journal_lock and unlock_order
  for (const s of schools) {
    const lock = plan.locks[s.index];
    yield f.make('journal_lock', plan.lockIds[s.index], {
      organizationId: s.id, scope: 'school', lockedThrough: lock.lockedThrough, rule: 'biweekly', createdAt: lock.createdAt,
    });
  }
  for (const s of schools) {
    const order = plan.locks[s.index].order;
    if (!order) continue;
    const deputy = s.staff.find((p) => p.role === 'deputy_academic')!;
    yield f.make('unlock_order', plan.orderIds[s.index], {
      orderNumber: `${40 + s.index}-ОД`, orderDate: order.orderDate, issuedBy: deputy.id,
      scope: { sectionIds: [s.sections[order.sectionIdx].id], studentIds: [s.pupils[order.pupilIdx].id], from: order.from, to: order.to },
      validUntil: order.validUntil,
      reason: 'Исправление ошибочно выставленных отметок по служебной записке учителя',
    });
  }
}
