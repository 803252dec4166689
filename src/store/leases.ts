// Leases: one holder at a time for work that must not run twice at once — a school's grade push into one target
// (two pushes together would send every mark twice). Held in the store's sync_cursors table (kind `none`,
// value = the holder), so they bind every process sharing the store (workers on several machines, a CLI `push`
// beside the scheduled one) and the embedded store alike. A holder renews its lease while it works; a holder that
// died (SIGKILL, a lost machine) stops renewing, and its lease lapses after its `ttlMs`: the holder's own time-to-live
// is written with it (`last_success_at` holds "held until"), so a waiter with another setting cannot cut it short.
import type { SqlExecutor } from './sql-driver.js';

export interface LeaseKey {
  system: string;
  instance: string;
  /** e.g. `lease:push:<school>` */
  name: string;
}

/** Takes the lease when it is free, lapsed, or already this holder's. True when `holder` now holds it. */
export async function tryLease(driver: SqlExecutor, key: LeaseKey, holder: string, ttlMs: number): Promise<boolean> {
  const r = await driver.query<{ value: string }>(
    `INSERT INTO sync_cursors (system, instance, entity, kind, value, run_id, last_success_at, updated_at)
     VALUES ($1, $2, $3, 'none', $4, $4, now() + ($5::bigint * interval '1 millisecond'), now())
     ON CONFLICT (system, instance, entity) DO UPDATE SET value = excluded.value, run_id = excluded.run_id,
       last_success_at = excluded.last_success_at, updated_at = now()
     WHERE sync_cursors.value IS NULL OR sync_cursors.value = excluded.value OR sync_cursors.last_success_at IS NULL
        OR sync_cursors.last_success_at < now()
     RETURNING value`,
    [key.system, key.instance, key.name, holder, ttlMs],
  );
  return r.rows.length === 1;
}

/** Renews a held lease; false when it was lost (lapsed and taken by another holder). */
export async function renewLease(driver: SqlExecutor, key: LeaseKey, holder: string, ttlMs: number): Promise<boolean> {
  const r = await driver.query<{ value: string }>(
    `UPDATE sync_cursors SET last_success_at = now() + ($5::bigint * interval '1 millisecond'), updated_at = now()
     WHERE system = $1 AND instance = $2 AND entity = $3 AND value = $4 RETURNING value`,
    [key.system, key.instance, key.name, holder, ttlMs],
  );
  return r.rows.length === 1;
}

/** Gives a held lease back (a no-op when another holder has it now). */
export async function releaseLease(driver: SqlExecutor, key: LeaseKey, holder: string): Promise<void> {
  await driver.query(
    'UPDATE sync_cursors SET value = NULL, run_id = NULL, updated_at = now() WHERE system = $1 AND instance = $2 AND entity = $3 AND value = $4',
    [key.system, key.instance, key.name, holder],
  );
}
