// Native JSON shapes of ЭПОС.Школа objects (platforms.md §2.4, МЭШ field names [A]): snake_case, integer
// ids, `YYYY-MM-DD` in schedules and profiles, `dd.mm.yyyy` in marks, multi-scale mark values.
import { zonedToInstant } from '../../model/dates.js';
import { FIVE_POINT, ABSENCE_REASONS } from '../../mappers/epos/codes.js';
import { ruFromIso } from '../../mappers/epos/dates.js';
import type { EAttendance, EFinal, EGroup, EMark, EposWorld, EProfile, ScheduleItem } from './world.js';

const names = (p: EProfile) => ({
  last_name: p.rec.familyName, first_name: p.rec.givenName, middle_name: p.rec.middleName ?? null,
  birth_date: p.rec.birthDate ?? null, sex: p.rec.sex === 'male' || p.rec.sex === 'female' ? p.rec.sex : null,
});
const shortName = (p: EProfile) => `${p.rec.familyName} ${p.rec.givenName.slice(0, 1)}.${p.rec.middleName ? ` ${p.rec.middleName.slice(0, 1)}.` : ''}`;

export function renderFinal(f: EFinal) {
  return {
    id: f.id, group_id: f.group, subject_id: f.subject, value: f.value, attestation_period: f.period, avg_five: f.avg,
    created_at: f.createdAt, teacher_id: f.teacher,
  };
}

export function renderStudent(w: EposWorld, p: EProfile, opts: { groups: boolean; parents: boolean; finals: boolean }) {
  const unit = w.classOf.get(p.id);
  const cu = unit ? w.classUnits.get(unit) : undefined;
  return {
    id: p.id, user_id: p.userId, short_name: shortName(p), ...names(p), type: 'StudentProfile',
    class_unit: cu ? { id: cu.id, name: cu.name, class_level_id: cu.grade } : null,
    ...(opts.groups ? { groups: [...w.groups.values()].filter((g) => g.students.has(p.id)).map((g) => ({ id: g.id, name: g.name, subject_id: g.subjectId })) } : {}),
    ...(opts.parents ? {
      parents: (w.parentsOf.get(p.id) ?? []).map((l) => {
        const pp = w.profiles.get(l.parent)!;
        // `email`, `phone` [U] as the connector assumes them (src/connectors/epos/schemas.ts `Parent`).
        return { id: pp.id, user_id: pp.userId, ...names(pp), type: l.relation, legal_representative: l.legal, email: pp.rec.emails[0] ?? null, phone: pp.rec.phones[0] ?? null };
      }),
    } : {}),
    ...(opts.finals ? { final_marks: (w.finals.get(p.id) ?? []).map(renderFinal) } : {}),
  };
}

export function renderTeacher(w: EposWorld, p: EProfile) {
  const groups = [...w.groups.values()].filter((g) => g.teacher === p.id);
  return {
    id: p.id, user_id: p.userId, name: shortName(p), ...names(p), subject_ids: [...new Set(groups.map((g) => g.subjectId))],
    assigned_group_ids: groups.map((g) => g.id), class_unit_ids: [...new Set(groups.map((g) => g.classUnitId))],
  };
}

export function renderGroup(g: EGroup) {
  return {
    id: g.id, name: g.name, subject_id: g.subjectId, subject_name: g.subjectName, class_unit_ids: [g.classUnitId], class_unit_name: g.className,
    student_ids: [...g.students], subgroup_ids: g.subgroupIds,
  };
}

export function renderControlForm(c: { id: number; name: string; weight: number }) {
  return { id: c.id, name: c.name, weight: c.weight, subject_id: null, grade_system_id: FIVE_POINT.id, grade_system: { name: FIVE_POINT.name, type: FIVE_POINT.type }, deleted_at: null };
}

/**
 * `iso_date_time` is written both ways ЭПОС/МЭШ were seen to write it (§2.6): odd ids as a UTC instant with
 * `Z` (2026 fixture), even ids as school wall time without an offset (2020 code).
 */
export function renderItem(w: EposWorld, s: ScheduleItem) {
  const wall = `${s.date}T${s.start}:00.000`;
  const iso = s.id % 2 ? zonedToInstant(`${s.date}T${s.start}`, w.timeZone) : wall;
  const g = w.groups.get(s.group)!;
  return {
    id: s.id, date: s.date, iso_date_time: iso, study_ordinal: s.number, duration: s.duration, group_id: s.group, group_name: g.name,
    subject_id: s.subject, subject_name: g.subjectName, class_unit_id: s.classUnit, teacher_id: s.teacher, replaced: s.replacement !== null,
    replacement_teacher_id: s.replacement, cancelled: s.cancelled, is_transferred: s.transferred, is_home_based: false, lesson_type: 'NORMAL',
    lesson_name: s.topic, room_id: null,
  };
}

