// An instance without `rateLimit` runs at its platform's default budget, as docs/platforms/*.md state it (ЭПОС 1
// request/s under Epos Next's throttle of 3 per 2 s; ЭлЖур 3/s; Дневник.ру 5/s with 4 in flight). The gateway's own
// default (5/s, 2 in flight) used to replace them: an ЭПОС instance configured as the docs show ran at 5 requests a
// second, and a setting given in part (`concurrency` only) took the gateway's 5/s too.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { inProcessRateLimiterFactory, resetInstanceGates, setRateLimiterFactory, type RateLimitOptions } from '../../src/connectors/http/rate-limiter.js';
import { createLogger } from '../../src/infra/logger.js';
import { connectorFor } from '../../src/jobs/job-context.js';

const CONFIG = `
region: { id: r1, name: Регион }
platforms:
  - { instance: epos-a, platform: epos, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b } }
  - { instance: epos-b, platform: epos, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b }, rateLimit: { concurrency: 1 } }
  - { instance: eljur-a, platform: eljur, baseUrl: "http://127.0.0.1:1", auth: { kind: credentials, login: a, password: b }, options: { devkey: k, vendor: v } }
  - { instance: dnevnik-a, platform: dnevnik, baseUrl: "http://127.0.0.1:1", auth: { kind: partner_oauth, clientId: a, clientSecret: b, refreshToken: c } }
  - { instance: dnevnik-b, platform: dnevnik, baseUrl: "http://127.0.0.1:1", auth: { kind: partner_oauth, clientId: a, clientSecret: b, refreshToken: c }, rateLimit: { requestsPerSecond: 2, concurrency: 1 } }
`;

afterEach(() => {
  setRateLimiterFactory(inProcessRateLimiterFactory);
  resetInstanceGates();
});

describe('platform rate limits', () => {
  it('an instance without rateLimit (or with part of it) gets its platform\'s documented default budget', () => {
    const cfg = parseConfigText(CONFIG, 'test.yaml', {});
    const budgets = new Map<string, Pick<RateLimitOptions, 'requestsPerSecond' | 'concurrency'>>();
    setRateLimiterFactory((key, opts) => {
      budgets.set(key.instance, { requestsPerSecond: opts.requestsPerSecond, concurrency: opts.concurrency });
      return inProcessRateLimiterFactory(key, opts);
    });
    resetInstanceGates();
    const logger = createLogger({ level: 'silent', pretty: false });
    for (const p of cfg.platforms) connectorFor(cfg, p.instance, logger);
    expect(Object.fromEntries(budgets)).toEqual({
      'epos-a': { requestsPerSecond: 1, concurrency: 2 },
      'epos-b': { requestsPerSecond: 1, concurrency: 1 },
      'eljur-a': { requestsPerSecond: 3, concurrency: 2 },
      'dnevnik-a': { requestsPerSecond: 5, concurrency: 4 },
      'dnevnik-b': { requestsPerSecond: 2, concurrency: 1 },
    });
  });
});
