// Contract tests with nock for `out_format=xml` answers (issue 6, platforms.md §4.2, §4.5): what the connector
// asks for, and how it reads XML — the same records as JSON, failures inside a 200 in XML, and pages that are not
// well-formed or hostile (entity expansion) refused with the route and the position, never a crash.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mapBatch } from '../../src/connectors/mapping.js';
import { PayloadSchemaError } from '../../src/connectors/mapping.js';
import { eljurMapper, toEljurXml } from '../../src/mappers/eljur/index.js';
import type { PlatformBatch } from '../../src/connectors/contract.js';
import { authForm, collect, connector, diary, failure, finals, marks, ok, ORIGIN, PERIODS, q, RULES } from './contract-fixtures.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const XML_HEADERS = { 'content-type': 'application/xml; charset=utf-8' };
const xq = (token: string, extra: Record<string, string> = {}) => ({ ...q(token, extra), out_format: 'xml' });
const xml = (v: { response: unknown }) => toEljurXml(v.response);
const WEEK = { from: '2025-09-01', to: '2025-09-07' };
const DAYS = '20250901-20250907';

/** Login (always JSON, §4.2) and the roster answered in XML. */
function xmlRosterScope(token = 'tok') {
  return nock(ORIGIN)
    .post('/api/auth', authForm).reply(200, ok({ token }))
    .get('/api/getrules').query(xq(token)).reply(200, xml(ok(RULES)), XML_HEADERS)
    .get('/api/getperiods').query(xq(token, { student: '30021' })).reply(200, xml(ok(PERIODS)), XML_HEADERS);
}

/** Maps batches in order with a resolver that learns lessons, as the sync engine's crosswalk does. */
function mapInOrder(list: PlatformBatch[]) {
  const learned = new Map<string, string>();
  const run = { system: 'eljur' as const, instance: 't', runId: 'r', mapperVersion: 'v', resolve: (e: string, id: string) => learned.get(`${e}:${id}`) };
  return list.map((b) => {
    const m = mapBatch(eljurMapper, b, run);
    for (const r of m.records) if (r.entity === 'lesson') learned.set(`lesson:${r.sourceRefs[0].sourceId}`, r.id);
    return m;
  });
}
const keysOf = (ms: ReturnType<typeof mapInOrder>) => ms.flatMap((m) => m.records).map((r) => `${r.entity}:${r.id}:${r.contentHash}`).sort();

