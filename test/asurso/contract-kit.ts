// The nock side of the АСУ РСО contract tests: the origin, a connector for it, the password handshake with its
// form body checked field by field, and a cp1251 encoder written by hand (not the code under test).
import { createHash } from 'node:crypto';
import nock from 'nock';
import { asursoConfig, createAsursoConnector } from '../../src/connectors/asurso/index.js';
import type { PlatformBatch } from '../../src/connectors/contract.js';

export const ORIGIN = 'http://asurso.test';
export const PASSWORD = 'Пароль-ёЁ12';
export const SALT = '123456789';
let n = 0;

export function connector(auth: Record<string, unknown> = { kind: 'password', login: 'uchitel1', password: PASSWORD }, extra: Record<string, unknown> = { schoolId: 77 }) {
  return createAsursoConnector(asursoConfig.parse({ baseUrl: ORIGIN, auth, ...extra }), { instance: `contract-${++n}`, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 } });
}

/** windows-1251 by hand: А…я → 0xC0…0xFF, Ё 0xA8, ё 0xB8, ASCII as is. */
export function cp1251(s: string): Buffer {
  return Buffer.from([...s].map((ch) => {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) return c;
    if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
    if (c === 0x401) return 0xa8;
    if (c === 0x451) return 0xb8;
    throw new Error('not in the test table');
  }));
}

/** The whole password handshake with the form body checked field by field. */
export function handshake(opts: { at?: string; entryPoint?: string; loginReply?: [number, unknown]; version?: string } = {}) {
  const h = createHash('md5').update(cp1251(PASSWORD)).digest('hex');
  const pw2 = createHash('md5').update(SALT + h).digest('hex');
  return nock(ORIGIN)
    .get('/webapi/logindata').reply(200, { productName: 'Сетевой Город. Образование', version: opts.version ?? '5.44.7850', esiaMainAuth: false }, { 'Set-Cookie': 'NSSESSIONID=abc123; Path=/; HttpOnly' })
    .post('/webapi/auth/getdata').matchHeader('cookie', /NSSESSIONID=abc123/).matchHeader('referer', `${ORIGIN}/`)
    .reply(200, { lt: '111', ver: '222', salt: SALT })
    .post('/webapi/login', (body: Record<string, string>) => body.loginType === '1' && body.scid === '77' && body.un === 'uchitel1'
      && body.pw2 === pw2 && body.pw === pw2.slice(0, PASSWORD.length) && body.lt === '111' && body.ver === '222')
    .matchHeader('content-type', /application\/x-www-form-urlencoded/)
    .reply(opts.loginReply?.[0] ?? 200, (opts.loginReply?.[1] ?? { at: opts.at ?? '12345678901234567890123456', timeOut: 900000, entryPoint: opts.entryPoint ?? '/angular/school/main/', requestData: opts.entryPoint ? { warnType: '2' } : null }) as Record<string, unknown>);
}

export async function drain(it: AsyncIterable<PlatformBatch>): Promise<PlatformBatch[]> {
  const out: PlatformBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}
