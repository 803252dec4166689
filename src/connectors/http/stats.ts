// In-memory request metrics of one HTTP client (later exported to Prometheus by src/web). Keys are
// route templates, never URLs with ids or query strings, so cardinality stays bounded.

/** Latency summary of one route, milliseconds. */
export interface LatencySummary {
  count: number;
  totalMs: number;
  maxMs: number;
  /** Counts per upper bound: `le_100` = at most 100 ms; `le_inf` catches the rest. */
  buckets: Record<string, number>;
}

/** What {@link HttpStats.snapshot} returns (a copy, safe to keep). */
export interface HttpStatsSnapshot {
  /** Attempts (each retry counts) by `"METHOD /route"` then by status (`"network"` for no response). */
  requests: Record<string, Record<string, number>>;
  latency: Record<string, LatencySummary>;
  total: number;
  status429: number;
  status5xx: number;
  networkErrors: number;
  retries: number;
  authRefreshes: number;
  /** Requests that waited for a rate/concurrency slot longer than 5 ms, and the total wait. */
  rateLimitWaits: { count: number; totalMs: number; maxMs: number };
}

export const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** Counters for one client; `snapshot()` gives a plain object for tests, benches and /metrics. */
export class HttpStats {
  private requests = new Map<string, Map<string, number>>();
  private latency = new Map<string, LatencySummary>();
  private total = 0;
  private status429 = 0;
  private status5xx = 0;
  private networkErrors = 0;
  private retries = 0;
  private authRefreshes = 0;
  private waits = { count: 0, totalMs: 0, maxMs: 0 };

  /** One attempt finished: status is the HTTP status or `'network'`. */
  recordAttempt(method: string, route: string, status: number | 'network', durationMs: number): void {
    const key = `${method.toUpperCase()} ${route}`;
    const byStatus = this.requests.get(key) ?? new Map<string, number>();
    byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
    this.requests.set(key, byStatus);
    this.total++;
    if (status === 429) this.status429++;
    else if (status === 'network') this.networkErrors++;
    else if (status >= 500) this.status5xx++;
    const lat = this.latency.get(key) ?? { count: 0, totalMs: 0, maxMs: 0, buckets: {} };
    lat.count++;
    lat.totalMs += durationMs;
    lat.maxMs = Math.max(lat.maxMs, durationMs);
    const bound = LATENCY_BUCKETS_MS.find((b) => durationMs <= b);
    const bucket = bound === undefined ? 'le_inf' : `le_${bound}`;
    lat.buckets[bucket] = (lat.buckets[bucket] ?? 0) + 1;
    this.latency.set(key, lat);
  }

  recordRetry(): void {
    this.retries++;
  }

  recordAuthRefresh(): void {
    this.authRefreshes++;
  }

  /** Time a request spent waiting for its rate-limit/concurrency turn. */
  recordWait(ms: number): void {
    if (ms <= 5) return;
    this.waits.count++;
    this.waits.totalMs += ms;
    this.waits.maxMs = Math.max(this.waits.maxMs, ms);
  }

  snapshot(): HttpStatsSnapshot {
    const requests: HttpStatsSnapshot['requests'] = {};
    for (const [k, m] of this.requests) requests[k] = Object.fromEntries(m);
    const latency: HttpStatsSnapshot['latency'] = {};
    for (const [k, l] of this.latency) latency[k] = { ...l, buckets: { ...l.buckets } };
    return {
      requests, latency, total: this.total, status429: this.status429, status5xx: this.status5xx,
      networkErrors: this.networkErrors, retries: this.retries, authRefreshes: this.authRefreshes, rateLimitWaits: { ...this.waits },
    };
  }
}
