// The store-backed SetupCache (connectors/contract.ts): a connector's set-up answers kept between runs in
// `sync_cursors`, one row per (platform instance, school, key), so every worker process shares them. They hold
// platform structure (reporting periods), never personal data. An answer older than a day is read again:
// the roster sync reads every set-up answer each night and refreshes them, so a journal sync later that day reuses
// what the roster read, and a school without a nightly roster sync still re-reads them once a day.
import type { SetupCache } from '../connectors/contract.js';
import type { Store } from '../store/index.js';

export const SETUP_CACHE_MAX_AGE_HOURS = 24;

export const setupCacheKey = (schoolId: string, key: string) => `setup|${schoolId}|${key}`;

export function storeSetupCache(
  store: Store,
  at: { system: string; instance: string; schoolId: string; runId: string },
  /** `refresh`: answer nothing, so the connector reads everything and stores it (the roster sync's read). */
  opts: { refresh?: boolean } = {},
): SetupCache {
  const maxAgeMs = SETUP_CACHE_MAX_AGE_HOURS * 3_600_000;
  return {
    async get(key) {
      if (opts.refresh) return undefined;
      const c = await store.getCursor(at.system, at.instance, setupCacheKey(at.schoolId, key));
      if (!c?.value || !c.lastSuccessAt || Date.now() - Date.parse(c.lastSuccessAt) > maxAgeMs) return undefined;
      try {
        return JSON.parse(c.value) as unknown;
      } catch {
        return undefined; // an unreadable row is read again from the platform and overwritten
      }
    },
    async set(key, value) {
      await store.setCursor({
        system: at.system, instance: at.instance, entity: setupCacheKey(at.schoolId, key), kind: 'none',
        value: JSON.stringify(value), runId: at.runId, lastSuccessAt: new Date().toISOString(),
      });
    },
  };
}
