// Roster payloads of the teacher routes (platforms.md §1.6 [U]): subject groups → sections and teachers,
// student lists → pupils, assignment types → work types.
import * as z from 'zod';
import { workTypeByName } from '../../model/work-types.js';
import type { CanonicalRecord } from '../../model/records.js';
import { parseItems, parsePayload, type MapContext, type MapResult } from '../../connectors/mapping.js';
import * as T from '../../connectors/asurso/teacher-api.js';
import { AssignmentType, Context } from '../../connectors/asurso/schemas.js';
import { idFor, make } from './context.js';
import { classNameParts } from '../kit/class-name.js';

const where = (route: string) => ({ platform: 'asurso', route });
const arr = z.array(z.unknown());
type P = z.infer<typeof T.NsPerson>;

/** NetSchool persons carry names only (no birth date, sex, SNILS, contacts here): docs/platforms/asurso.md. */
function person(ctx: MapContext, p: P, gradeLevel?: number): CanonicalRecord {
  return make(ctx, 'person', idFor(ctx, 'person', p.id), 'user', p.id, {
    familyName: p.lastName, givenName: p.firstName, middleName: p.middleName ?? undefined, emails: [], phones: [], enabled: true,
    gradeLevel, identifiers: [],
  });
}

/** `subjectgroups?classId=`: one section per subject group; its teachers as persons. `name` is `5ж/Русский язык`. */
export function mapSubjectGroups(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(T.SubjectGroup, parsePayload(arr, payload, where(route)), { route, idOf: (r) => String((r as { id?: unknown })?.id) });
  const records: CanonicalRecord[] = [];
  const year = ctx.ids.yearId;
  for (const g of ok) {
    if (!year) { quarantine.push({ route, sourceId: String(g.id), field: 'ids.yearId', reason: 'the school year id (context.schoolYearId) is not in the context' }); continue; }
    records.push(make(ctx, 'section', idFor(ctx, 'section', g.id), 'subject_group', g.id, {
      homeroomClassId: idFor(ctx, 'homeroom_class', g.classId), subjectId: idFor(ctx, 'subject', g.subjectId),
      subgroup: g.subgroupName ?? undefined, weeklyHours: 0, academicYearId: idFor(ctx, 'academic_session', year), periods: [],
      title: g.name.replace('/', ' '), scaleCode: 'ru5',
    }));
    for (const t of g.teachers) records.push(person(ctx, t), ...role(ctx, t.id, 'subject_teacher'));
    const schoolYear = Number(ctx.ids.schoolYear);
    if (ctx.ids.schoolId && Number.isInteger(schoolYear)) {
      // The platform has no subject code: the lower-cased name stands in (subjects match across platforms by title).
      records.push(make(ctx, 'subject', idFor(ctx, 'subject', g.subjectId), 'subject', g.subjectId, {
        code: g.subjectName.trim().toLowerCase(), title: g.subjectName, gradeLevels: [], organizationId: idFor(ctx, 'organization', ctx.ids.schoolId), schoolYear,
      }));
    }
  }
  return { records, quarantine };
}

/** A role implied by the list a person is on (teachers of a subject group, pupils of a class): no dates. */
function role(ctx: MapContext, personSid: number, r: 'student' | 'subject_teacher'): CanonicalRecord[] {
  if (!ctx.ids.schoolId) return [];
  const key = `${personSid}:${r}`;
  return [make(ctx, 'role_assignment', idFor(ctx, 'role_assignment', key), 'role_assignment', key, {
    personId: idFor(ctx, 'person', personSid), organizationId: idFor(ctx, 'organization', ctx.ids.schoolId), role: r, isPrimary: true,
  })];
}

/**
 * A pupil's enrollment implied by a list: `ids.classId` — the class itself (homeroom membership); `ids.sgId` —
 * one subject group's journal. No dates in the list: the year's first day stands for the start (`ids.yearStart`).
 */
function enrollment(ctx: MapContext, personSid: number): CanonicalRecord[] {
  const { classId, sgId, yearStart } = ctx.ids;
  if (!yearStart || (!classId && !sgId)) return [];
  const key = sgId ? `sg:${sgId}:${personSid}` : `class:${classId}:${personSid}`;
  return [make(ctx, 'enrollment', idFor(ctx, 'enrollment', key), 'enrollment', key, {
    personId: idFor(ctx, 'person', personSid), sectionId: sgId ? idFor(ctx, 'section', sgId) : idFor(ctx, 'homeroom_class', classId!),
    role: 'student', isPrimary: !sgId, beginDate: yearStart,
  })];
}

/** `grade/studentList`: the pupils; `ids.grade` is the class's grade level. */
export function mapStudentList(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(T.StudentListItem, parsePayload(arr, payload, where(route)), { route, idOf: (r) => String((r as { id?: unknown })?.id) });
  const grade = ctx.ids.grade ? Number(ctx.ids.grade) : undefined;
  return { records: ok.flatMap((p) => [person(ctx, p, grade), ...role(ctx, p.id, 'student'), ...enrollment(ctx, p.id)]), quarantine };
}

