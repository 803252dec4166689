// `getrules` → pupils (platforms.md §4.3): the account's relations list the classes (`groups`, keyed by
// name) and the pupils (`students`, keyed by user id). ЭлЖур's public API lists no staff, so teachers
// are known only by the `teacher_id` of the lessons they teach (docs/platforms/eljur.md).
import { parseItems, parsePayload, type MapContext, type MapResult } from '../../connectors/mapping.js';
import * as S from '../../connectors/eljur/schemas.js';
import type { CanonicalRecord } from '../../model/records.js';
import { sexOf } from './codes.js';
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
  return { records, quarantine };
}
