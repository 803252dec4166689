// Roster payloads → persons, sections, work types, the school (platforms.md §3.3).
import { WORK_TYPES, workTypeByName } from '../../model/work-types.js';
import type { CanonicalRecord } from '../../model/records.js';
import { emptyMapResult, parseItems, parsePayload, type MapContext, type MapResult } from '../../connectors/mapping.js';
import * as S from '../../connectors/dnevnik/schemas.js';
import { PERIOD_TYPE_TO_KIND, ZONE_BY_OFFSET } from './codes.js';
import { idFor, make, sectionKey } from './context.js';
import * as z from 'zod';
import { schoolYearOfPeriods } from './school-year.js';
import { localDayOf } from '../../model/dates.js';
import { userContactsOf } from './user-contacts.js';
import { contactsOf } from '../kit/contacts.js';

const where = (route: string) => ({ platform: 'dnevnik', route });
const sexOf = (s: string | null | undefined) => (s === 'Male' ? 'male' : s === 'Female' ? 'female' : undefined);

type Contacts = { emails: string[]; phones: string[] };
const NO_CONTACTS: Contacts = { emails: [], phones: [] };

function person(ctx: MapContext, id: string, f: { last: string; first: string; middle?: string | null; sex?: string | null; birth?: string | null }, gradeLevel?: number, contacts: Contacts = NO_CONTACTS): CanonicalRecord {
  // Дневник.ру persons carry no SNILS or login (docs/platforms/dnevnik.md); the birth date comes from the person's
  // `User` (`ids.birthdays`, from POST users/many) or a teacher's `DateBirth`. Contacts: a teacher's `Email`, a
  // parent's or administrator's `User` e-mail and phone (`ids.contacts`); a pupil's are not read.
  const birthDate = f.birth?.slice(0, 10) ?? birthdaysOf(ctx)[id];
  return make(ctx, 'person', idFor(ctx, 'person', id), 'person', id, {
    familyName: f.last, givenName: f.first, middleName: f.middle ?? undefined, sex: sexOf(f.sex), birthDate, emails: contacts.emails, phones: contacts.phones,
    enabled: true, gradeLevel, identifiers: [],
  });
}

let lastBirthdaysText: string | undefined;
let lastBirthdays: Record<string, string> = {};
/** `ids.birthdays`: `{person id: YYYY-MM-DD}`, parsed once per string. */
function birthdaysOf(ctx: MapContext): Record<string, string> {
  const text = ctx.ids.birthdays;
  if (!text) return {};
  if (text !== lastBirthdaysText) {
    lastBirthdays = JSON.parse(text) as Record<string, string>;
    lastBirthdaysText = text;
  }
  return lastBirthdays;
}

/**
 * A person's role in the school. The partner API says only which list a person is on (pupils of an
 * edu-group, teachers, the `Admins` membership, a pupil's relatives): no dates, and no director/deputy
 * distinction among administrators [U] — docs/platforms/dnevnik.md.
 */
function roleAssignment(ctx: MapContext, personSid: string, role: 'student' | 'subject_teacher' | 'administrator' | 'parent'): CanonicalRecord | undefined {
  if (!ctx.ids.school) return undefined;
  const key = `${personSid}:${role}`;
  return make(ctx, 'role_assignment', idFor(ctx, 'role_assignment', key), 'role_assignment', key, {
    personId: idFor(ctx, 'person', personSid), organizationId: idFor(ctx, 'organization', ctx.ids.school), role, isPrimary: true,
  });
}

/**
 * A pupil's enrollments implied by one edu-group's list: the class itself (homeroom membership, a `Group`)
 * and every subject journal of the group (`ids.subjects`). The platform has no enrollment dates: the
 * year's first day stands for the start (`ids.yearStart`).
 */
function enrollments(ctx: MapContext, personSid: string): CanonicalRecord[] {
  const { g, groupType, yearStart } = ctx.ids;
  if (!g || !yearStart) return [];
  const personId = idFor(ctx, 'person', personSid);
  const out: CanonicalRecord[] = [];
  if (groupType === 'Group') {
    const key = `${g}:${personSid}`;
    out.push(make(ctx, 'enrollment', idFor(ctx, 'enrollment', key), 'enrollment', key, {
      personId, sectionId: idFor(ctx, 'homeroom_class', g), role: 'student', isPrimary: true, beginDate: yearStart,
    }));
  }
  for (const subject of (ctx.ids.subjects ?? '').split(',').filter(Boolean)) {
    const key = `${sectionKey(g, subject)}:${personSid}`;
    out.push(make(ctx, 'enrollment', idFor(ctx, 'enrollment', key), 'enrollment', key, {
      personId, sectionId: idFor(ctx, 'section', sectionKey(g, subject)), role: 'student', isPrimary: false, beginDate: yearStart,
    }));
  }
  return out;
}

/**
 * `edu-groups/{id}/persons` (pupils: `ids.parallel` gives their grade; with their role and enrollments)
 * and `schools/{id}/membership` (administrators): camelCase persons.
 */
