// The session cookie is Secure whenever the diary is served over TLS, publicUrl set or not.
import { describe, expect, it } from 'vitest';
import { cookiesSecure } from '../../src/web/secure-cookies.js';

describe('Secure cookies', () => {
  it('web.publicUrl decides when set', () => {
    expect(cookiesSecure('https://dnevnik.example.ru', ['http://127.0.0.1:8080/login/esia/callback'])).toBe(true);
    expect(cookiesSecure('http://127.0.0.1:8080', ['https://dnevnik.example.ru/login/esia/callback'])).toBe(false);
  });

  it('without web.publicUrl, an https login redirect URI (ESIA or OpenID) means the diary is served over TLS', () => {
    expect(cookiesSecure(undefined, ['https://dnevnik.example.ru/login/esia/callback'])).toBe(true);
    expect(cookiesSecure(undefined, [undefined, 'https://dnevnik.example.ru/login/oidc/callback'])).toBe(true);
  });

  it('a local http set-up keeps plain cookies (a browser refuses Secure ones from http)', () => {
    expect(cookiesSecure(undefined, ['http://127.0.0.1:8080/login/esia/callback'])).toBe(false);
    expect(cookiesSecure(undefined, [])).toBe(false);
  });
});
