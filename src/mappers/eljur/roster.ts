// `getrules` → pupils, classes and class lists (platforms.md §4.3): the account's relations list the classes
// (`groups`, keyed by name) and the pupils (`students`, keyed by user id, each with its `class`). ЭлЖур's public API
// lists no staff, so teachers are known only by the `teacher_id` of the lessons they teach (docs/platforms/eljur.md).
// With the school and its year in the context (`ids.school`, `ids.year`, `ids.yearStart`: the connector passes them)
// the classes, each pupil's role and class membership come too — what a migration's target matches pupils and
// classes by; without them (`map` of a saved page with no context) the pupils alone, as before.
import { parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as S from '../../connectors/eljur/schemas.js';
import type { CanonicalRecord } from '../../model/records.js';
import { isoDate, sexOf } from './codes.js';
import { classNameParts } from '../kit/class-name.js';
import { idFor, make, resultOf } from './context.js';

export function mapRules(route: string, payload: unknown, ctx: MapContext): MapResult {
  const rules = parsePayload(S.Rules, resultOf(route, payload, ctx.format), { platform: 'eljur', route: `${route} result` });
  const entries = Object.entries(rules.relations.students);
  const { ok, quarantine } = parseItems(S.RulesStudent, entries.map(([, v]) => v), {
    route, pathPrefix: 'relations.students', idOf: (r) => (r as { name?: string })?.name,
  });
  const records: CanonicalRecord[] = ok.map((p) => make(ctx, 'person', idFor(ctx, 'person', p.name), 'user', p.name, {
    familyName: p.lastname, givenName: p.firstname, middleName: p.middlename, sex: sexOf(p.gender),
    emails: [], phones: [], enabled: true, gradeLevel: p.parallel, identifiers: [],
  }));
  const { school, year, yearStart } = ctx.ids;
  if (!school || !year || !yearStart) return { records, quarantine };
  records.push(...classesAndMembers(route, ctx, ok, Object.values(rules.relations.groups), quarantine));
  return { records, quarantine };
}

function classesAndMembers(route: string, ctx: MapContext, pupils: readonly S.RulesStudentT[], groups: readonly { name: string }[], quarantine: QuarantineItem[]): CanonicalRecord[] {
  const organizationId = idFor(ctx, 'organization', ctx.ids.school!);
  const academicYearId = idFor(ctx, 'academic_session', ctx.ids.year!);
  const beginDate = isoDate(ctx.ids.yearStart!);
  const records: CanonicalRecord[] = [];
  // Classes with a pupil only: `groups` may list classes the account merely sees (the connector reads those alone).
  const named = new Set(pupils.map((p) => p.class));
  const refused = new Set<string>();
  for (const name of [...new Set([...groups.map((g) => g.name), ...named])].filter((n) => named.has(n)).sort()) {
    const parts = classNameParts(name);
    if (!parts) {
      quarantine.push({ route, sourceId: name, field: 'relations.groups', reason: 'class name does not start with a grade 1…11' });
      refused.add(name);
      continue;
    }
    records.push(make(ctx, 'homeroom_class', idFor(ctx, 'homeroom_class', name), 'class', name, { ...parts, title: name, academicYearId, organizationId }));
  }
  for (const p of pupils) {
    const personId = idFor(ctx, 'person', p.name);
    const role = `${p.name}:student`;
    records.push(make(ctx, 'role_assignment', idFor(ctx, 'role_assignment', role), 'role_assignment', role, { personId, organizationId, role: 'student', isPrimary: true }));
    // A pupil of a refused class («ГПД») has no class record to be a member of: a membership would name none.
    if (refused.has(p.class)) continue;
    // No enrollment dates in the API: the year's first day stands for the start, as on Дневник.ру.
    const member = `${p.class}:${p.name}`;
    records.push(make(ctx, 'enrollment', idFor(ctx, 'enrollment', member), 'enrollment', member, {
      personId, sectionId: idFor(ctx, 'homeroom_class', p.class), role: 'student', isPrimary: true, beginDate,
    }));
  }
  return records;
}
