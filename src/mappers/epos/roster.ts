// Roster payloads → persons, guardian links, sections, work types, final marks (platforms.md §2.4).
// Persons are known by their profile id (`pid`): one ЭПОС profile is one person here; a user with two
// profiles (a teacher who is also a parent) reads as two persons until identity matching merges them.
import * as z from 'zod';
import { finalMarkId } from '../../model/ids.js';
import { workTypeByName } from '../../model/work-types.js';
import type { CanonicalRecord } from '../../model/records.js';
import { parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as S from '../../connectors/epos/schemas.js';
import { makeRecord as make } from '../kit/make-record.js';
import { contactsOf } from '../kit/contacts.js';
import { RELATION_BACK } from './codes.js';
import { idFor } from './context.js';

const where = (route: string) => ({ platform: 'epos', route });
const arr = z.array(z.unknown());
const idOf = (r: unknown) => { const v = (r as { id?: unknown })?.id; return v === undefined ? undefined : String(v); };

type Names = { id: number; last_name: string; first_name: string; middle_name?: string | null; birth_date?: string | null; sex?: 'male' | 'female' | null };
function person(ctx: MapContext, p: Names, gradeLevel?: number, contacts: { emails: string[]; phones: string[] } = { emails: [], phones: [] }): CanonicalRecord {
  // No login or SNILS in these payloads; e-mail and phone only on a parent [U] (docs/platforms/epos.md).
  return make(ctx, 'person', idFor(ctx, 'person', p.id), 'profile', String(p.id), {
    familyName: p.last_name, givenName: p.first_name, middleName: p.middle_name ?? undefined, birthDate: p.birth_date ?? undefined,
    sex: p.sex ?? undefined, emails: contacts.emails, phones: contacts.phones, enabled: true, gradeLevel, identifiers: [],
  });
}

/**
 * Memberships carry no dates in the routes read [U]: a role or an enrollment is taken to run from the first
 * day of the academic year (`ids.yearBegin`). Without the school and that day they are not produced.
 */
function membership(ctx: MapContext) {
  const { school, yearBegin } = ctx.ids;
  if (!school || !yearBegin) return undefined;
  const org = idFor(ctx, 'organization', school);
  return {
    role: (profile: number, role: 'student' | 'parent' | 'subject_teacher') => make(ctx, 'role_assignment', idFor(ctx, 'role_assignment', `${profile}:${role}`), 'role', `${profile}:${role}`, {
      personId: idFor(ctx, 'person', profile), organizationId: org, role, isPrimary: true, beginDate: yearBegin,
    }),
    enrollment: (group: number, profile: number, role: 'student' | 'teacher') => make(ctx, 'enrollment', idFor(ctx, 'enrollment', `${group}:${profile}`), 'group_member', `${group}:${profile}`, {
      personId: idFor(ctx, 'person', profile), sectionId: idFor(ctx, 'section', group), role, isPrimary: role === 'teacher', beginDate: yearBegin,
    }),
  };
}

/** `core/api/teacher_profiles`: teachers, their role and their groups (`assigned_group_ids`). */
export function mapTeachers(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.TeacherProfile, parsePayload(arr, payload, where(route)), { route, idOf });
  const m = membership(ctx);
  const records: CanonicalRecord[] = [];
  for (const t of ok) {
    records.push(person(ctx, t));
    if (!m) continue;
    records.push(m.role(t.id, 'subject_teacher'));
    for (const g of t.assigned_group_ids) records.push(m.enrollment(g, t.id, 'teacher'));
  }
  return { records, quarantine };
}

/**
 * `core/api/student_profiles` (`with_parents`, `with_final_marks`): the pupil (grade from `class_unit`), each
 * parent and the link to them, and the pupil's final marks (kind from `attestation_period.type`). With
 * `ids.roster = '0'` (a finals-only read) only the final marks.
 */