/** A mark: МЭШ value shape `values[{grade{origin, five, hundred}}]`, plus `nmax` as ЭПОС adds it. */
export function renderMark(m: EMark) {
  return {
    id: m.id, name: m.original, weight: m.weight, teacher_id: m.teacher, comment: m.comment, schedule_lesson_id: m.lesson,
    student_profile_id: m.student, is_exam: false, is_point: m.isPoint, point_date: m.pointDate ? ruFromIso(m.pointDate) : null, group_id: m.group,
    control_form_id: m.controlForm, date: ruFromIso(m.date), created_at: m.createdAt, updated_at: m.createdAt, grade_system_type: FIVE_POINT.type,
    values: [{ grade: { origin: m.original, five: m.five, hundred: m.five === null ? null : m.five * 20 }, grade_system_id: FIVE_POINT.id, grade_system_type: FIVE_POINT.type, nmax: 5 }],
  };
}

export function renderAttendance(a: EAttendance) {
  return {
    id: a.id, schedule_lesson_id: a.lesson, student_profile_id: a.student, absence_reason_id: a.reasonId,
    absence_reason: ABSENCE_REASONS[a.reasonId]?.label ?? '', late_minutes: a.lateMinutes, created_at: a.createdAt, teacher_id: a.teacher,
  };
}

/** `core/api/student_homeworks` [A МЭШ]: one entry per lesson with homework; dates dd.mm.yyyy. */
export function renderHomework(w: EposWorld, s: ScheduleItem) {
  return {
    id: s.id, created_at: `${s.date}T${s.start}:00.000`, updated_at: `${s.date}T${s.start}:00.000`, is_ready: false, comment: null, attachments: [], remote_attachments: [],
    homework_entry: {
      id: s.id, description: s.homework!.text, duration: null, no_duration: true,
      homework: { id: s.id, subject_id: s.subject, group_id: s.group, date_assigned_on: ruFromIso(s.date), date_prepared_for: ruFromIso(s.homework!.dueDate), schedule_lesson_id: s.id },
    },
  };
}

const avg = (marks: EMark[]): string | null => {
  let sum = 0;
  let weights = 0;
  for (const m of marks) if (!m.isPoint && m.five !== null && m.weight > 0) { sum += m.five * m.weight; weights += m.weight; }
  return weights ? (Math.round((sum / weights) * 100) / 100).toFixed(2) : null;
};
const hundred = (a: string | null) => (a === null ? null : String(Math.round(Number(a) * 20)));

/**
 * `reports/api/progress/json` (§2.4 [V]): per subject, the pupil's attestation periods with their marks in the
 * ЭПОС value shape `{five, hundred, nmax, original}` and weighted averages as strings.
 */
export function renderProgress(w: EposWorld, pupil: number) {
  const unit = w.classOf.get(pupil);
  const periods = w.periodSchedules.find((p) => unit !== undefined && p.classUnits.has(unit))?.periods ?? [];
  const forms = new Map([...w.controlForms.values()].map((c) => [c.id, c.name]));
  const marks = [...w.marks.values()].filter((m) => m.student === pupil);
  const groups = [...w.groups.values()].filter((g) => g.students.has(pupil) && !g.subgroupIds.length);
  return groups.map((g) => {
    const mine = marks.filter((m) => m.group === g.id);
    return {
      subject_name: g.subjectName, avg_five: avg(mine), avg_hundred: hundred(avg(mine)), avg_original: avg(mine),
      periods: periods.map((p) => {
        const inP = mine.filter((m) => m.date >= p.starts_at && m.date <= p.ends_at).sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
        return {
          name: p.name, start: ruFromIso(p.starts_at), end: ruFromIso(p.ends_at), start_iso: p.starts_at, end_iso: p.ends_at,
          avg_five: avg(inP), avg_hundred: hundred(avg(inP)), avg_original: avg(inP),
          marks: inP.map((m) => ({
            control_form_id: m.controlForm, control_form_name: forms.get(m.controlForm) ?? '', date: ruFromIso(m.date), grade_system_type: FIVE_POINT.type,
            is_exam: false, is_point: m.isPoint, topic_name: w.schedule.get(m.lesson)?.topic ?? null, weight: m.weight,
            values: [{ five: m.five, hundred: m.five === null ? null : m.five * 20, nmax: 5, original: m.original }],
          })),
        };
      }),
    };
  });
}
