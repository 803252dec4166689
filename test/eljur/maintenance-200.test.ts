// A maintenance page or a cut-off body served with HTTP 200 (a proxy in front of ЭлЖур, its web server during an
// update) is a transient failure on every other platform: retried, and after the retries a transient error the job
// retries later (docs/operations.md: exit 69). ЭлЖур's envelope classifier caught it first as "answer without the
// response envelope" — fail/system, never retried — so a minute of maintenance failed the school's nightly run as a
// broken contract (BullMQ: unrecoverable) instead of waiting it out.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authForm, collect, connector, ok, ORIGIN, PERIODS, q, RULES } from './contract-fixtures.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ЭлЖур answering 200 with something that is no answer', () => {
  it('an HTML maintenance page with 200 is retried, and the read goes on once ЭлЖур answers', async () => {
    const scope = nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok' }))
      .get('/api/getrules').query(q('tok')).reply(200, '<!DOCTYPE html><html><body>Технические работы</body></html>', { 'Content-Type': 'text/html; charset=utf-8' })
      .get('/api/getrules').query(q('tok')).reply(200, ok(RULES))
      .get('/api/getperiods').query(q('tok', { student: '30021' })).reply(200, ok(PERIODS));
    const c = connector();
    await c.open();
    const batches = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] }));
    expect(batches.map((b) => b.route)).toEqual(['getrules', 'getperiods']);
    expect(scope.isDone()).toBe(true);
  });

  it('a body cut off mid-way, retried until the retries are spent, fails as transient (a later run tries again)', async () => {
    nock(ORIGIN)
      .post('/api/auth', authForm).reply(200, ok({ token: 'tok' }))
      .get('/api/getrules').query(q('tok')).times(4).reply(200, '{"response":{"state":200,"error":null,"result":{"relations":{"stud', { 'Content-Type': 'application/json' });
    const c = connector();
    await c.open();
    const err = await collect(c.readSchool({ from: '2025-09-01', to: '2025-09-07', capabilities: ['roster.read'] })).catch((e: unknown) => e);
    expect(err).toMatchObject({ action: 'retry', failureType: 'transient', attempts: 4, route: '/api/getrules' });
  });
});