export function mapPersons(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.Person, items, { route, idOf: (r) => (r as { id_str?: string })?.id_str });
  const grade = ctx.ids.parallel ? Number(ctx.ids.parallel) : undefined;
  const pupils = route === 'edu-groups/{id}/persons';
  const records: CanonicalRecord[] = [];
  for (const p of ok) {
    records.push(person(ctx, p.id_str, { last: p.lastName, first: p.firstName, middle: p.middleName, sex: p.sex }, grade, pupils ? NO_CONTACTS : userContactsOf(ctx, p.id_str)));
    const role = roleAssignment(ctx, p.id_str, pupils ? 'student' : 'administrator');
    if (role) records.push(role);
    if (pupils) records.push(...enrollments(ctx, p.id_str));
  }
  return { records, quarantine };
}

/** `schools/{id}/teachers`: PascalCase (platforms.md §3.5). */
export function mapTeachers(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.Teacher, items, { route, idOf: (r) => (r as { IdStr?: string })?.IdStr });
  const records: CanonicalRecord[] = [];
  for (const t of ok) {
    records.push(person(ctx, t.IdStr, { last: t.LastName, first: t.FirstName, middle: t.MiddleName, sex: t.Sex, birth: t.DateBirth }, undefined, contactsOf([t.Email], [])));
    const role = roleAssignment(ctx, t.IdStr, 'subject_teacher');
    if (role) records.push(role);
  }
  return { records, quarantine };
}

const RELATION: Readonly<Record<string, 'mother' | 'father' | 'guardian' | 'trustee' | 'other'>> = {
  Mother: 'mother', Father: 'father', Guardian: 'guardian', Trustee: 'trustee',
};

/** `users/{id}/relatives`: the parents of one pupil (`ids.person` = the pupil's person id) and the links. */
export function mapRelatives(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.Relative, items, { route });
  const records: CanonicalRecord[] = [];
  const pupil = ctx.ids.person;
  for (const r of ok) {
    records.push(person(ctx, r.person.id_str, { last: r.person.lastName, first: r.person.firstName, middle: r.person.middleName, sex: r.person.sex }, undefined, userContactsOf(ctx, r.person.id_str)));
    const role = roleAssignment(ctx, r.person.id_str, 'parent');
    if (role) records.push(role);
    if (!pupil) continue;
    const key = `${pupil}:${r.person.id_str}`;
    // Only the relation is carried; a parent listed by the platform is taken as a legal representative
    // with full access (the gateway's defaults, R-25), digital access unknown.
    records.push(make(ctx, 'guardian_link', idFor(ctx, 'guardian_link', key), 'guardian_link', key, {
      studentId: idFor(ctx, 'person', pupil), guardianId: idFor(ctx, 'person', r.person.id_str), relation: RELATION[r.relativeType] ?? 'other',
      isLegalRepresentative: true, accessScope: 'full', digitalAccess: 'unknown',
    }));
  }
  return { records, quarantine };
}

/** `schools/{id}/edu-groups`: one section per edu-group × subject; a Subgroup hangs under its class (`parentIds`). */
export function mapEduGroups(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.EduGroup, items, { route, idOf: (r) => (r as { id_str?: string })?.id_str });
  const byId = new Map(ok.map((g) => [g.id_str, g]));
  const yearId = ctx.ids.yearPeriod ? idFor(ctx, 'academic_session', ctx.ids.yearPeriod) : undefined;
  const records: CanonicalRecord[] = [];
  const organizationId = ctx.ids.id ? idFor(ctx, 'organization', ctx.ids.id) : undefined;
  for (const g of ok) {
    if (g.type === 'Group' && yearId && organizationId && g.parallel) {
      // A class edu-group is the homeroom class; its class teacher is not in the payload.
      records.push(make(ctx, 'homeroom_class', idFor(ctx, 'homeroom_class', g.id_str), 'homeroom_class', g.id_str, {
        gradeLevel: g.parallel, letter: g.name.replace(/^\d+\s*-?\s*/, '') || g.name, title: g.name, academicYearId: yearId, organizationId,
      }));
    }
    const cls = g.type === 'Subgroup' ? byId.get(g.parentIds_str[0] ?? '') : g;
    if (!cls) {
      quarantine.push({ route, sourceId: g.id_str, field: 'parentIds_str', reason: 'subgroup without a known parent class' });
      continue;
    }
    if (!yearId) {
      quarantine.push({ route, sourceId: g.id_str, field: 'studyyear', reason: 'no school year in ids.yearPeriod (no reporting period was read)' });
      continue;
    }
    for (const s of g.subjects) {
      const key = sectionKey(g.id_str, s.id_str);
      records.push(make(ctx, 'section', idFor(ctx, 'section', key), 'section', key, {
        homeroomClassId: idFor(ctx, 'homeroom_class', cls.id_str), subjectId: idFor(ctx, 'subject', s.id_str),
        subgroup: g.type === 'Subgroup' ? g.name : undefined, weeklyHours: 0, academicYearId: yearId, periods: [],
        title: g.type === 'Subgroup' ? `${cls.name} ${s.name} (${g.name})` : `${cls.name} ${s.name}`, scaleCode: 'ru5',
      }));
    }
  }
  return { records, quarantine };
}

