// `getfinalassessments` → final marks (platforms.md §4.3): per pupil, per subject (by name), one
// assessment per period (by name). Periods are resolved through `ids.periods` (from `getperiods`), the
// pupil's subgroup of a subject through `ids.grp`, the class through `ids.class`.
import * as z from 'zod';
import { finalMarkId } from '../../model/ids.js';
import type { CanonicalRecord } from '../../model/records.js';
import { parseItems, parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as S from '../../connectors/eljur/schemas.js';
import { isoDate, sectionKey } from './codes.js';
import { idFor, jsonId, make, resultOf, type PeriodRow, type SubgroupMap } from './context.js';
import { dayStart } from './lessons.js';
import { finalKindOfPeriod } from '../../model/final-kinds.js';

const Students = z.object({ students: S.dict(z.object({ items: S.list(z.unknown()) })) });

export function mapFinals(route: string, payload: unknown, ctx: MapContext): MapResult {
  const result = parsePayload(Students, resultOf(route, payload, ctx.format), { platform: 'eljur', route: `${route} result` });
  const periods = new Map(jsonId<PeriodRow[]>(ctx, 'periods', []).map((p) => [p[4], p]));
  const grp = jsonId<SubgroupMap>(ctx, 'grp', {});
  const cls = ctx.ids.class;
  const records: CanonicalRecord[] = [];
  const quarantine: QuarantineItem[] = [];
  if (!cls) return { records, quarantine: [{ route, reason: 'ids.class is required (the class asked for)' }] };
  for (const [pupil, entry] of Object.entries(result.students)) {
    const studentId = idFor(ctx, 'person', pupil);
    const items = parseItems(S.FinalItem, entry.items, { route, pathPrefix: `students.${pupil}.items` });
    quarantine.push(...items.quarantine);
    for (const it of items.ok) {
      const sectionId = idFor(ctx, 'section', sectionKey(cls, it.name, grp[pupil]?.[it.name]));
      for (const a of it.assessments) {
        if (!a.value.trim()) continue; // no final mark set for this period yet
        const p = periods.get(a.period);
        // A trimester's mark is a grading-period mark (final-kinds.ts).
        const kind = p ? finalKindOfPeriod(p[1]) : undefined;
        if (!p || !kind) {
          quarantine.push({ route, sourceId: pupil, field: 'assessments.period', rawValue: a.period, reason: 'period unknown (not in getperiods) or of a kind without final marks' });
          continue;
        }
        const periodId = idFor(ctx, 'academic_session', p[0]);
        records.push(make(ctx, 'final_mark', finalMarkId(studentId, sectionId, kind, periodId), 'final_mark', `${pupil}:${it.name}:${p[0]}`, {
          studentId, sectionId, kind, periodId, raw: a.value, base: /^[1-5]$/.test(a.value) ? Number(a.value) : null,
          recordedAt: dayStart(isoDate(p[3]), ctx.timeZone), recordedBy: studentId,
        }));
      }
    }
  }
  return { records, quarantine };
}
