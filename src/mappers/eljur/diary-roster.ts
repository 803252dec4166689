// A diary page read for the roster (`getdiary` with `ids.part = roster`) → subjects, sections and who is in each.
// ЭлЖур lists no subjects or groups (platforms.md §4.3): a journal page exists for the gateway only as the lessons a
// pupil's diary shows. The page is keyed by pupil, so it says which pupil sits in which section (subgroup `grp`
// included) — the enrollments a target's identity matching and the import package need. Lessons are the journal
// read's (this mode emits none), so a read asking for both does not bring a lesson twice.
import * as z from 'zod';
import { parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as S from '../../connectors/eljur/schemas.js';
import type { CanonicalRecord } from '../../model/records.js';
import { isoDate, sectionKey, teacherNameParts } from './codes.js';
import { idFor, make, resultOf } from './context.js';
import { sectionRecord } from './sections.js';

const Students = z.object({ students: S.dict(z.object({ days: S.dict(z.object({ items: S.dict(z.unknown()) })) })) });
/** What placing a pupil in a section and a teacher in the school needs of a lesson; the journal read validates the rest. */
const Placed = z.object({ name: z.string().min(1), grp: S.optStr, teacher: S.optStr, teacher_id: S.optStr });

export function mapDiaryRoster(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { students } = parsePayload(Students, resultOf(route, payload, ctx.format), { platform: 'eljur', route: `${route} result` });
  const { class: cls, year, yearStart, school } = ctx.ids;
  if (!cls || !year || !yearStart || !school) {
    return { records: [], quarantine: [{ route, reason: 'ids.class, ids.year, ids.yearStart and ids.school are required (the class asked for, the school year, the school)' }] };
  }
  const organizationId = idFor(ctx, 'organization', school);
  const yearId = idFor(ctx, 'academic_session', year);
  const schoolYear = Number(year.slice(9, 13));
  const beginDate = isoDate(yearStart);
  const quarantine: QuarantineItem[] = [];
  const records: CanonicalRecord[] = [];
  const seen = new Set<string>();
  for (const [pupil, { days }] of Object.entries(students)) {
    for (const [day, { items }] of Object.entries(days)) {
      const placed = parseItems(Placed, Object.values(items), { route, pathPrefix: `students.${pupil}.days.${day}.items` });
      quarantine.push(...placed.quarantine);
      for (const { name, grp, teacher, teacher_id: teacherId } of placed.ok) {
        if (teacherId && teacher && !seen.has(`t|${teacherId}`)) {
          seen.add(`t|${teacherId}`);
          records.push(...teacherRecords(ctx, teacherId, teacher, organizationId));
        }
        if (!seen.has(`s|${name}`)) {
          seen.add(`s|${name}`);
          records.push(make(ctx, 'subject', idFor(ctx, 'subject', name), 'subject', name, {
            code: name.trim().toLowerCase(), title: name, gradeLevels: [], organizationId, schoolYear,
          }));
        }
        const key = sectionKey(cls, name, grp);
        if (!seen.has(key)) {
          seen.add(key);
          records.push(sectionRecord(ctx, cls, name, grp, yearId));
        }
        const member = `${key}:${pupil}`;
        if (seen.has(member)) continue;
        seen.add(member);
        records.push(make(ctx, 'enrollment', idFor(ctx, 'enrollment', member), 'enrollment', member, {
          personId: idFor(ctx, 'person', pupil), sectionId: idFor(ctx, 'section', key), role: 'student', isPrimary: false, beginDate,
        }));
      }
    }
  }
  return { records, quarantine };
}

/**
 * The teacher of a lesson, known only from diaries (no route lists staff): the lessons' `scheduledTeacherId` needs a
 * person in the store. No birth date or contact comes with it, so on another platform it is only ever a review
 * candidate (identity-matcher.ts), never merged by name.
 */
function teacherRecords(ctx: MapContext, teacherId: string, teacher: string, organizationId: string): CanonicalRecord[] {
  const names = teacherNameParts(teacher);
  if (!names) return [];
  const personId = idFor(ctx, 'person', teacherId);
  const role = `${teacherId}:subject_teacher`;
  return [
    make(ctx, 'person', personId, 'user', teacherId, { ...names, emails: [], phones: [], enabled: true, identifiers: [] }),
    make(ctx, 'role_assignment', idFor(ctx, 'role_assignment', role), 'role_assignment', role, { personId, organizationId, role: 'subject_teacher', isPrimary: true }),
  ];
}
