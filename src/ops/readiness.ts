// /readyz (issue 10): can this process do its work right now? Redis answers PING, the store answers a
// query, and every configured platform instance's base URL answers at all (any HTTP status counts:
// a 401 or 404 from the platform still proves the network path). Each check has a short timeout;
// the results name the check and the cause, never a URL (it may carry a region's host or credentials).
import type { Redis } from 'ioredis';
import type { PlatformInstanceConfig } from '../config/schema.js';
import type { Store } from '../store/index.js';

export interface ReadinessCheck {
  name: string;
  run(signal: AbortSignal): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface Readiness {
  ok: boolean;
  checks: Record<string, CheckResult>;
}

class CheckTimeout extends Error {}

export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs = 2_000): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (c): Promise<[string, CheckResult]> => {
    const t0 = Date.now();
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new CheckTimeout(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([c.run(ac.signal), timeout]);
      return [c.name, { ok: true, ms: Date.now() - t0 }];
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const error = e instanceof CheckTimeout ? err.message : err.cause?.code ?? err.message ?? String(e);
      return [c.name, { ok: false, ms: Date.now() - t0, error: error.slice(0, 200) }];
    } finally {
      clearTimeout(timer);
    }
  }));
  return { ok: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

export function redisCheck(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    async run() {
      const pong = await redis.ping();
      if (pong !== 'PONG') throw new Error(`unexpected PING answer ${JSON.stringify(pong).slice(0, 40)}`);
    },
  };
}

export function storeCheck(store: Store): ReadinessCheck {
  return { name: 'store', run: async () => void (await store.count('organization')) };
}

/** One check per platform instance: `platform:<instance>`. */
export function platformChecks(platforms: readonly PlatformInstanceConfig[]): ReadinessCheck[] {
  return platforms.map((p) => ({
    name: `platform:${p.instance}`,
    async run(signal: AbortSignal) {
      // HEAD would be cheaper, but some platforms answer it with 405 after a long wait; GET of the
      // origin is what a browser does. The body is dropped unread.
      const res = await fetch(p.baseUrl, { method: 'GET', redirect: 'manual', signal });
      await res.body?.cancel();
    },
  }));
}

/**
 * `schedules` (a worker that keeps the schedules): the configuration's job schedulers are in Redis, set up again
 * first if Redis lost them. Without it a worker whose Redis came back empty was ready and never ran a scheduled job.
 */
export function schedulesCheck(keeper: { ensure(): Promise<void> }): ReadinessCheck {
  return { name: 'schedules', run: () => keeper.ensure() };
}
