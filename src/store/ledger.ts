// Outbound ledger (OutboundOperation, canonical-model.md §C.2 item 6): one row per idempotency key, so a
// retried push re-reads what was already sent and the target id it got back.
import { StoreError } from './errors.js';
import type { SqlExecutor } from './sql-driver.js';
import { toIso, toNum } from './sql-util.js';
import type { LedgerBeginInput, LedgerEntry, LedgerMarkInput, LedgerState } from './store.js';

interface Row {
  idempotency_key: string; target: string; entity: string; canonical_id: string; canonical_version: unknown;
  op: LedgerEntry['op']; state: LedgerState; target_id: string | null; attempts: unknown; last_error: string | null;
  created_at: unknown; updated_at: unknown;
}

const fromRow = (r: Row): LedgerEntry => ({
  idempotencyKey: r.idempotency_key, target: r.target, entity: r.entity, canonicalId: r.canonical_id,
  canonicalVersion: toNum(r.canonical_version), op: r.op, state: r.state, targetId: r.target_id,
  attempts: toNum(r.attempts), lastError: r.last_error, createdAt: toIso(r.created_at), updatedAt: toIso(r.updated_at),
});

/** The conventional idempotency key: target|entity|canonicalId|version. */
export const ledgerKey = (target: string, entity: string, canonicalId: string, version: number) =>
  `${target}|${entity}|${canonicalId}|${version}`;

export async function ledgerBegin(driver: SqlExecutor, b: LedgerBeginInput): Promise<{ entry: LedgerEntry; created: boolean }> {
  const ins = await driver.query<Row>(
    `INSERT INTO outbound_ledger (idempotency_key, target, entity, canonical_id, canonical_version, op, state, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', now(), now())
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
    [b.idempotencyKey, b.target, b.entity, b.canonicalId, b.canonicalVersion, b.op],
  );
  if (ins.rows[0]) return { entry: fromRow(ins.rows[0]), created: true };
  const existing = await ledgerGet(driver, b.idempotencyKey);
  if (!existing) throw new StoreError(`ledgerBegin: ${b.idempotencyKey} vanished between insert and read`);
  return { entry: existing, created: false };
}

export async function ledgerMark(driver: SqlExecutor, key: string, m: LedgerMarkInput): Promise<LedgerEntry> {
  const r = await driver.query<Row>(
    `UPDATE outbound_ledger SET
       attempts = attempts + CASE
         WHEN $5::boolean IS NOT NULL THEN CASE WHEN $5::boolean THEN 1 ELSE 0 END
         WHEN $2::text = 'sent' THEN 1
         WHEN $2::text IN ('confirmed', 'failed', 'refused') AND state <> 'sent' THEN 1
         ELSE 0 END,
       state = $2::text, target_id = coalesce($3::text, target_id),
       last_error = CASE WHEN $6::boolean THEN $4::text ELSE last_error END,
       updated_at = now()
     WHERE idempotency_key = $1 RETURNING *`,
    [key, m.state, m.targetId ?? null, m.lastError ?? null, m.countAttempt ?? null, m.lastError !== undefined],
  );
  if (!r.rows[0]) throw new StoreError(`ledgerMark: no ledger row ${key}`);
  return fromRow(r.rows[0]);
}

export async function ledgerGet(driver: SqlExecutor, key: string): Promise<LedgerEntry | null> {
  const r = await driver.query<Row>('SELECT * FROM outbound_ledger WHERE idempotency_key = $1', [key]);
  return r.rows[0] ? fromRow(r.rows[0]) : null;
}

export async function ledgerByState(driver: SqlExecutor, state: LedgerState, opts: { target?: string; limit?: number } = {}): Promise<LedgerEntry[]> {
  const r = await driver.query<Row>(
    `SELECT * FROM outbound_ledger WHERE state = $1 AND ($2::text IS NULL OR target = $2)
     ORDER BY updated_at, idempotency_key LIMIT $3`,
    [state, opts.target ?? null, opts.limit ?? 1_000],
  );
  return r.rows.map(fromRow);
}
