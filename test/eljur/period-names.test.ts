// ЭлЖур `getperiods` names (docs/platforms/eljur.md «ЭлЖур as system of record»): holidays are recognised and left out
// on purpose, counted, never quarantined; modules, trimesters, half-years and semesters are the canonical kinds that
// fit, whatever the case, ё or numeral; a name of no known kind is still quarantined.
import { describe, expect, it } from 'vitest';
import { mapBatch } from '../../src/connectors/mapping.js';
import { periodKindOf } from '../../src/mappers/eljur/codes.js';
import { eljurMapper } from '../../src/mappers/eljur/index.js';
import { HOLIDAY_SKIPPED } from '../../src/mappers/eljur/periods.js';
import { parseRecord, type CanonicalRecord } from '../../src/model/records.js';
import { ok } from './contract-fixtures.js';

const CTX = { system: 'eljur' as const, instance: 't', runId: 'r', mapperVersion: 'v' };
const IDS = { school: 'school-test', year: '20250901-20260531', yearStart: '20250901' };
const map = (route: string, payload: unknown, ids: Record<string, string>) =>
  mapBatch(eljurMapper, { route, payload, context: { timeZone: 'Europe/Simferopol', ids, fetchedAt: '2025-09-10T00:00:00Z', format: 'json' } }, CTX);
const periods = (list: [name: string, start: string, end: string][]) =>
  ok({ students: [{ name: '301', periods: list.map(([name, start, end]) => ({ name, start, end })) }] });
const sessions = (records: CanonicalRecord[]) =>
  records.flatMap((r) => (r.entity === 'academic_session' ? [[r.sourceRefs[0].sourceId, r.kind, r.title]] : []));