/** `work-types/{school}`: weights live here; titles are matched to the 25 canonical work types. */
export function mapWorkTypes(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.WorkType, items, { route });
  const records: CanonicalRecord[] = [];
  for (const w of ok) {
    const def = workTypeByName(w.title) ?? WORK_TYPES.find((d) => d.code === w.abbr);
    if (!def) {
      quarantine.push({ route, sourceId: String(w.id), field: 'title', rawValue: w.title, reason: 'work type not among the 25 of the weighted-mark system' });
      continue;
    }
    records.push(make(ctx, 'work_type', idFor(ctx, 'work_type', String(w.id)), 'work_type', String(w.id), {
      code: def.code, nameRu: def.nameRu, weight: w.weight, organizationId: ctx.ids.school ? idFor(ctx, 'organization', ctx.ids.school) : undefined,
    }));
  }
  return { records, quarantine };
}

/** `schools/{id}`: the school; `timeZone` is an hour offset. */
export function mapSchool(route: string, payload: unknown, ctx: MapContext): MapResult {
  const s = parsePayload(S.School, payload, where(route));
  const tz = ZONE_BY_OFFSET[s.timeZone];
  if (!tz) return { ...emptyMapResult(), quarantine: [{ route, sourceId: s.id_str, field: 'timeZone', rawValue: s.timeZone, reason: 'no Russian zone with this offset' }] };
  return { records: [make(ctx, 'organization', idFor(ctx, 'organization', s.id_str), 'organization', s.id_str, {
    name: s.fullName ?? s.name, shortName: s.name, type: 'school', identifiers: [], timeZone: tz,
  })], quarantine: [] };
}

/** `schools/{id}/subjects`: the school's subjects (`ids.schoolYear` from the Year period). */
export function mapSubjects(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.Subject, items, { route, idOf: (r) => (r as { idStr?: string })?.idStr });
  const schoolYear = Number(ctx.ids.schoolYear);
  if (!ctx.ids.id || !Number.isInteger(schoolYear)) {
    return { records: [], quarantine: [...quarantine, { route, field: 'ids.schoolYear', reason: 'subjects need the school id and the school year (from the reporting periods)' }] };
  }
  const organizationId = idFor(ctx, 'organization', ctx.ids.id);
  return {
    records: ok.map((s) => make(ctx, 'subject', idFor(ctx, 'subject', s.idStr), 'subject', s.idStr, {
      // The platform has no subject code: the normalised title stands in (the natural key matches on the title).
      code: s.name.trim().toLowerCase(), title: s.name, subjectArea: s.knowledgeArea ?? undefined, gradeLevels: [], organizationId, schoolYear,
    })),
    quarantine,
  };
}

/** `edu-groups/{id}/reporting-periods`: the year and its grading periods (`ids.school`). */
export function mapReportingPeriods(route: string, payload: unknown, ctx: MapContext): MapResult {
  const items = parsePayload(z.array(z.unknown()), payload, where(route));
  const { ok, quarantine } = parseItems(S.ReportingPeriod, items, { route, idOf: (r) => (r as { id_str?: string })?.id_str });
  if (!ctx.ids.school) return { records: [], quarantine: [...quarantine, { route, field: 'ids.school', reason: 'reporting periods need the school id' }] };
  const organizationId = idFor(ctx, 'organization', ctx.ids.school);
  const records: CanonicalRecord[] = [];
  for (const p of ok) {
    const kind = PERIOD_TYPE_TO_KIND[p.type];
    // No parent link and no count of school days in the payload (docs/platforms/dnevnik.md).
    records.push(make(ctx, 'academic_session', idFor(ctx, 'academic_session', p.id_str), 'reporting_period', p.id_str, {
      title: p.name, kind, startDate: localDayOf(p.start, ctx.timeZone), endDate: localDayOf(p.finish, ctx.timeZone), schoolYear: p.year, organizationId,
      sequence: p.number, isGradingPeriod: kind !== 'school_year',
    }));
  }
  // No Year period: the year the classes and sections hang off is the periods' span (school-year.ts).
  const year = schoolYearOfPeriods(ok, ctx.timeZone);
  if (year && !year.fromPlatform) {
    records.push(make(ctx, 'academic_session', idFor(ctx, 'academic_session', year.sourceId), 'reporting_period', year.sourceId, {
      title: `${year.year - 1}/${year.year}`, kind: 'school_year', startDate: year.start, endDate: year.end, schoolYear: year.year, organizationId,
      sequence: 1, isGradingPeriod: false,
    }));
  }
  return { records, quarantine };
}
