// The status page's own behaviour (issue 10): Redis away is said out loud instead of an empty table,
// and every value from job data or a failure reason is escaped.
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { redisCheck, runReadiness } from '../../src/ops/readiness.js';
import { statusPage } from '../../src/ops/status-page.js';
import { collectStatus, totalsOf } from '../../src/ops/status.js';
import { openStore } from '../../src/store/index.js';


/**
 * A client of a port nothing listens on. Built with host and port because producerConnection's
 * `{ url }` option is ignored by ioredis (it would reach 127.0.0.1:6379 instead; reported separately).
 */
function deadConnection(port: number): Redis {
  const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 1000 });
  c.on('error', () => {});
  return c;
}

const deadPort = () => new Promise<number>((resolve) => {
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const p = (srv.address() as { port: number }).port;
    srv.close(() => resolve(p));
  });
});

describe('status page', () => {
  it('says the queues are unavailable when Redis does not answer, rather than «no runs yet»', async () => {
    const conn = deadConnection(await deadPort());
    const queues = openQueues(conn, 'jg-test-dead');
    const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    try {
      const data = await collectStatus({ queues, connection: conn, store, schools: [] });
      expect(data.queuesUnavailable).toBe(true);
      const html = statusPage(data);
      expect(html).toContain('id="queues-unavailable"');
      expect(html).toContain('Redis не отвечает');
      expect(data.queues).toEqual([]);
      expect(html).not.toContain('id="queues"');
    } finally {
      conn.disconnect();
      await closeQueues(queues).catch(() => undefined);
      await store.close();
    }
  });

  it('/readyz logic: a Redis that does not answer fails its check quickly, the others still run', async () => {
    const conn = deadConnection(await deadPort());
    try {
      const r = await runReadiness([redisCheck(conn), { name: 'store', run: async () => {} }], 1_000);
      expect(r.ok).toBe(false);
      expect(r.checks.redis.ok).toBe(false);
      expect(r.checks.redis.error).toBeTruthy();
      expect(r.checks.store).toMatchObject({ ok: true });
      const slow = await runReadiness([{ name: 'platform:slow', run: () => new Promise(() => {}) }], 200);
      expect(slow.checks['platform:slow']).toMatchObject({ ok: false, error: 'no answer within 200 ms' });
    } finally {
      conn.disconnect();
    }
  });

  it('escapes school ids and failure reasons', () => {
    const html = statusPage({
      generatedAt: '2026-11-29T10:00:00.000Z', reviewQueue: 3, backups: [{ schoolId: 's<1>', lastVerifiedAt: null }],
      lastRuns: [], failures: [{ schoolId: '"><script>alert(1)</script>', kind: 'grade-push', outcome: 'failed', finishedAt: '2026-11-29T09:59:00.000Z', attempts: 5, reason: 'dnevnik 503 <b>' }],
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('dnevnik 503 &lt;b&gt;');
    expect(html).toContain('<td>Выгрузка отметок</td><td class="failed">ошибка</td>');
    expect(html).toContain('<td>29.11.2026 09:59 UTC</td><td>5</td>');
    expect(html).toContain('<tr><td>s&lt;1&gt;</td><td>нет</td>');
    expect(html).not.toContain('id="queues-unavailable"');
  });

  it('a completed run shows what needs an operator: refused deletes with the command, subjects without a pair, marks waiting', () => {
    const html = statusPage({
      generatedAt: '2026-11-29T10:00:00.000Z', reviewQueue: 0, backups: [], failures: [],
      lastRuns: [
        { schoolId: 's1', kind: 'roster-sync', outcome: 'completed', finishedAt: '2026-11-29T02:00:00.000Z', attempts: 1, totals: {
          created: 0, updated: 0, deleted: 0, quarantined: 0, forReview: 0, pushFailed: 0, pushWaiting: 0,
          deletesToAccept: [{ instance: 'asurso-a', count: 41 }], unmatchedSubjects: ['Английский <язык>'],
        } },
        { schoolId: 's1', kind: 'grade-push', outcome: 'completed', finishedAt: '2026-11-29T03:00:00.000Z', attempts: 1, totals: {
          created: 0, updated: 0, deleted: 0, quarantined: 0, forReview: 0, pushFailed: 0, pushWaiting: 29, deletesToAccept: [], unmatchedSubjects: [],
        } },
      ],
    });
    expect(html).toContain('удаления отклонены (asurso-a): 41 записей — если их действительно нет, journal-gateway sync roster --config FILE --school s1 --instance asurso-a --accept-deletes 41');
    expect(html).toContain('предметы без пары в системе учёта: «Английский &lt;язык&gt;» (sync.subjectAliases)');
    expect(html).toContain('ждут привязки в целевой системе 29');
  });

  it('a job\'s run summaries add up to the row: waiting marks, each instance\'s refused deletes, subjects once each', () => {
    const t = totalsOf([
      { instance: 'asurso-a', created: 2, deletesToAccept: 41, unmatchedSubjects: ['Алгебра'], quarantined: 0 },
      { instance: 'dnevnik-a', created: 1, unmatchedSubjects: ['Алгебра', 'Физика'], pushed: { applied: 5, unchanged: 0, refused: 0, failed: 1, skipped: 3 } },
    ]);
    expect(t).toMatchObject({ created: 3, pushFailed: 1, pushWaiting: 3, deletesToAccept: [{ instance: 'asurso-a', count: 41 }], unmatchedSubjects: ['Алгебра', 'Физика'] });
  });
});

