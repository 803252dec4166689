// `getperiods` → academic sessions (the school year and its terms). Before, the route was read for context only
// (works' grading periods), so the store held no year for classes and sections to hang off and ЭлЖур could not be a
// migration source. Every pupil's list is merged (a class graded by half-years and one by quarters both show); the
// year is the period named as the year, else the span of all (`yearKeyOf`, the connector's `ids.year` too).
import { parsePayload, type MapContext, type MapResult, type QuarantineItem } from '../../connectors/mapping.js';
import * as S from '../../connectors/eljur/schemas.js';
import type { CanonicalRecord } from '../../model/records.js';
import { isoDate, periodKey, periodKindOf, yearKeyOf } from './codes.js';
import { idFor, make, resultOf, type PeriodRow } from './context.js';

// A module is the canonical `module` (§A.2.2), a grading period as a quarter is (final-kinds.ts).
const KIND = { quarter: 'quarter', half_year: 'half_year', trimester: 'trimester', module: 'module', year: 'school_year' } as const;
/** `MapResult.skipped` reason of a holiday period. */
export const HOLIDAY_SKIPPED = 'getperiods: holidays («каникулы»), no session: they carry no marks';

/**
 * Every listed period once by its dates, as rows: what the school year is judged from (`yearKeyOf`) by the mapper and
 * by the connector's `ids.year` alike. Taken once by name instead (as the connector's context lists are), two classes
 * whose «Год» ends on different days (the exam grades end in May's last week) gave the connector one year and the
 * mapper another, and the classes named a year session that was never stored.
 */
export function periodRowsByKey(list: readonly { name: string; start: string; end: string }[]): PeriodRow[] {
  return [...new Map(list.map((p) => [periodKey(p.start, p.end), [periodKey(p.start, p.end), periodKindOf(p.name) ?? '', p.start, p.end, p.name] as PeriodRow])).values()];
}

export function mapPeriods(route: string, payload: unknown, ctx: MapContext): MapResult {
  const { students } = parsePayload(S.Periods, resultOf(route, payload, ctx.format), { platform: 'eljur', route: `${route} result` });
  // `map` of a saved page without the school: validated only, as the route was before (works' periods come from ids).
  if (!ctx.ids.school) return { records: [], quarantine: [] };
  const organizationId = idFor(ctx, 'organization', ctx.ids.school);
  const rows = periodRowsByKey(students.flatMap((s) => s.periods));
  if (!rows.length) return { records: [], quarantine: [] };
  const yearKey = yearKeyOf(rows);
  const [yStart, yEnd] = yearKey.split('-');
  const schoolYear = Number(yEnd.slice(0, 4));
  const yearId = idFor(ctx, 'academic_session', yearKey);
  const records: CanonicalRecord[] = [];
  const quarantine: QuarantineItem[] = [];
  let holidays = 0;
  if (!rows.some((r) => r[0] === yearKey)) {
    // Terms only: the year is their span, titled as the school names a year.
    records.push(make(ctx, 'academic_session', yearId, 'period', yearKey, {
      title: `${schoolYear - 1}/${schoolYear}`, kind: 'school_year', startDate: isoDate(yStart), endDate: isoDate(yEnd), schoolYear, organizationId, isGradingPeriod: false,
    }));
  }
  for (const [key, kind, start, end, name] of rows) {
    // The span of every period is the year whatever its name (yearKeyOf): an installation (or a package loaded from
    // another platform) may name it «2025/2026».
    // Holidays carry no marks and the canonical model has no session kind for them: left out on purpose and counted —
    // not quarantined, so they do not make the read partial (a system of record's deletes by absence go on).
    // They still count in the year's span above, as they did (the year keeps its key).
    if (kind === 'holiday' && key !== yearKey) {
      holidays++;
      continue;
    }
    const k = key === yearKey ? 'school_year' : KIND[kind as keyof typeof KIND];
    if (!k) {
      // Any other name stays a quarantine: the rule that makes the read partial is kept (docs/platforms/eljur.md).
      quarantine.push({ route, sourceId: key, field: 'name', rawValue: name, reason: 'period name of no known kind (четверть, полугодие, триместр, модуль, год, каникулы)' });
      continue;
    }
    records.push(make(ctx, 'academic_session', idFor(ctx, 'academic_session', key), 'period', key, {
      title: name, kind: k, startDate: isoDate(start), endDate: isoDate(end), schoolYear, organizationId,
      parentId: k === 'school_year' ? undefined : yearId, isGradingPeriod: k !== 'school_year',
    }));
  }
  return { records, quarantine, ...(holidays ? { skipped: { [HOLIDAY_SKIPPED]: holidays } } : {}) };
}