describe('ЭлЖур period names', () => {
  it('holidays, any case, with ё or е, are holidays — checked before the term they follow', () => {
    for (const n of ['Каникулы', 'КАНИКУЛЫ', 'Летние каникулы', 'Осенние каникулы', 'осенние  каникулы ', 'Зимние каникулы 2025/2026', 'Весенние каникулы (3 четверть)', 'Дополнительные каникулы для 1 классов']) {
      expect(periodKindOf(n), n).toBe('holiday');
    }
  });

  it('terms by their word, the number Arabic or Roman: четверть, полугодие/семестр, триместр, модуль; the year', () => {
    const cases: [string, string][] = [
      ['1 четверть', 'quarter'], ['IV четверть', 'quarter'], ['Четвёртая четверть', 'quarter'],
      ['I полугодие', 'half_year'], ['2 полугодие', 'half_year'], ['II семестр', 'half_year'],
      ['1 триместр', 'trimester'], ['III Триместр', 'trimester'],
      ['1 модуль', 'module'], ['V модуль', 'module'], ['Модуль 3', 'module'],
      ['Год', 'year'], ['Учебный год', 'year'], ['учебный год 2025/2026', 'year'], ['2025/2026 год', 'year'],
    ];
    for (const [n, kind] of cases) expect(periodKindOf(n), n).toBe(kind);
    for (const n of ['Годовая аттестация', 'Летняя практика', '2025/2026']) expect(periodKindOf(n), n).toBeUndefined();
  });

  it('getperiods: holidays are no session and no quarantine, counted as left out; a module is a module under the year', () => {
    const m = map('getperiods', periods([
      ['1 четверть', '20250901', '20251024'], ['Осенние каникулы', '20251025', '20251102'], ['2 четверть', '20251103', '20251228'],
      ['Зимние каникулы', '20251229', '20260108'], ['1 модуль', '20250901', '20251010'], ['Год', '20250901', '20260531'],
    ]), IDS);
    for (const r of m.records) parseRecord(r);
    expect(m.quarantine).toEqual([]);
    expect(m.skipped).toEqual({ [HOLIDAY_SKIPPED]: 2 });
    expect(sessions(m.records)).toEqual([
      ['20250901-20251024', 'quarter', '1 четверть'], ['20251103-20251228', 'quarter', '2 четверть'],
      ['20250901-20251010', 'module', '1 модуль'], ['20250901-20260531', 'school_year', 'Год'],
    ]);
    const year = m.records.find((r) => r.entity === 'academic_session' && r.kind === 'school_year')!;
    expect(m.records.find((r) => r.entity === 'academic_session' && r.kind === 'module')).toMatchObject({ parentId: year.id, isGradingPeriod: true });
  });

  it('holidays count in the year\'s span as before: with no year listed, the year keeps its key', () => {
    const m = map('getperiods', periods([['I полугодие', '20250901', '20251228'], ['II полугодие', '20260109', '20260531'], ['Летние каникулы', '20260601', '20260831']]), IDS);
    expect(m.quarantine).toEqual([]);
    expect(sessions(m.records).map(([key, kind]) => [key, kind])).toEqual([
      ['20250901-20260831', 'school_year'], ['20250901-20251228', 'half_year'], ['20260109-20260531', 'half_year'],
    ]);
  });

  it('a name of still no known kind is quarantined, as before (it makes a roster read partial)', () => {
    const m = map('getperiods', periods([['1 четверть', '20250901', '20251024'], ['Летняя практика', '20260601', '20260620']]), IDS);
    expect(m.quarantine).toEqual([expect.objectContaining({ field: 'name', rawValue: 'Летняя практика', sourceId: '20260601-20260620' })]);
    expect(m.skipped).toBeUndefined();
  });

  it('a mark dated in the holidays goes to the term around them, never to the holidays (no session)', () => {
    const resolve = (_e: string, id: string) => (id === '000000041' ? '44444444-4444-5444-8444-444444444444' : undefined);
    const payload = ok({ students: { '30007': { lessons: [{ name: 'Математика', marks: [
      { value: '4', date: '2025-10-28', lesson_id: '000000041', nm: '1', weight: 1, mtype: { short: 'test' } },
    ] }] } } });
    const rows = JSON.stringify([
      ['20250901-20251228', 'half_year', '20250901', '20251228', 'I полугодие'], ['20251025-20251102', 'holiday', '20251025', '20251102', 'Осенние каникулы'],
    ]);
    const m = eljurMapper('getmarks', payload, { system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-11-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids: { class: '7А', periods: rows }, format: 'json', resolve });
    const work = m.records.find((r) => r.entity === 'work');
    const half = map('getperiods', periods([['I полугодие', '20250901', '20251228'], ['Год', '20250901', '20260531']]), IDS).records.find((r) => r.entity === 'academic_session' && r.kind === 'half_year');
    expect(work).toMatchObject({ gradingPeriodId: half?.id });
  });

  it('holidays between two quarters and no «Год» listed: a mark dated in them goes to the quarter just ended, not to quarantine', () => {
    const resolve = (_e: string, id: string) => (id === '000000041' ? '44444444-4444-5444-8444-444444444444' : undefined);
    const payload = ok({ students: { '30007': { lessons: [{ name: 'Математика', marks: [
      { value: '4', date: '2025-10-28', lesson_id: '000000041', nm: '1', weight: 1, mtype: { short: 'test' } },
    ] }] } } });
    const rows = JSON.stringify([
      ['20250901-20251024', 'quarter', '20250901', '20251024', '1 четверть'], ['20251025-20251102', 'holiday', '20251025', '20251102', 'Осенние каникулы'],
      ['20251103-20251228', 'quarter', '20251103', '20251228', '2 четверть'],
    ]);
    const m = eljurMapper('getmarks', payload, { system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-11-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids: { class: '7А', periods: rows }, format: 'json', resolve });
    expect(m.quarantine).toEqual([]);
    const first = map('getperiods', periods([['1 четверть', '20250901', '20251024'], ['2 четверть', '20251103', '20251228']]), IDS).records.find((r) => r.entity === 'academic_session' && r.kind === 'quarter' && (r as { startDate?: string }).startDate === '2025-09-01');
    expect(first).toBeDefined();
    expect(m.records.find((r) => r.entity === 'work')).toMatchObject({ gradingPeriodId: first?.id });
  });
});
