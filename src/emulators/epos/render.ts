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
        return { id: pp.id, user_id: pp.userId, ...names(pp), type: l.relation, legal_representative: l.legal };
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
