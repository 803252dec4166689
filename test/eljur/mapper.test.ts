// The ЭлЖур mapper on small synthetic payloads (platforms.md §4.5 quirks); the XML reader: xml.test.ts.
import { describe, expect, it } from 'vitest';
import * as S from '../../src/connectors/eljur/schemas.js';
import { envelopeState } from '../../src/connectors/eljur/classify.js';
import { eljurMapper, toEljurXml } from '../../src/mappers/eljur/index.js';
import type { MapContext } from '../../src/connectors/mapping.js';

const ctx = (ids: Record<string, string> = {}, format: 'json' | 'xml' = 'json'): MapContext => ({
  system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-09-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids, format,
});
const ok = (result: unknown) => ({ response: { state: 200, error: null, result } });

describe('ЭлЖур quirks (platforms.md §4.5)', () => {
  it('the envelope state is found in JSON and at either end of an XML document', () => {
    expect(envelopeState({ response: { state: '401', error: 'x', result: {} } })).toEqual({ state: 401, error: 'x' });
    expect(envelopeState(toEljurXml({ state: 403, error: 'не удалось авторизовать разработчика', result: {} }))).toEqual({ state: 403, error: 'не удалось авторизовать разработчика' });
    const big = `<response><result>${'<item>x</item>'.repeat(500)}</result><state>401</state><error>токен</error></response>`;
    expect(envelopeState(big)).toEqual({ state: 401, error: 'токен' });
    expect(envelopeState('<html>503</html>')).toBeUndefined();
  });

  it('booleans arrive as true/yes/__yes/1 (and their negatives); anything else is a schema error', () => {
    for (const t of [true, 'true', 'yes', '__yes', '1', 1]) expect(S.bool.parse(t)).toBe(true);
    for (const f of [false, 'false', 'no', '0', 0, '', null]) expect(S.bool.parse(f)).toBe(false);
    expect(S.bool.safeParse('maybe').success).toBe(false);
  });

  it('ids stay strings with their leading zeros; numbers may be strings', () => {
    expect(S.id.parse('000123')).toBe('000123');
    expect(S.id.parse(123)).toBe('123');
    expect(S.num.parse('4.50')).toBe(4.5);
    expect(S.id.safeParse('12a').success).toBe(false);
  });

  it('a 200 envelope with a failure state is refused by the mapper, not mapped as "no data"', () => {
    const m = eljurMapper('getrules', { response: { state: 401, error: 'токен недействителен', result: {} } }, ctx());
    expect(m.records).toEqual([]);
    expect(m.quarantine[0]).toMatchObject({ route: 'getrules', field: 'response.state', reason: expect.stringMatching(/state 401 \(токен недействителен\)/) });
  });

  it('absences share the marks arrays: н, оп, Б, УП, ОТ with count:false become attendance records with the raw code kept', () => {
    const lid = (s: string) => `00000${s}`;
    const resolve = (_e: string, id: string) => ({ [lid('1')]: '11111111-1111-5111-8111-111111111111', [lid('2')]: '22222222-2222-5222-8222-222222222222' })[id];
    const payload = ok({ students: { '30021': { lessons: [{ name: 'Математика', average: '4.00', marks: [
      { value: 'н', date: '2025-09-01', lesson_id: lid('1'), count: false, convert: 0, countas: 0 },
      { value: 'Б', date: '2025-09-02', lesson_id: lid('2'), count: 'no', convert: '0', countas: '0' },
      { value: 'осв', date: '2025-09-02', lesson_id: lid('2'), nm: '1', weight: 1, weight_float: '1.5', mtype: { short: 'oral_answer' } },
      { value: '7', date: '2025-09-02', lesson_id: lid('2'), nm: '2', weight: 1, mtype: { type: 'Ответ на уроке' } },
      { value: '5', date: '2025-09-02', lesson_id: lid('2'), nm: '2', weight: 1, mtype: { type: 'Неизвестная работа' } },
    ] }] } } });
    const m = eljurMapper('getmarks', payload, { ...ctx({ class: '5А', periods: JSON.stringify([['20250901-20251024', 'quarter', '20250901', '20251024', '1 четверть']]) }), resolve });
    const att = m.records.filter((r) => r.entity === 'attendance_record');
    expect(att.map((a) => [a.rawCode, a.kind, a.reason])).toEqual([['н', 'absent', 'unknown'], ['Б', 'absent', 'illness']]);
    const marks = m.records.filter((r) => r.entity === 'mark');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ state: 'exempt', raw: 'осв', base: null, weightApplied: 2 }); // weight_float wins over weight
    expect(m.quarantine.map((q) => [q.field, q.ruleId])).toEqual([['value', 'R-08'], ['mtype', undefined]]);
    // Each line names the cell it may hide (journal deletes leave it alone): the pupil's in the lesson, as mapped.
    const cell = { studentId: att[1].studentId, lessonId: '22222222-2222-5222-8222-222222222222' };
    expect(m.quarantine.map((q) => q.holds)).toEqual([cell, cell]);
  });

  it('a third mark of a pupil in one lesson (nm 3), or a second at the same place, is quarantined under R-09, never stored over the first', () => {
    const resolve = (_e: string, id: string) => (id === '000000037' ? '33333333-3333-5333-8333-333333333333' : undefined);
    const mark = (value: string, nm: string, short: string) => ({ value, date: '2025-09-01', lesson_id: '000000037', nm, weight: 1, mtype: { short } });
    const payload = ok({ students: { '30007': { lessons: [{ name: 'Математика', marks: [
      mark('5', '1', 'oral_answer'), mark('3', '2', 'homework'), mark('2', '3', 'test'), mark('4', '2', 'test'),
    ] }] } } });
    const m = eljurMapper('getmarks', payload, { ...ctx({ class: '7А', periods: JSON.stringify([['20250901-20251024', 'quarter', '20250901', '20251024', '1 четверть']]) }), resolve });
    const marks = m.records.filter((r) => r.entity === 'mark');
    expect(marks.map((r) => [r.raw, r.slot])).toEqual([['5', 1], ['3', 2]]);
    expect(new Set(marks.map((r) => r.id)).size).toBe(2);
    expect(m.quarantine.map((q) => [q.field, q.rawValue, q.ruleId, q.reason])).toEqual([
      ['nm', 3, 'R-09', 'a third mark of one pupil in one lesson (R-09 allows two)'],
      ['nm', 2, 'R-09', 'a second mark with the same place (nm 2) in one lesson'],
    ]);
  });
});