describe('ЭлЖур out_format=xml (nock)', () => {
  it('every method is asked with out_format=xml; the XML answers, passed on as text, give the same records as the JSON ones', async () => {
    const scope = xmlRosterScope()
      .get('/api/getdiary').query(xq('tok', { student: '30021', days: DAYS, rings: 'true' })).reply(200, xml(diary), XML_HEADERS)
      .get('/api/getmarks').query(xq('tok', { student: '30021', days: DAYS })).reply(200, xml(marks), XML_HEADERS)
      .get('/api/getfinalassessments').query(xq('tok', { student: '30021' })).reply(200, xml(finals), XML_HEADERS);
    const c = connector(undefined, 'xml');
    await c.open();
    const batches = await collect(c.readSchool(WEEK));
    expect(scope.isDone()).toBe(true);
    expect(batches.every((b) => typeof b.payload === 'string' && b.context.format === 'xml')).toBe(true);
    const fromXml = mapInOrder(batches);
    expect(fromXml.flatMap((m) => m.quarantine)).toEqual([]);
    // The same answers as JSON, with the context the connector gave the XML pages.
    const json = [ok(RULES), ok(PERIODS), diary, marks, finals];
    const fromJson = mapInOrder(batches.map((b, i) => ({ ...b, payload: json[i], context: { ...b.context, format: 'json' as const } })));
    expect(keysOf(fromXml).length).toBeGreaterThan(5);
    expect(keysOf(fromXml)).toEqual(keysOf(fromJson));
    const recs = fromXml.flatMap((m) => m.records);
    expect(recs.filter((r) => r.entity === 'mark').map((r) => r.raw)).toEqual(['5-', '4']);
    expect(recs.find((r) => r.entity === 'lesson')!.sourceRefs[0].sourceId).toBe('000000037');
  });

  it('a pretty-printed answer with a DOCTYPE, a one-element marks list and zero-padded ids reads like its JSON twin', async () => {
    const marksXml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE response>
<response>
  <state>200</state>
  <error/>
  <result>
    <students>
      <item key="30021">
        <name>30021</name>
        <lessons>
          <item>
            <name>Английский язык</name>
            <lesson_id>0505</lesson_id>
            <marks>
              <item>
                <value>5-</value><weight>60</weight><date>2025-09-01</date><lesson_id>000000037</lesson_id><nm>1</nm>
                <comment>Ответ &amp; «пересказ»</comment>
                <mtype><id>010</id><short>oral_answer</short><type>Ответ на уроке</type></mtype>
              </item>
            </marks>
          </item>
        </lessons>
      </item>
    </students>
  </result>
</response>
`;
    const twin = ok({ students: { '30021': { name: '30021', lessons: [{ name: 'Английский язык', lesson_id: '0505', marks: [
      { value: '5-', weight: '60', date: '2025-09-01', lesson_id: '000000037', nm: '1', comment: 'Ответ & «пересказ»', mtype: { id: '010', short: 'oral_answer', type: 'Ответ на уроке' } },
    ] }] } } });
    xmlRosterScope()
      .get('/api/getdiary').query(xq('tok', { student: '30021', days: DAYS, rings: 'true' })).reply(200, xml(diary), XML_HEADERS)
      .get('/api/getmarks').query(xq('tok', { student: '30021', days: DAYS })).reply(200, marksXml, XML_HEADERS);
    const c = connector(undefined, 'xml');
    await c.open();
    const batches = await collect(c.readSchool({ ...WEEK, capabilities: ['roster.read', 'journal.read'] }));
    const fromXml = mapInOrder(batches);
    expect(fromXml.flatMap((m) => m.quarantine)).toEqual([]);
    const mark = fromXml.flatMap((m) => m.records).find((r) => r.entity === 'mark');
    expect(mark).toMatchObject({ raw: '5-', comment: 'Ответ & «пересказ»', slot: 1 });
    const json = [ok(RULES), ok(PERIODS), diary, twin];
    expect(keysOf(fromXml)).toEqual(keysOf(mapInOrder(batches.map((b, i) => ({ ...b, payload: json[i], context: { ...b.context, format: 'json' as const } })))));
  });

  it('ЭлЖур: a 200 XML answer with state 401 is an expired token: log in again and repeat the call', async () => {
    const scope = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-a' }))
      .get('/api/getrules').query(xq('tok-a')).reply(200, xml(failure(401, 'токен недействителен или устарел')), XML_HEADERS)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok-b' }))
      .get('/api/getrules').query(xq('tok-b')).reply(200, xml(ok(RULES)), XML_HEADERS)
      .get('/api/getperiods').query(xq('tok-b', { student: '30021' })).reply(200, xml(ok(PERIODS)), XML_HEADERS);
    const c = connector(undefined, 'xml');
    await c.open();
    await collect(c.readSchool({ ...WEEK, capabilities: ['roster.read'] }));
    expect(scope.isDone()).toBe(true);
    expect(c.http.stats.snapshot().authRefreshes).toBe(1);
  });

  it('a roster answer that is not well-formed stops the read with an error naming the route and the line and column', async () => {
    nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok' }))
      .get('/api/getrules').query(xq('tok')).reply(200, '<?xml version="1.0"?>\n<response><state>200</state><error/>\n<result><relations></result></response>', XML_HEADERS);
    const c = connector(undefined, 'xml');
    await c.open();
    const err = await collect(c.readSchool(WEEK)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadSchemaError);
    expect((err as Error).message).toMatch(/eljur getrules.*not well-formed at line 3, column \d+: .*closing tag 'relations'/);
  });

  it('a diary page that is not well-formed and a marks page with an entity-expansion attack are quarantined with route and position; the read goes on', async () => {
    const brokenDiary = xml(diary).slice(0, xml(diary).indexOf('<topic>')); // cut off mid-page, as a dropped connection leaves it
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE response [\n<!ENTITY a "${'ha'.repeat(400)}">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<response><state>200</state><error/><result><students><item key="30021"><name>&b;</name></item></students></result></response>`;
    const scope = xmlRosterScope()
      .get('/api/getdiary').query(xq('tok', { student: '30021', days: DAYS, rings: 'true' })).reply(200, brokenDiary, XML_HEADERS)
      .get('/api/getmarks').query(xq('tok', { student: '30021', days: DAYS })).reply(200, laughs, XML_HEADERS)
      .get('/api/getfinalassessments').query(xq('tok', { student: '30021' })).reply(200, xml(finals), XML_HEADERS);
    const c = connector(undefined, 'xml');
    await c.open();
    const batches = await collect(c.readSchool(WEEK));
    expect(scope.isDone()).toBe(true);
    expect(batches.map((b) => b.route)).toEqual(['getrules', 'getperiods', 'getdiary', 'getmarks', 'getfinalassessments']);
    const mapped = mapInOrder(batches);
    expect(mapped[2].quarantine).toEqual([expect.objectContaining({ route: 'getdiary', reason: expect.stringMatching(/eljur getdiary.*not well-formed at line 1, column \d+: .*unclosed/) })]);
    expect(mapped[3].quarantine).toEqual([expect.objectContaining({ route: 'getmarks', reason: expect.stringMatching(/eljur getmarks.*refused at line 6, column \d+: entity &b; is not expanded/) })]);
    expect(mapped[0].records.filter((r) => r.entity === 'person')).toHaveLength(1);
    expect(mapped[4].records.filter((r) => r.entity === 'final_mark')).toHaveLength(1);
  });
});
