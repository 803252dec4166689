// A document may name its charset only inside itself: an XML declaration (`<?xml … encoding="windows-1251"?>`, as
// ЭлЖур's deprecated XML output may be written) or an HTML `<meta charset>` (NetSchool's ASP pages and reports of
// older servers, served as plain `text/html`). Without a charset in the Content-Type they were read as UTF-8: Cyrillic
// became U+FFFD. A charset in the Content-Type still wins (RFC 7303 §3, HTML's encoding sniffing).
import iconv from 'iconv-lite';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const cp1251 = (s: string) => iconv.encode(s, 'win1251');

describe('a charset named only inside the document', () => {
  it('an XML declaration naming windows-1251', async () => {
    const xml = '<?xml version="1.0" encoding="windows-1251"?><response><state>200</state><result><name>Русский язык</name></result></response>';
    nock(ORIGIN).get('/api/getrules').reply(200, cp1251(xml), { 'Content-Type': 'text/xml' });
    expect((await testClient({ platform: 'eljur' }).get<string>('/api/getrules', { responseType: 'text' })).data).toBe(xml);
  });

  it('an HTML meta naming windows-1251 (both spellings)', async () => {
    const a = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body>Итог 1 четверть</body></html>';
    const b = '<!DOCTYPE html><html><head><meta charset="windows-1251"><title>Отчёт</title></head><body>Литература</body></html>';
    nock(ORIGIN)
      .get('/webapi/files/1').reply(200, cp1251(a), { 'Content-Type': 'text/html' })
      .get('/webapi/files/2').reply(200, cp1251(b), { 'Content-Type': 'text/html' });
    const http = testClient();
    expect((await http.get<string>('/webapi/files/{id}', { pathParams: { id: 1 }, responseType: 'text' })).data).toBe(a);
    expect((await http.get<string>('/webapi/files/{id}', { pathParams: { id: 2 }, responseType: 'text' })).data).toBe(b);
  });

  it('the Content-Type\'s charset wins over the document\'s', async () => {
    const html = '<html><head><meta charset="windows-1251"></head><body>География</body></html>';
    nock(ORIGIN).get('/webapi/files/3').reply(200, Buffer.from(html), { 'Content-Type': 'text/html; charset=utf-8' });
    expect((await testClient().get<string>('/webapi/files/{id}', { pathParams: { id: 3 }, responseType: 'text' })).data).toBe(html);
  });
});
