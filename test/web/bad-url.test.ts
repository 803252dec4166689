// A URL the router cannot decode (a bad percent-escape) gets the server's own page, headers and log line: Fastify's
// default answer echoed the whole URL (query string included) as JSON, with none of them and nothing logged.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { buildDiaryServer } from '../../src/web/server.js';

describe('a malformed URL', () => {
  let store: CanonicalStore;
  let app: ReturnType<typeof buildDiaryServer>['app'];
  const logs: string[] = [];
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const logger = createLogger({ level: 'info', destination: new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }) });
    ({ app } = buildDiaryServer({ store, logger, secure: false }));
    await app.ready();
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it.each(['/pupil/4a4cd139-e1a1-54de-8951-942d017dca09%?code=secret-code&state=s1', '/staff/%ZZ%3Cscript%3E'])('%s: the «Неверный запрос» page with the usual headers, not the URL echoed', async (url) => {
    logs.length = 0;
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Неверный запрос');
    expect(res.body).not.toContain('secret-code');
    expect(res.body).not.toContain('<script');
    for (const h of ['cache-control', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) expect(res.headers[h], h).toBeDefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = logs.join('');
    expect(lines).toContain('"msg":"request refused"');
    expect(lines).toContain('FST_ERR_BAD_URL');
    expect(lines).not.toContain('secret-code');
  });
});
