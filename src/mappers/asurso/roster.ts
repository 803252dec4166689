// Roster payloads of the teacher routes (platforms.md §1.6 [U]): subject groups → sections and teachers,
// student lists → pupils, assignment types → work types.
import * as z from 'zod';
import { workTypeByName } from '../../model/work-types.js';
import type { CanonicalRecord } from '../../model/records.js';
import { parseItems, parsePayload, type MapContext, type MapResult } from '../../connectors/mapping.js';
import * as T from '../../connectors/asurso/teacher-api.js';
import { AssignmentType } from '../../connectors/asurso/schemas.js';
import { idFor, make } from './context.js';

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
    for (const t of g.teachers) records.push(person(ctx, t));
  }
  return { records, quarantine };
}

/** `grade/studentList`: the pupils; `ids.grade` is the class's grade level. */
export function mapStudentList(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { ok, quarantine } = parseItems(T.StudentListItem, parsePayload(arr, payload, where(route)), { route, idOf: (r) => String((r as { id?: unknown })?.id) });
  const grade = ctx.ids.grade ? Number(ctx.ids.grade) : undefined;
  return { records: ok.map((p) => person(ctx, p, grade)), quarantine };
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
