import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/connectors/http/index.js';
import {
  json, printStartupLine, route, seededRandom, startEmulatorServer, startupLine, text, type EmulatorServer, type FaultConfig,
} from '../../src/emulators/kit/index.js';

const servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(faults?: FaultConfig, extra: { onExpireSessions?: () => void } = {}) {
  const srv = await startEmulatorServer({
    port: 0,
    routes: [
      route('GET', '/webapi/student/diary/assigns/:id', (r) => json({ id: r.params.id, studentId: r.query.studentId }), { name: 'assign' }),
      route('GET', '/v2/edu-groups/{g}/final-marks', (r) => json({ g: r.params.g }), { name: 'edu-groups/{g}/final-marks' }),
      route('POST', '/api/auth', (r) => json({ got: r.body, ct: r.headers['content-type'] }), { name: 'auth' }),
      route('POST', '/lms/api/sessions', () => ({ status: 200, json: {}, cookies: [{ name: 'auth_token', value: 'abc' }] }), { name: 'sessions' }),
      route('GET', '/who', (r) => text(`cookie=${r.cookies.auth_token ?? ''}`), { name: 'who' }),
      route('GET', '/records', (r) => json(Array.from({ length: 20 }, (_x, i) => (r.faults.malformed() ? { id: null } : { id: i })))),
      route('GET', '/healthz', () => json({ ok: true }), { noFaults: true }),
      route('GET', '/boom', () => {
        throw new Error('handler bug');
      }),
    ],
    faults,
    ...extra,
  });
  servers.push(srv);
  return srv;
}

const get = (srv: EmulatorServer, path: string, init?: RequestInit) => fetch(`${srv.baseUrl}${path}`, init);

