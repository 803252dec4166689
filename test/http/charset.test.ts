// A platform that labels its answer `charset=windows-1251` (NetSchool's report files and legacy pages on older
// regional servers) was decoded as UTF-8 whatever the label said: every Cyrillic letter became U+FFFD, so subject
// names and period titles («Итог 1 четверть») came out as «�����» and nothing matched by name any more.
import iconv from 'iconv-lite';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, testClient } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const cp1251 = (s: string) => iconv.encode(s, 'win1251');

describe('the charset an answer is labelled with', () => {
  it('a text answer in windows-1251 is decoded as windows-1251', async () => {
    const html = '<table><tr><th>Предмет</th><th>Итог 1 четверть</th></tr><tr><td>Русский язык</td><td>5</td></tr></table>';
    nock(ORIGIN).get('/webapi/files/7').reply(200, cp1251(html), { 'Content-Type': 'text/html; charset=windows-1251' });
    const res = await testClient().get<string>('/webapi/files/{id}', { pathParams: { id: 7 }, responseType: 'text' });
    expect(res.data).toBe(html);
  });

  it('a JSON answer in windows-1251 is decoded as windows-1251', async () => {
    nock(ORIGIN).get('/webapi/subjects').reply(200, cp1251('[{"name":"Литература"}]'), { 'Content-Type': 'application/json; charset=cp1251' });
    const res = await testClient().get<{ name: string }[]>('/webapi/subjects');
    expect(res.data).toEqual([{ name: 'Литература' }]);
  });

  it('an answer without a charset, or in UTF-8, is read as UTF-8 as before', async () => {
    nock(ORIGIN)
      .get('/a').reply(200, Buffer.from('{"name":"Алгебра"}'), { 'Content-Type': 'application/json' })
      .get('/b').reply(200, Buffer.from('<p>Геометрия</p>'), { 'Content-Type': 'text/html; charset="UTF-8"' });
    const http = testClient();
    expect((await http.get('/a')).data).toEqual({ name: 'Алгебра' });
    expect((await http.get('/b', { responseType: 'text' })).data).toBe('<p>Геометрия</p>');
  });
});
