// 152-ФЗ: a platform's error text that names a pupil never reaches an error message (and so no job failure, worker
// log or status page), while the platform's known messages still do; logins, codes and refresh tokens from the
// configuration are removed from whatever the HTTP layer prints (src/connectors/http/platform-text.ts, redact.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asursoClassify } from '../../src/connectors/asurso/classify.js';
import { DnevnikAuth } from '../../src/connectors/dnevnik/auth.js';
import { dnevnikClassify } from '../../src/connectors/dnevnik/classify.js';
import { dnevnikConfig } from '../../src/connectors/dnevnik/declaration.js';
import { EljurAuth } from '../../src/connectors/eljur/auth.js';
import { eljurClassify } from '../../src/connectors/eljur/classify.js';
import { eljurConfig } from '../../src/connectors/eljur/declaration.js';
import { EposAuth } from '../../src/connectors/epos/auth.js';
import { eposClassify } from '../../src/connectors/epos/classify.js';
import { eposConfig } from '../../src/connectors/epos/declaration.js';
import { createHttpClient, GatewayHttpError, type Classifier } from '../../src/connectors/http/index.js';
import { vettedText, WITHHELD_TEXT } from '../../src/connectors/http/platform-text.js';

const PUPIL = 'Синтетов Иван Петрович, 05.03.2012 г.р.';
const rateLimit = { requestsPerSecond: 50, concurrency: 2 };

describe('platform error texts', () => {
  let server: http.Server;
  let base = '';
  /** What the next request is answered: status and JSON body. */
  let answer: { status: number; body: unknown } = { status: 500, body: {} };
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const failure = async (platform: string, classify: Classifier, status: number, body: unknown): Promise<GatewayHttpError> => {
    answer = { status, body };
    const c = createHttpClient({ platform, instance: 't', baseURL: base, rateLimit, classify, retry: { maxRetries: 0 } });
    const e = await c.post('/x', { json: {} }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(GatewayHttpError);
    return e as GatewayHttpError;
  };

  it.each([
    ['epos', eposClassify, 403, { code: 403, message: `Нет доступа к ученику ${PUPIL}` }, '[403]'],
    ['dnevnik', dnevnikClassify, 400, { type: 'parameterInvalid', description: `Person ${PUPIL} is not in the edu-group` }, 'parameterInvalid'],
    ['eljur', eljurClassify, 200, { response: { state: 403, error: `нет доступа к ученику ${PUPIL}`, result: {} } }, '[403]'],
    ['asurso', asursoClassify(() => undefined), 409, { message: `Ученик ${PUPIL} уже выбыл` }, '409'], // not a login route: the request refused, not the account
  ] as const)('%s: a text naming a pupil is withheld; the code, status and route stay', async (platform, classify, status, body, code) => {
    const e = await failure(platform, classify, status, body);
    expect(e.message).not.toMatch(/Синтетов|Иван|2012/);
    expect(e.message).toContain(WITHHELD_TEXT);
    expect(e.message).toContain(code);
    expect(e.message).toContain(`${platform}/t POST /x`);
  });

  it.each([
    ['epos', eposClassify, 422, { code: 422, message: 'Недопустимое значение оценки' }, 'Недопустимое значение оценки'],
    ['dnevnik', dnevnikClassify, 400, { type: 'parameterInvalid', description: 'unknown mark type or value' }, 'parameterInvalid: unknown mark type or value'],
    ['eljur', eljurClassify, 200, { response: { state: 403, error: 'нет доступа к ученику 1024', result: {} } }, 'нет доступа к ученику 1024'],
    ['asurso', asursoClassify(() => undefined), 409, { message: 'Неправильный пароль или имя пользователя' }, 'Неправильный пароль или имя пользователя'],
  ] as const)('%s: a known message travels as it is', async (platform, classify, status, body, text) => {
    expect((await failure(platform, classify, status, body)).message).toContain(text);
  });

  it('a known phrase with a name added is not a known message', () => {
    expect(vettedText('Неверный логин или пароль', ['Неверный логин или пароль'])).toBe('Неверный логин или пароль');
    expect(vettedText('Неверный логин или пароль: Синтетов', ['Неверный логин или пароль'])).toBe(WITHHELD_TEXT);
    expect(vettedText('нет доступа к ученику 12 Синтетов', [/нет доступа к ученику \d+/])).toBe(WITHHELD_TEXT);
    expect(vettedText(undefined, [])).toBeUndefined();
  });

  it('logins, the authorization code and the refresh token of the configuration are redacted, percent-encoded too', () => {
    const login = 'sintetova.olga';
    const mk = () => createHttpClient({ platform: 'p', instance: 't', baseURL: base, rateLimit });
    const dn = mk();
    new DnevnikAuth(dn, dnevnikConfig.parse({ baseUrl: base, rateLimit, auth: { kind: 'password', clientId: 'cid', clientSecret: 'secret-1', username: login, password: 'pw-1' } }).auth, 'scope');
    const oauth = mk();
    new DnevnikAuth(oauth, dnevnikConfig.parse({ baseUrl: base, rateLimit, auth: { kind: 'partner_oauth', clientId: 'cid', clientSecret: 'secret-2', code: 'AC-1a2b3c', refreshToken: 'RT+9f8e/7d==' } }).auth, 'scope');
    const ep = mk();
    new EposAuth(ep, eposConfig.parse({ baseUrl: base, rateLimit, auth: { kind: 'password', login, password: 'pw-2' } }));
    const ej = mk();
    new EljurAuth(ej, eljurConfig.parse({ baseUrl: base, rateLimit, devkey: 'devkey-1', vendor: 'v', auth: { kind: 'credentials', login, password: 'pw-3' } }));
    for (const c of [dn, ep, ej]) expect(c.redactor.text(`Учётная запись ${login} заблокирована`)).not.toContain(login);
    const t = oauth.redactor.text(`code AC-1a2b3c used; refresh RT+9f8e/7d== and ${encodeURIComponent('RT+9f8e/7d==')} expired`);
    expect(t).not.toMatch(/AC-1a2b3c|RT\+9f8e|RT%2B9f8e/);
    expect(oauth.redactor.url(`${base}/signalr/connect?connectionToken=${encodeURIComponent('AQAA+x/y==')}`)).not.toMatch(/AQAA/);
  });
});
