// ЭлЖур `out_format=xml` read with fast-xml-parser (issue 6, platforms.md §4.5): the same shapes as the JSON
// answers, ids as received, one-element lists still lists, attributes kept, and a document that is not
// well-formed or that asks for entity expansion refused with its position.
import { describe, expect, it } from 'vitest';
import { eljurMapper, EljurXmlError, parseEljurXml, toEljurXml } from '../../src/mappers/eljur/index.js';
import { parseEljurXmlAndHandOver } from '../../src/mappers/eljur/xml.js';
import type { MapContext } from '../../src/connectors/mapping.js';

const ctx = (format: 'json' | 'xml', ids: Record<string, string> = {}): MapContext => ({
  system: 'eljur', instance: 't', timeZone: 'Europe/Simferopol', fetchedAt: '2025-09-01T00:00:00Z', runId: 'r', mapperVersion: 'v', ids, format,
});
const ok = (result: unknown) => ({ state: 200, error: null, result });
/** The records of one page mapped from JSON and from the same page as XML, as `entity:id:contentHash`. */
function bothFormats(route: string, response: ReturnType<typeof ok>, ids: Record<string, string> = {}) {
  const keys = (m: ReturnType<typeof eljurMapper>) => {
    expect(m.quarantine).toEqual([]);
    return m.records.map((r) => `${r.entity}:${r.id}:${r.contentHash}`).sort();
  };
  return { json: keys(eljurMapper(route, { response }, ctx('json', ids))), xml: keys(eljurMapper(route, toEljurXml(response), ctx('xml', ids))) };
}
function refusal(text: string): EljurXmlError {
  try {
    parseEljurXml(text);
  } catch (e) {
    expect(e).toBeInstanceOf(EljurXmlError);
    return e as EljurXmlError;
  }
  throw new Error('the document was accepted');
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE response [
  <!ENTITY lol "lol">
  ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n  ')}
]>
<response><state>200</state><error/><result><students>&lol9;</students></result></response>`;

describe('ЭлЖур XML: the JSON shapes', () => {
  it('round-trips the JSON shape: keyed objects, arrays, leaves as strings', () => {
    const v = ok({ students: { '0042': { days: { '20250901': { items: { '1': { lesson_id: '000000037', num: 1, ok: true } } } }, lessons: [{ name: 'А&Б <x>' }, { name: 'В' }] } } });
    const back = parseEljurXml(toEljurXml(v)) as { response: { state: string; error: string; result: { students: Record<string, { days: Record<string, { items: Record<string, unknown> }>; lessons: unknown }> } } };
    expect(back.response.state).toBe('200');
    expect(back.response.error).toBe('');
    const st = back.response.result.students['0042'];
    expect(st.days['20250901'].items['1']).toEqual({ lesson_id: '000000037', num: '1', ok: 'true' });
    expect(st.lessons).toEqual([{ name: 'А&Б <x>' }, { name: 'В' }]);
  });

  it('ids keep their leading zeros and 64-bit ids every digit: nothing is read as a number', () => {
    const xml = '<response><state>200</state><result><id>000000037</id><big>9007199254740993</big><w>60.0</w><e>1e3</e><x id="0042"/></result></response>';
    expect(parseEljurXml(xml)).toEqual({ response: { state: '200', result: { id: '000000037', big: '9007199254740993', w: '60.0', e: '1e3', x: { id: '0042' } } } });
  });

  it('a one-element list stays a list and a one-entry keyed object stays an object; an empty one is ""', () => {
    expect(parseEljurXml('<r><lessons><item><name>Алгебра</name></item></lessons></r>')).toEqual({ r: { lessons: [{ name: 'Алгебра' }] } });
    expect(parseEljurXml('<r><values><item>5</item></values></r>')).toEqual({ r: { values: ['5'] } });
    expect(parseEljurXml('<r><students><item key="0042"><name>0042</name></item></students></r>')).toEqual({ r: { students: { '0042': { name: '0042' } } } });
    expect(parseEljurXml('<r><lessons/><students></students></r>')).toEqual({ r: { lessons: '', students: '' } });
  });

  it('a pupil with one subject and one mark maps to the same records from XML as from JSON', () => {
    const page = ok({ students: { '30021': { lessons: [{ name: 'Алгебра', marks: [{ value: '5', date: '2025-09-01', lesson_id: '000000037', nm: '1', weight: '1', mtype: { type: 'Ответ на уроке' } }] }] } } });
    const { json, xml } = bothFormats('getmarks', page, { class: '5А', periods: JSON.stringify([['20250901-20251024', 'quarter', '20250901', '20251024', '1 четверть']]) });
    expect(json.filter((k) => k.startsWith('mark:'))).toHaveLength(1);
    expect(xml).toEqual(json);
    const finals = ok({ students: { '30021': { items: [{ name: 'Алгебра', assessments: [{ period: '1 четверть', value: '5' }] }] } } });
    const f = bothFormats('getfinalassessments', finals, { class: '5А', periods: JSON.stringify([['20250901-20251024', 'quarter', '20250901', '20251024', '1 четверть']]) });
    expect(f.json).toHaveLength(1);
    expect(f.xml).toEqual(f.json);
  });

  it('attributes are kept as keys beside the element text and children', () => {
    expect(parseEljurXml('<r><a id="7" flag=\'yes\'>x</a><b id="1"/><c kind="k"><d>1</d></c></r>'))
      .toEqual({ r: { a: { id: '7', flag: 'yes', '#text': 'x' }, b: { id: '1' }, c: { kind: 'k', d: '1' } } });
  });

  it('a pretty-printed answer gives the same shape; text keeps its own spaces; entities and character references are decoded', () => {
    const compact = toEljurXml(ok({ students: { '30021': { lessons: [{ name: 'Алгебра' }] } } }));
    const pretty = compact.replace(/></g, '>\n  <');
    expect(parseEljurXml(pretty)).toEqual(parseEljurXml(compact));
    expect(parseEljurXml('<r><t> a &lt;b&gt; &amp; &quot;c&quot; &#1046;&#x416; </t><u a="&apos;&#48;"/></r>')).toEqual({ r: { t: ' a <b> & "c" ЖЖ ', u: { a: "'0" } } });
  });
});

describe('ЭлЖур XML: a diary page the connector has read is not parsed again by the mapper', () => {
  it('the connector’s parse is handed to the next reader of the same text, once; later readers parse afresh', () => {
    const text = toEljurXml(ok({ students: { '30021': { name: '30021' } } }));
    const connectorSide = parseEljurXmlAndHandOver(text);
    expect(parseEljurXml(text)).toBe(connectorSide); // the mapper takes the connector's result
    const again = parseEljurXml(text);
    expect(again).not.toBe(connectorSide); // taken once: nobody shares a tree with a reader that may still hold it
    expect(again).toEqual(connectorSide);
  });

  it('a page that is not well-formed is refused on both sides (nothing is handed over)', () => {
    const broken = '<response><state>200</state>';
    expect(() => parseEljurXmlAndHandOver(broken)).toThrow(EljurXmlError);
    expect(() => parseEljurXml(broken)).toThrow(/Unclosed tag 'response'/);
  });
});

describe('ЭлЖур XML: documents that are refused', () => {
  it.each([
    ['an unclosed element', '<response>\n  <state>200</state>', /not well-formed at line 1, column 1: Unclosed tag 'response'/],
    ['a page cut off inside nested elements', '<response><state>200</state><result><students>', /at line 1, column \d+: the document ends with <response>, <result>, <students> unclosed/],
    ['a mismatched end tag', '<response>\n  <state>200</error>\n</response>', /not well-formed at line 2, column \d+: .*closing tag 'state'.*'error'/],
    ['a bare ampersand', '<response>\n<topic>Физика & химия</topic></response>', /not well-formed at line 2, column \d+: .*'&'/],
    ['a repeated attribute', '<r a="1" a="2"/>', /at line 1, column \d+: Attribute 'a' is repeated/],
    ['an attribute without quotes', '<r a=1/>', /at line 1, column \d+: .*Attribute 'a'/],
    ['text before the root', 'oops<response/>', /at line 1, column 1: /],
    ['text after the root', '<response/>\nmore', /at line 2, column 1: text after the root element/],
    ['a second root', '<response/><response/>', /one root element expected, found 2/],
    ['an empty answer', '', /not well-formed at line 1: Start tag expected/],
    ['an unknown named entity', '<r>a &nbsp; b</r>', /refused at line 1, column 6: entity &nbsp; is not expanded/],
    ['a character reference to nothing', '<r>&#0;</r>', /refused at line 1, column 4: character reference &#0; is not a character/],
    ['nesting past the bound', `${'<a>'.repeat(70)}${'</a>'.repeat(70)}`, /refused: nesting deeper than 64 elements/],
    ['a prototype key', '<r><item key="__proto__"><a>1</a></item></r>', /refused: item key "__proto__"/],
  ])('%s', (_what, text, why) => {
    expect(refusal(text).message).toMatch(why);
  });

  it.each([
    ['a stray < inside a name', '<response><state>200</state><result><lastname>Иванова ‹x <Мария</lastname></result></response>'],
    ['a name part the validator takes for an attribute', '<response><student title="Иванова Мария" Петровна/></response>'],
    ['a name opened as an element and never closed', '<response><result><lastname>Иванова <Мария></lastname></result></response>'],
  ])('the refusal does not repeat the document\'s text (it may be a name): %s', (_what, text) => {
    const message = refusal(text).message;
    expect(message).toMatch(/^eljur xml: not well-formed at line 1, column \d+: /);
    expect(message).not.toMatch(/Мария|Петровна|Иванова/);
  });

  it('a broken page becomes one quarantine line naming the route and the position, never a crash', () => {
    const m = eljurMapper('getmarks', '<response><state>200</state>\n<result><students>', ctx('xml'));
    expect(m.records).toEqual([]);
    expect(m.quarantine).toEqual([expect.objectContaining({ route: 'getmarks', reason: expect.stringMatching(/eljur getmarks.*not well-formed at line 1, column \d+: .*unclosed/) })]);
  });
});

describe('ЭлЖур XML: DOCTYPE and entity expansion', () => {
  it('a DOCTYPE that declares nothing, or declares entities it does not use, is accepted and changes nothing', () => {
    const body = '<response><state>200</state><result><id>007</id></result></response>';
    const expected = parseEljurXml(body);
    expect(parseEljurXml(`<?xml version="1.0"?>\n<!DOCTYPE response>\n${body}`)).toEqual(expected);
    expect(parseEljurXml(`<!DOCTYPE response SYSTEM "http://127.0.0.1:9/eljur.dtd">${body}`)).toEqual(expected); // never fetched
    expect(parseEljurXml(`<!DOCTYPE response [\n  <!ELEMENT response ANY>\n  <!ENTITY school "Школа № 1">\n]>\n${body}`)).toEqual(expected);
  });

  it('a declared entity is never expanded: a document that uses one is refused, naming the entity and its line', () => {
    const e = refusal('<!DOCTYPE response [<!ENTITY school "Школа № 1">]>\n<response><title>&school;</title></response>');
    expect(e.message).toMatch(/refused at line 2, column 18: entity &school; is not expanded/);
  });

  it('billion laughs (nested entities, 10⁹ "lol"s if expanded) is refused without expanding anything', () => {
    const e = refusal(BILLION_LAUGHS);
    expect(e.message).toMatch(/refused at line 14, column \d+: entity &lol9; is not expanded/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('a quadratic blow-up (one large entity used many times) and an external entity are refused', () => {
    const quadratic = `<!DOCTYPE r [<!ENTITY a "${'x'.repeat(900)}">]><r>${'&a;'.repeat(10_000)}</r>`;
    expect(refusal(quadratic).message).toMatch(/refused at line 1, column \d+: entity &a; is not expanded/);
    expect(refusal('<!DOCTYPE r [<!ENTITY pw SYSTEM "file:///etc/passwd">]><r>&pw;</r>').message).toMatch(/refused: .*[Ee]xternal entit/);
  });

  it('a DOCTYPE that declares more entities than the bound is refused before anything is read', () => {
    const many = Array.from({ length: 101 }, (_, i) => `<!ENTITY e${i} "v">`).join('');
    expect(refusal(`<!DOCTYPE r [${many}]><r/>`).message).toMatch(/refused: .*Entity count/);
  });
});