/** `grade/assignment/types`: names matched to the 25 canonical work types; weights from `ids.weights` (JSON typeId → weight). */
export function mapAssignmentTypes(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(AssignmentType, parsePayload(arr, payload, where(route)), { route });
  const weights = ctx.ids.weights ? (JSON.parse(ctx.ids.weights) as Record<string, number>) : {};
  const records: CanonicalRecord[] = [];
  for (const t of ok) {
    const def = workTypeByName(t.name);
    if (!def) { quarantine.push({ route, sourceId: String(t.id), field: 'name', rawValue: t.name, reason: 'assignment type not among the 25 of the weighted-mark system' }); continue; }
    records.push(make(ctx, 'work_type', idFor(ctx, 'work_type', t.id), 'assignment_type', t.id, {
      code: def.code, nameRu: def.nameRu, weight: weights[String(t.id)] ?? def.weight,
      organizationId: ctx.ids.schoolId ? idFor(ctx, 'organization', ctx.ids.schoolId) : undefined,
    }));
  }
  return { records, quarantine };
}

/** `context`: the school (organization) and its school year (`schoolyear`, the id the journal routes take). */
export function mapContext(route: string, payload: unknown, ctx: MapContext): MapResult {
  const c = parsePayload(Context, payload, where(route));
  const organizationId = idFor(ctx, 'organization', c.schoolId);
  const records: CanonicalRecord[] = [];
  if (c.organization) {
    records.push(make(ctx, 'organization', organizationId, 'school', c.schoolId, { name: c.organization.name, shortName: c.organization.name, type: 'school', identifiers: [], timeZone: ctx.timeZone }));
  }
  const y = c.schoolyear;
  if (y) {
    const name = (y as { name?: unknown }).name;
    records.push(make(ctx, 'academic_session', idFor(ctx, 'academic_session', y.id), 'school_year', y.id, {
      title: typeof name === 'string' && name ? name : `${y.startDate.slice(0, 4)}/${y.endDate.slice(0, 4)}`, kind: 'school_year',
      startDate: y.startDate.slice(0, 10), endDate: y.endDate.slice(0, 10), schoolYear: Number(y.endDate.slice(0, 4)), organizationId, sequence: 1, isGradingPeriod: false,
    }));
  }
  return { records, quarantine: [] };
}

/** `terms/{termId}`: a grading period of the year (`ids.schoolId`, `ids.schoolYear`). */
export function mapTerm(route: string, payload: unknown, ctx: MapContext): MapResult {
  const t = parsePayload(T.Term, payload, where(route));
  const schoolYear = Number(ctx.ids.schoolYear);
  if (!ctx.ids.schoolId || !Number.isInteger(schoolYear)) return { records: [], quarantine: [{ route, sourceId: String(t.id), field: 'ids.schoolYear', reason: 'a term needs the school id and the school year' }] };
  return {
    records: [make(ctx, 'academic_session', idFor(ctx, 'academic_session', t.id), 'term', t.id, {
      title: t.name, kind: t.termType === 'year' ? 'school_year' : t.termType, startDate: t.startDate.slice(0, 10), endDate: t.endDate.slice(0, 10),
      schoolYear, organizationId: idFor(ctx, 'organization', ctx.ids.schoolId), sequence: t.number, isGradingPeriod: t.termType !== 'year',
    })],
    quarantine: [],
  };
}

/** `grade/journal/filter/init`: the classes of `PCLID_IUP` (`<id>_<isIup>`; individual-plan entries are not classes). */
export function mapClasses(route: string, payload: unknown, ctx: MapContext): MapResult {
  const f = parsePayload(T.FilterInit, payload, where(route));
  const { schoolId, yearId } = ctx.ids;
  if (!schoolId || !yearId) return { records: [], quarantine: [{ route, field: 'ids.yearId', reason: 'classes need the school id and the school year id' }] };
  const records: CanonicalRecord[] = [];
  const quarantine: MapResult['quarantine'] = [];
  for (const i of f.filterSources.find((x) => x.filterId === 'PCLID_IUP')?.items ?? []) {
    const [id, iup] = i.value.split('_');
    if (iup === '1') continue;
    const parts = classNameParts(i.title);
    if (!parts) { quarantine.push({ route, sourceId: id, field: 'PCLID_IUP.title', reason: 'class title does not start with a grade 1…11' }); continue; }
    records.push(make(ctx, 'homeroom_class', idFor(ctx, 'homeroom_class', id), 'class', id, {
      ...parts, title: i.title, academicYearId: idFor(ctx, 'academic_session', yearId), organizationId: idFor(ctx, 'organization', schoolId),
    }));
  }
  return { records, quarantine };
}