describe('emulator kit: routing', () => {
  it('matches :id and {g} params and parses the query', async () => {
    const srv = await start();
    expect(srv.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await get(srv, '/webapi/student/diary/assigns/42?studentId=7')).json()).toEqual({ id: '42', studentId: '7' });
    expect(await (await get(srv, '/v2/edu-groups/1709395996654255174/final-marks')).json()).toEqual({ g: '1709395996654255174' });
    expect((await get(srv, '/nowhere')).status).toBe(404);
    expect(srv.stats().byRoute).toEqual({ assign: 1, 'edu-groups/{g}/final-marks': 1, unmatched: 1 });
  });

  it('parses form and JSON bodies', async () => {
    const srv = await start();
    const form = await (await get(srv, '/api/auth', { method: 'POST', body: new URLSearchParams({ login: 'a', password: 'b' }) })).json();
    expect(form.got).toEqual({ login: 'a', password: 'b' });
    const body = await (await get(srv, '/api/auth', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' })).json();
    expect(body.got).toEqual({ x: 1 });
  });

  it('sets and reads cookies', async () => {
    const srv = await start();
    const r = await get(srv, '/lms/api/sessions', { method: 'POST' });
    expect(r.headers.get('set-cookie')).toMatch(/^auth_token=abc; Path=\//);
    expect(await (await get(srv, '/who', { headers: { cookie: 'auth_token=abc' } })).text()).toBe('cookie=abc');
  });

  it('a throwing handler answers 500, the server keeps serving', async () => {
    const srv = await start();
    expect((await get(srv, '/boom')).status).toBe(500);
    expect((await get(srv, '/healthz')).status).toBe(200);
  });
});

describe('emulator kit: faults', () => {
  it('every N-th request is a 429 with Retry-After', async () => {
    const srv = await start({ rateLimit: { every: 3, retryAfterS: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await get(srv, '/webapi/student/diary/assigns/1');
      statuses.push(r.status);
      if (r.status === 429) expect(r.headers.get('retry-after')).toBe('2');
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429, 200, 200, 429]);
    expect(srv.stats().faults.rateLimited).toBe(3);
    expect(srv.stats().byStatus).toEqual({ '200': 6, '429': 3 });
  });

  it('the 5xx share is reproducible from the seed', async () => {
    const run = async () => {
      const srv = await start({ seed: 42, errorRate: 0.3 });
      const s: number[] = [];
      for (let i = 0; i < 40; i++) s.push((await get(srv, '/webapi/student/diary/assigns/1')).status);
      return { s, count: srv.stats().faults.serverErrors };
    };
    const a = await run();
    const b = await run();
    expect(a.s).toEqual(b.s);
    expect(a.count).toBe(a.s.filter((x) => x >= 500).length);
    expect(a.count).toBeGreaterThan(3);
    expect(a.count).toBeLessThan(25);
  });

  it('noFaults routes are never refused', async () => {
    const srv = await start({ errorRate: 1 });
    expect((await get(srv, '/healthz')).status).toBe(200);
    expect((await get(srv, '/webapi/student/diary/assigns/1')).status).toBeGreaterThanOrEqual(500);
  });

  it('sessions expire after every N handled requests', async () => {
    let expired = 0;
    const srv = await start({ expireSessionAfter: 4 }, { onExpireSessions: () => expired++ });
    for (let i = 0; i < 10; i++) await get(srv, '/healthz');
    expect(expired).toBe(2);
    expect(srv.stats().faults.sessionsExpired).toBe(2);
  });

  it('malformed records are injected on request and counted', async () => {
    const srv = await start({ seed: 3, malformedRecordRate: 0.25 });
    const rows = (await (await get(srv, '/records')).json()) as { id: number | null }[];
    const bad = rows.filter((r) => r.id === null).length;
    expect(bad).toBe(srv.stats().faults.malformed);
    expect(bad).toBeGreaterThan(0);
  });

  it('latency is added and faults can be switched per run', async () => {
    const srv = await start({ latencyMs: 120 });
    let t0 = performance.now();
    await get(srv, '/healthz');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    srv.setFaults(undefined);
    t0 = performance.now();
    await get(srv, '/healthz');
    expect(srv.stats().faults.delayed).toBe(1);
  });

  it('the seeded RNG is deterministic', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('emulator kit: peak rate', () => {
  it('reports the most requests seen inside any 1 s window', async () => {
    const srv = await start();
    await Promise.all(Array.from({ length: 10 }, () => get(srv, '/healthz')));
    expect(srv.stats().peakRps).toBe(10);
    expect(srv.stats().total).toBe(10);
  });

  it('the HTTP layer recovers from injected faults and stays under its budget', async () => {
    const srv = await start({ seed: 5, errorRate: 0.2, rateLimit: { every: 7, retryAfterS: 0 } });
    const http = createHttpClient({
      platform: 'kit', instance: `kit-${Math.random()}`, baseURL: srv.baseUrl,
      // The emulator counts arrivals: a 300 ms margin absorbs the scheduling delay of a test machine under load.
      rateLimit: { requestsPerSecond: 10, concurrency: 3, windowMarginMs: 300 }, retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 20 },
    });
    const res = await Promise.all(Array.from({ length: 20 }, (_x, i) => http.get('/webapi/student/diary/assigns/:id', { pathParams: { id: i } })));
    expect(res.every((r) => r.status === 200)).toBe(true);
    const s = srv.stats();
    expect(s.faults.serverErrors + s.faults.rateLimited).toBeGreaterThan(0);
    expect(s.peakRps).toBeLessThanOrEqual(10);
  });
});

describe('startup line', () => {
  it('prints one JSON line with platform, baseUrl, accounts and the platform ids', () => {
    const info = { platform: 'eljur', baseUrl: 'http://127.0.0.1:1', accounts: [{ role: 'teacher', login: 't1', password: 'p' }], vendor: 'school1', devkey: 'k' };
    let out = '';
    printStartupLine(info, { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(JSON.parse(out))).toEqual(['platform', 'baseUrl', 'accounts', 'vendor', 'devkey']);
    expect(startupLine(info)).toBe(out.trim());
  });
});
