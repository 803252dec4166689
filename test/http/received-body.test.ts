// provenance.payloadHash of a JSON answer is the hash of the bytes the platform sent, taken once on receipt.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinReceivedPages, receivedBodyHash } from '../../src/connectors/http/index.js';
import { mapBatch } from '../../src/connectors/mapping.js';
import { sha256Hex } from '../../src/model/hash.js';
import { ORIGIN, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const run = { system: 'dnevnik_ru' as const, instance: 'i', runId: 'r', mapperVersion: 'v' };
const context = { timeZone: 'Europe/Moscow', ids: {}, fetchedAt: '2025-09-01T00:00:00Z' };

describe('the hash of a received JSON body', () => {
  it('is SHA-256 of the body as sent (spacing and key order included) and stamps the batch mapped from it', async () => {
    const body = '{ "b": 1,\n  "a": [ "Ёж", 2 ] }';
    nock(ORIGIN).get('/v2/marks').reply(200, body, { 'Content-Type': 'application/json' });
    const res = await testClient().get('/v2/marks');
    expect(res.data).toEqual({ b: 1, a: ['Ёж', 2] });
    expect(receivedBodyHash(res.data)).toBe(sha256Hex(Buffer.from(body, 'utf8')));
    const mapped = mapBatch(() => ({ records: [], quarantine: [] }), { route: 'marks', payload: res.data, context }, run);
    expect(mapped.payloadHash).toBe(sha256Hex(Buffer.from(body, 'utf8')));
  });

  it('a payload the connector assembled is hashed as canonical JSON instead', () => {
    const a = mapBatch(() => ({ records: [], quarantine: [] }), { route: 'marks', payload: [{ b: 1, a: 2 }], context }, run);
    const b = mapBatch(() => ({ records: [], quarantine: [] }), { route: 'marks', payload: [{ a: 2, b: 1 }], context }, run);
    expect(a.payloadHash).toBe(b.payloadHash);
  });

  it('an HTML page or a cut-off JSON body answered with 200 is retried, then fails naming what came; the next good answer is taken', async () => {
    // Handed on, such a body became one quarantined page (a class's marks missing, the nightly cursors moved on)
    // or a write reported done without a platform id.
    nock(ORIGIN).get('/v2/page').times(4).reply(200, '<html>Технические работы</html>', { 'Content-Type': 'text/html; charset=utf-8' });
    await expect(testClient().get('/v2/page')).rejects.toMatchObject({ failureType: 'transient', message: expect.stringContaining('answered 200 with an HTML page where JSON was asked for') });
    nock(ORIGIN).get('/v2/cut').reply(200, '[{"id":1},{"id"', { 'Content-Type': 'application/json' }).get('/v2/cut').reply(200, '[{"id":1}]', { 'Content-Type': 'application/json' });
    const res = await testClient().get('/v2/cut');
    expect([res.data, res.attempts]).toEqual([[{ id: 1 }], 2]);
    // Whatever the label: cut off as text/plain or unlabelled, or an empty answer to a read (a proxy dropping the
    // upstream connection) — each was handed to the mapper as a string, one quarantined page, the cursors moved on.
    for (const [body, headers] of [['[{"id":1,"value"', { 'Content-Type': 'text/plain' }], ['{"marks":[', {}], ['', { 'Content-Type': 'application/json' }]] as const) {
      nock(ORIGIN).get('/v2/again').reply(200, body, headers).get('/v2/again').reply(200, '[{"id":2}]', { 'Content-Type': 'application/json' });
      const again = await testClient().get('/v2/again');
      expect([again.data, again.attempts], JSON.stringify(body)).toEqual([[{ id: 2 }], 2]);
    }
  });

  it('other text answered to a JSON request comes back as the text, unhashed (ЭлЖур XML); an empty answer to a write stays empty', async () => {
    nock(ORIGIN).get('/v2/xml').reply(200, '<response><state>200</state></response>', { 'Content-Type': 'application/xml' }).post('/v2/empty').reply(200, '');
    const http = testClient();
    const xml = await http.get('/v2/xml');
    expect(xml.data).toBe('<response><state>200</state></response>');
    expect(receivedBodyHash(xml.data)).toBeUndefined();
    expect((await http.post('/v2/empty', {})).data).toBe('');
  });

  it('a text or byte answer is left to its caller', async () => {
    nock(ORIGIN).get('/v2/xml').reply(200, '<a>1</a>');
    const res = await testClient().get<string>('/v2/xml', { responseType: 'text' });
    expect(res.data).toBe('<a>1</a>');
    expect(receivedBodyHash(res.data)).toBeUndefined();
  });
});

describe('pages joined into one payload', () => {
  it('hash their received hashes in order, so the joined list still names what arrived', async () => {
    nock(ORIGIN).get('/p1').reply(200, '[{"id":1}]', { 'Content-Type': 'application/json' }).get('/p2').reply(200, '[{"id":2}]', { 'Content-Type': 'application/json' });
    const http = testClient();
    const pages = [(await http.get<unknown[]>('/p1')).data, (await http.get<unknown[]>('/p2')).data];
    const joined = joinReceivedPages(pages);
    expect(joined).toEqual([{ id: 1 }, { id: 2 }]);
    const pageHashes = [sha256Hex(Buffer.from('[{"id":1}]')), sha256Hex(Buffer.from('[{"id":2}]'))];
    expect(receivedBodyHash(joined)).toBe(sha256Hex(pageHashes.join(',')));
    expect(receivedBodyHash(joinReceivedPages([pages[1], pages[0]]))).not.toBe(receivedBodyHash(joined));
    // A page that was not received as JSON by the HTTP layer leaves the joined list to mapBatch's canonical hash.
    expect(receivedBodyHash(joinReceivedPages([pages[0], [{ id: 3 }]]))).toBeUndefined();
  });
});