export function mapStudents(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.StudentProfile, parsePayload(arr, payload, where(route)), { route, idOf });
  const records: CanonicalRecord[] = [];
  const roster = ctx.ids.roster !== '0';
  const m = roster ? membership(ctx) : undefined;
  for (const s of ok) {
    const studentId = idFor(ctx, 'person', s.id);
    if (roster) records.push(person(ctx, s, s.class_unit?.class_level_id));
    if (m) records.push(m.role(s.id, 'student'));
    const parents = parseItems(S.Parent, roster ? s.parents : [], { route, pathPrefix: `${s.id}.parents`, idOf });
    quarantine.push(...parents.quarantine);
    for (const p of parents.ok) {
      const relation = RELATION_BACK[p.type];
      if (!relation) {
        quarantine.push({ route, sourceId: String(p.id), field: `${s.id}.parents.type`, rawValue: p.type, reason: 'unknown representative type' });
        continue;
      }
      records.push(person(ctx, p, undefined, contactsOf([p.email], [p.phone])));
      if (m) records.push(m.role(p.id, 'parent'));
      const key = `${s.id}:${p.id}`;
      const legal = (p as { legal_representative?: unknown }).legal_representative;
      records.push(make(ctx, 'guardian_link', idFor(ctx, 'guardian_link', key), 'guardian_link', key, {
        studentId, guardianId: idFor(ctx, 'person', p.id), relation, isLegalRepresentative: legal !== false,
        // Not carried: the gateway's defaults.
        accessScope: 'full', digitalAccess: 'unknown',
      }));
    }
    const finals = parseItems(S.FinalMark, s.final_marks, { route, pathPrefix: `${s.id}.final_marks`, idOf });
    quarantine.push(...finals.quarantine);
    for (const f of finals.ok) {
      const sectionId = idFor(ctx, 'section', f.group_id);
      const kind = f.attestation_period.type;
      // A year mark's "period" is the academic year itself, which the gateway knows by its `academic_years` id (as
      // the year's classes and groups name it), not by the attestation period id it comes with [U]: taken by the
      // latter, every year mark was an orphan of an unknown session and quarantined — the one mark the yearly
      // archive's summary sheet keeps (found with the autumn re-read of last year's final marks).
      const periodId = idFor(ctx, 'academic_session', kind === 'year' && ctx.ids.academicYear ? ctx.ids.academicYear : f.attestation_period.id);
      records.push(make(ctx, 'final_mark', finalMarkId(studentId, sectionId, kind, periodId), 'final_mark', String(f.id), {
        studentId, sectionId, kind, periodId, raw: f.value, base: /^[1-5]$/.test(f.value) ? Number(f.value) : null,
        computedAverage: f.avg_five ? Number(f.avg_five) : undefined,
        recordedAt: new Date(f.created_at).toISOString(), recordedBy: idFor(ctx, 'person', f.teacher_id),
      }));
    }
  }
  return { records, quarantine };
}

/**
 * `jersey/api/groups`: one section per group that teaches a subject. A whole-class group that lists
 * `subgroup_ids` is only their container (its pupils are the subgroups' pupils); each subgroup is a section
 * of the same class titled «<container> (<label>)» with the label as `subgroup` [U: the container carries no
 * lessons of its own in the material read].
 */
export function mapGroups(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.Group, parsePayload(arr, payload, where(route)), { route, idOf });
  const containerOf = new Map<number, S.Group>();
  for (const g of ok) for (const sub of g.subgroup_ids) containerOf.set(sub, g);
  const records: CanonicalRecord[] = [];
  const bad = (g: S.Group, field: string, reason: string) => quarantine.push({ route, sourceId: String(g.id), field, reason });
  const year = ctx.ids.academicYear;
  const m = membership(ctx);
  // The classes and subjects the groups name (ЭПОС has no route of its own for either in the material read):
  // one homeroom class per class unit, one subject per subject id, so another platform's copies match them.
  const org = ctx.ids.school ? idFor(ctx, 'organization', ctx.ids.school) : undefined;
  const schoolYear = Number(ctx.ids.schoolYear);
  const classes = new Set<number>();
  const subjects = new Set<number>();
  for (const g of ok) {
    const cls = g.class_unit_ids[0];
    const title = g.class_unit_name?.trim();
    const grade = title ? Number(/^(\d{1,2})/.exec(title)?.[1]) : NaN;
    if (org && year && cls && title && grade >= 1 && grade <= 11 && !classes.has(cls)) {
      classes.add(cls);
      records.push(make(ctx, 'homeroom_class', idFor(ctx, 'homeroom_class', cls), 'class_unit', String(cls), {
        gradeLevel: grade, letter: title.replace(/^\d{1,2}\s*-?\s*/, '') || title, title, academicYearId: idFor(ctx, 'academic_session', year), organizationId: org,
      }));
    }
    if (org && Number.isInteger(schoolYear) && g.subject_id && g.subject_name && !subjects.has(g.subject_id)) {
      subjects.add(g.subject_id);
      records.push(make(ctx, 'subject', idFor(ctx, 'subject', g.subject_id), 'subject', String(g.subject_id), {
        code: g.subject_name.trim().toLowerCase(), title: g.subject_name, gradeLevels: [], organizationId: org, schoolYear,
      }));
    }
  }
  for (const g of ok) {
    if (g.subgroup_ids.length) continue;
    const cls = g.class_unit_ids[0];
    if (!g.subject_id) { bad(g, 'subject_id', 'group without a subject'); continue; }
    if (!cls) { bad(g, 'class_unit_ids', 'group without a class unit'); continue; }
    if (!year) { bad(g, 'academic_year_id', 'no academic year in ids.academicYear'); continue; }
    const container = containerOf.get(g.id);
    records.push(make(ctx, 'section', idFor(ctx, 'section', g.id), 'group', String(g.id), {
      homeroomClassId: idFor(ctx, 'homeroom_class', cls), subjectId: idFor(ctx, 'subject', g.subject_id),
      subgroup: container ? g.name : undefined, weeklyHours: 0, academicYearId: idFor(ctx, 'academic_session', year), periods: [],
      title: container ? `${container.name} (${g.name})` : g.name, scaleCode: 'ru5',
    }));
    if (m) for (const p of g.student_ids) records.push(m.enrollment(g.id, p, 'student'));
  }
  return { records, quarantine };
}