describe('ЭлЖур: lines that hide no mark or absence (journal deletes go on beside them)', () => {
  it('a homework page or a diary day that does not read holds nothing: marks and absences come with getmarks', () => {
    const homework = eljurMapper('gethomework', { response: { state: 'двести' } }, ctx());
    expect(homework.quarantine).toEqual([expect.objectContaining({ route: 'gethomework', holds: 'none' })]);
    const diary = eljurMapper('getdiary', ok({ students: { '30021': { days: { x: { name: 'вчера', items: {} } } } } }), ctx({ class: '5А', year: '2025/2026' }));
    expect(diary.quarantine).toEqual([expect.objectContaining({ holds: 'none' })]);
  });
});

describe('ЭлЖур final marks', () => {
  it('a trimester\'s assessment is a grading-period mark (kind quarter) of that trimester, not quarantined', () => {
    const periods = JSON.stringify([['20250901-20251130', 'trimester', '20250901', '20251130', '1 триместр']]);
    const payload = ok({ students: { 30021: { items: [{ name: 'Алгебра', assessments: [{ period: '1 триместр', value: '5' }] }] } } });
    const m = eljurMapper('getfinalassessments', payload, ctx({ class: '5А', periods }));
    expect(m.quarantine).toEqual([]);
    expect(m.records.map((r) => [(r as { kind?: string }).kind, (r as { raw?: string }).raw])).toEqual([['quarter', '5']]);
  });
});
