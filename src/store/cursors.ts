// Sync cursors per (system, instance, entity) (canonical-model.md §C.2 item 1).
import type { SqlExecutor } from './sql-driver.js';
import { toIso, toIsoOrNull } from './sql-util.js';
import type { SyncCursorInput, SyncCursorState } from './store.js';

interface Row {
  system: string; instance: string; entity: string; kind: SyncCursorState['kind']; value: string | null;
  run_id: string | null; last_success_at: unknown; updated_at: unknown;
}

const fromRow = (r: Row): SyncCursorState => ({
  system: r.system, instance: r.instance, entity: r.entity, kind: r.kind, value: r.value, runId: r.run_id,
  lastSuccessAt: toIsoOrNull(r.last_success_at), updatedAt: toIso(r.updated_at),
});

export async function getCursor(driver: SqlExecutor, system: string, instance: string, entity: string): Promise<SyncCursorState | null> {
  const r = await driver.query<Row>('SELECT * FROM sync_cursors WHERE system = $1 AND instance = $2 AND entity = $3', [system, instance, entity]);
  return r.rows[0] ? fromRow(r.rows[0]) : null;
}

/** Writes a cursor. A lastSuccessAt left out keeps the stored one. */
export async function setCursor(driver: SqlExecutor, c: SyncCursorInput): Promise<SyncCursorState> {
  const r = await driver.query<Row>(
    `INSERT INTO sync_cursors (system, instance, entity, kind, value, run_id, last_success_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, now())
     ON CONFLICT (system, instance, entity) DO UPDATE SET kind = excluded.kind, value = excluded.value,
       run_id = excluded.run_id, last_success_at = coalesce(excluded.last_success_at, sync_cursors.last_success_at),
       updated_at = excluded.updated_at
     RETURNING *`,
    [c.system, c.instance, c.entity, c.kind, c.value, c.runId ?? null, c.lastSuccessAt ?? null],
  );
  return fromRow(r.rows[0]);
}

export async function listCursors(driver: SqlExecutor): Promise<SyncCursorState[]> {
  const r = await driver.query<Row>('SELECT * FROM sync_cursors ORDER BY system, instance, entity');
  return r.rows.map(fromRow);
}