/** `core/api/control_forms`: work types with their weights; names are matched to the 25 canonical work types. */
export function mapControlForms(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.ControlForm, parsePayload(arr, payload, where(route)), { route, idOf });
  const records: CanonicalRecord[] = [];
  for (const c of ok) {
    const def = workTypeByName(c.name);
    const q = (field: string, reason: string, rawValue?: unknown): void => void quarantine.push({ route, sourceId: String(c.id), field, rawValue, reason } satisfies QuarantineItem);
    if (!def) { q('name', 'control form not among the 25 work types of the weighted-mark system', c.name); continue; }
    if (c.grade_system.type !== 'five') { q('grade_system.type', 'only the five-point grade system is read', c.grade_system.type); continue; }
    if (c.weight < 1) { q('weight', 'a work type weighs 1…100'); continue; }
    records.push(make(ctx, 'work_type', idFor(ctx, 'work_type', c.id), 'control_form', String(c.id), {
      code: def.code, nameRu: def.nameRu, weight: c.weight, organizationId: ctx.ids.school ? idFor(ctx, 'organization', ctx.ids.school) : undefined,
    }));
  }
  return { records, quarantine };
}

/** `core/api/schools/{id}`: the school; its zone is the configured one (ЭПОС sends none). */
export function mapSchool(route: string, payload: unknown, ctx: MapContext): MapResult {
  const s = parsePayload(S.School, payload, where(route));
  return { records: [make(ctx, 'organization', idFor(ctx, 'organization', s.id), 'school', String(s.id), {
    name: s.name, shortName: s.short_name ?? undefined, type: 'school', identifiers: [], timeZone: ctx.timeZone,
  })], quarantine: [] };
}

/** Sessions hang under the school of `ids.school`; without it they cannot be placed. */
function orgOf(ctx: MapContext, route: string): { org?: string; quarantine: QuarantineItem[] } {
  return ctx.ids.school ? { org: idFor(ctx, 'organization', ctx.ids.school), quarantine: [] }
    : { quarantine: [{ route, field: 'ids.school', reason: 'no school id in the context (the profile\'s school_id)' }] };
}

/** `core/api/academic_years`: school years. */
export function mapAcademicYears(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.AcademicYear, parsePayload(arr, payload, where(route)), { route, idOf });
  const { org, quarantine: q } = orgOf(ctx, route);
  if (!org) return { records: [], quarantine: [...quarantine, ...q] };
  return {
    records: ok.map((y) => make(ctx, 'academic_session', idFor(ctx, 'academic_session', y.id), 'academic_year', String(y.id), {
      title: y.name, kind: 'school_year', startDate: y.begin_date, endDate: y.end_date, schoolYear: Number(y.end_date.slice(0, 4)),
      organizationId: org, sequence: 1, isGradingPeriod: false,
    })),
    quarantine,
  };
}

/** `core/api/attestation_periods_schedules` [U]: quarters and half-years of the year `ids.academicYear`. */
export function mapAttestationSchedules(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(S.AttestationSchedule, parsePayload(arr, payload, where(route)), { route, idOf });
  const { org, quarantine: q } = orgOf(ctx, route);
  if (!org) return { records: [], quarantine: [...quarantine, ...q] };
  const parentId = ctx.ids.academicYear ? idFor(ctx, 'academic_session', ctx.ids.academicYear) : null;
  const records: CanonicalRecord[] = [];
  for (const s of ok) {
    s.periods.forEach((p, i) => records.push(make(ctx, 'academic_session', idFor(ctx, 'academic_session', p.id), 'attestation_period', String(p.id), {
      title: p.name, kind: p.type, startDate: p.starts_at, endDate: p.ends_at, schoolYear: Number(ctx.ids.schoolYear ?? p.ends_at.slice(0, 4)),
      parentId, organizationId: org, sequence: i + 1, isGradingPeriod: true,
    })));
  }
  return { records, quarantine };
}
