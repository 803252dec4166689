// The ЭлЖур mapper and its XML reader on small synthetic payloads (platforms.md §4.5 quirks).
import { describe, expect, it } from 'vitest';
import * as S from '../../src/connectors/eljur/schemas.js';
import { envelopeState } from '../../src/connectors/eljur/classify.js';
import { eljurMapper, EljurXmlError, parseEljurXml, toEljurXml } from '../../src/mappers/eljur/index.js';
import type { MapContext } from '../../src/connectors/mapping.js';

const ctx = (ids: Record<string, string> = {}, format: 'json' | 'xml' = 'json'): MapContext => ({
  system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-09-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids, format,
});
const ok = (result: unknown) => ({ response: { state: 200, error: null, result } });

describe('ЭлЖур XML (out_format=xml)', () => {
  it('round-trips the JSON shape: keyed objects, arrays, attributes kept, leaves as strings with leading zeros', () => {
    const v = { state: 200, error: null, result: { students: { '0042': { days: { '20250901': { items: { '1': { lesson_id: '000000037', num: 1, ok: true } } } }, lessons: [{ name: 'А&Б <x>' }, { name: 'В' }] } } } };
    const back = parseEljurXml(toEljurXml(v)) as { response: { state: string; error: string; result: { students: Record<string, { days: Record<string, { items: Record<string, Record<string, string>> }>; lessons: { name: string }[] }> } } };
    expect(back.response.state).toBe('200');
    expect(back.response.error).toBe('');
    const st = back.response.result.students['0042'];
    expect(st.days['20250901'].items['1']).toEqual({ lesson_id: '000000037', num: '1', ok: 'true' });
    expect(st.lessons).toEqual([{ name: 'А&Б <x>' }, { name: 'В' }]);
    expect(parseEljurXml('<r><a id="7" flag=\'yes\'>x</a><b id="1"/></r>')).toEqual({ r: { a: { id: '7', flag: 'yes', '#text': 'x' }, b: { id: '1' } } });
  });

  it.each([
    ['<response><state>200</state>', /unclosed <response>/],
    ['<response><state>200</error></response>', /does not match <state>/],
    ['<response>a &nbsp; b</response>', /unknown entity &nbsp;/],
    ['<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', /DOCTYPE and declarations are refused/],
    ['<r/><r/>', /second root/],
    ['<r a="1" a="2"/>', /repeated/],
    ['<r a="1"b="2"/>', /malformed attribute/],
    ['<r a=1/>', /malformed attribute/],
    ['', /no root element/],
    [`${'<a>'.repeat(70)}${'</a>'.repeat(70)}`, /nesting deeper than 64/],
  ])('refuses a document that is not well-formed or asks for entity expansion: %s', (text, why) => {
    expect(() => parseEljurXml(text)).toThrow(EljurXmlError);
    expect(() => parseEljurXml(text)).toThrow(why);
  });

  it('a broken XML page becomes one quarantine line naming the route, never a crash', () => {
    const m = eljurMapper('getmarks', '<response><state>200</state><result><students>', ctx({}, 'xml'));
    expect(m.records).toEqual([]);
    expect(m.quarantine).toEqual([expect.objectContaining({ route: 'getmarks', reason: expect.stringMatching(/eljur getmarks.*not well-formed.*unclosed/) })]);
  });
});

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
  });
});
