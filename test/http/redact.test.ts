import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactObject, redactText, redactUrl } from '../../src/connectors/http/index.js';

describe('redaction (152-ФЗ, STYLE.md)', () => {
  it('removes secret query values from URLs but keeps their names', () => {
    const u = redactUrl('https://api.eljur.ru/api/getmarks?devkey=abc123&vendor=school1&auth_token=TOKEN42&days=20260901-20261031');
    expect(u).not.toContain('abc123');
    expect(u).not.toContain('TOKEN42');
    expect(u).toContain('vendor=school1');
    expect(u).toContain(`auth_token=${REDACTED}`);
    expect(u).toContain('days=20260901-20261031');
  });

  it('removes NetSchool pw/pw2, OAuth code and user-info', () => {
    const u = redactUrl('https://user:secret@asurso.ru/webapi/login?LoginType=1&UN=ivanov&pw2=9f8e7d&pw=abc&code=xyz&v_token=jwt.a.b');
    expect(u).not.toMatch(/secret|9f8e7d|=abc|xyz|jwt\.a\.b/);
    expect(u).toContain('LoginType=1');
  });

  it('removes SNILS with and without dashes, not longer numbers', () => {
    expect(redactText('СНИЛС 112-233-445 95 и 11223344595')).toBe(`СНИЛС ${REDACTED} и ${REDACTED}`);
    expect(redactText('id 1709395996654255174')).toBe('id 1709395996654255174');
  });

  it('removes bearer tokens, JSON password pairs, header lines and configured personal data', () => {
    const t = redactText('Authorization: Bearer eyJhbGciOi.x.y\nbody {"login":"ivanova","password":"p@ss","mark":"5"} pupil Иванова Мария', ['Иванова Мария']);
    expect(t).not.toMatch(/eyJhbGciOi|p@ss|ivanova|Иванова/);
    expect(t).toContain('"mark":"5"');
  });

  it('redacts objects by key and by value, keeping error codes', () => {
    const o = redactObject({
      headers: { at: 'a1b2c3', 'Auth-Token': 't', 'Access-Token': 'x', Cookie: 'ESRNSec=1', 'Set-Cookie': ['s=1'], accept: 'json' },
      error: { code: 'authorizationFailed', message: 'СНИЛС 112-233-445 95' },
      nested: { password: 'p', list: [{ token: 'tk' }] },
    });
    expect(o.headers).toEqual({ at: REDACTED, 'Auth-Token': REDACTED, 'Access-Token': REDACTED, Cookie: REDACTED, 'Set-Cookie': REDACTED, accept: 'json' });
    expect(o.error.code).toBe('authorizationFailed');
    expect(o.error.message).not.toContain('112-233');
    expect(o.nested.password).toBe(REDACTED);
    expect(o.nested.list[0].token).toBe(REDACTED);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'x' };
    a.self = a;
    expect(redactObject(a).self).toBe('[circular]');
  });

  it('a Redactor also removes live secrets it was told about', () => {
    const r = new Redactor(['s3cr3t-pass']);
    r.add('live-token-777');
    expect(r.text('login failed for s3cr3t-pass with live-token-777')).toBe(`login failed for ${REDACTED} with ${REDACTED}`);
  });
});
