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

/**
 * Cursors whose value is a JSON object of entries (a target's push-again list): edited entry by entry in one statement,
 * so two writers never lose each other's change. Read, changed in memory and written back whole, an operator's
 * `review keep` landing while a push settled the list was overwritten by the push's older copy and never written.
 * A value that is JSON but not an object (`null`, damaged by hand) counts as an empty list, as pushAgainList reads it.
 */
export async function mergeCursorEntries(driver: SqlExecutor, system: string, instance: string, entity: string, entries: Record<string, unknown>, runId: string): Promise<void> {
  await driver.query(
    `INSERT INTO sync_cursors (system, instance, entity, kind, value, run_id, updated_at)
     VALUES ($1, $2, $3, 'none', $4, $5, now())
     ON CONFLICT (system, instance, entity) DO UPDATE SET
       value = (CASE WHEN jsonb_typeof(coalesce(nullif(sync_cursors.value, ''), '{}')::jsonb) = 'object' THEN coalesce(nullif(sync_cursors.value, ''), '{}')::jsonb ELSE '{}'::jsonb END || excluded.value::jsonb)::text,
       run_id = excluded.run_id, updated_at = now()`,
    [system, instance, entity, JSON.stringify(entries), runId],
  );
}

/**
 * Takes entries off such a cursor, each only while it still holds the value given (compare and delete): an entry
 * written anew since the caller read it (another decision on the same record) stays.
 */
export async function removeCursorEntries(driver: SqlExecutor, system: string, instance: string, entity: string, entries: Record<string, unknown>, runId: string): Promise<void> {
  await driver.query(
    `UPDATE sync_cursors SET
       value = (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)::text
                FROM jsonb_each(CASE WHEN jsonb_typeof(coalesce(nullif(sync_cursors.value, ''), '{}')::jsonb) = 'object' THEN coalesce(nullif(sync_cursors.value, ''), '{}')::jsonb ELSE '{}'::jsonb END) AS e
                WHERE NOT ($4::jsonb ? e.key AND $4::jsonb -> e.key = e.value)),
       run_id = $5, updated_at = now()
     WHERE system = $1 AND instance = $2 AND entity = $3`,
    [system, instance, entity, JSON.stringify(entries), runId],
  );
}
