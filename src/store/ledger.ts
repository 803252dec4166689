// Outbound ledger (OutboundOperation, canonical-model.md §C.2 item 6): one row per idempotency key, so a
// retried push re-reads what was already sent and the target id it got back.
import { StoreError } from './errors.js';
import type { SqlExecutor } from './sql-driver.js';
import { chunks, toIso, toNum } from './sql-util.js';
import type { LedgerBeginInput, LedgerEntry, LedgerMarkInput, LedgerState } from './store.js';

interface Row {
  idempotency_key: string; target: string; entity: string; canonical_id: string; canonical_version: unknown;
  op: LedgerEntry['op']; state: LedgerState; target_id: string | null; pushed_hash: string | null; attempts: unknown; last_error: string | null;
  created_at: unknown; updated_at: unknown;
}

const fromRow = (r: Row): LedgerEntry => ({
  idempotencyKey: r.idempotency_key, target: r.target, entity: r.entity, canonicalId: r.canonical_id,
  canonicalVersion: toNum(r.canonical_version), op: r.op, state: r.state, targetId: r.target_id, pushedHash: r.pushed_hash ?? null,
  attempts: toNum(r.attempts), lastError: r.last_error, createdAt: toIso(r.created_at), updatedAt: toIso(r.updated_at),
});

/** The conventional idempotency key: target|entity|canonicalId|version. */
export const ledgerKey = (target: string, entity: string, canonicalId: string, version: number) =>
  `${target}|${entity}|${canonicalId}|${version}`;

export async function ledgerBegin(driver: SqlExecutor, b: LedgerBeginInput): Promise<{ entry: LedgerEntry; created: boolean }> {
  const ins = await driver.query<Row>(
    `INSERT INTO outbound_ledger (idempotency_key, target, entity, canonical_id, canonical_version, op, state, pushed_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, now(), now())
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
    [b.idempotencyKey, b.target, b.entity, b.canonicalId, b.canonicalVersion, b.op, b.pushedHash ?? null],
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

/** The rows of these keys that exist (a read only: a dry run asks what a push would do without recording anything). */
export async function ledgerGetMany(driver: SqlExecutor, keys: readonly string[]): Promise<Map<string, LedgerEntry>> {
  const out = new Map<string, LedgerEntry>();
  for (const list of chunks([...keys], BATCH)) {
    const r = await driver.query<Row>('SELECT * FROM outbound_ledger WHERE idempotency_key = ANY($1::text[])', [list]);
    for (const row of r.rows) out.set(row.idempotency_key, fromRow(row));
  }
  return out;
}

export async function ledgerByState(driver: SqlExecutor, state: LedgerState, opts: { target?: string; limit?: number } = {}): Promise<LedgerEntry[]> {
  const r = await driver.query<Row>(
    `SELECT * FROM outbound_ledger WHERE state = $1 AND ($2::text IS NULL OR target = $2)
     ORDER BY updated_at, idempotency_key LIMIT $3`,
    [state, opts.target ?? null, opts.limit ?? 1_000],
  );
  return r.rows.map(fromRow);
}

/** Per canonical id: the target's confirmed operation of the highest version (found through the canonical-id index). */
export async function ledgerLastConfirmed(driver: SqlExecutor, target: string, entity: string, ids: readonly string[]): Promise<Map<string, LedgerEntry>> {
  const out = new Map<string, LedgerEntry>();
  for (const list of chunks([...ids], BATCH)) {
    const r = await driver.query<Row>(
      `SELECT DISTINCT ON (canonical_id) * FROM outbound_ledger
       WHERE canonical_id = ANY($1::uuid[]) AND target = $2 AND entity = $3 AND state = 'confirmed'
       ORDER BY canonical_id, canonical_version DESC, updated_at DESC`,
      [list, target, entity],
    );
    for (const row of r.rows) out.set(row.canonical_id, fromRow(row));
  }
  return out;
}

/**
 * Per canonical id: the highest version of the target's operations left `sent` or `failed` (a write that may have
 * reached the target without its answer reaching the gateway), through the canonical-id index, one statement a batch.
 */
export async function ledgerUnsettledVersions(driver: SqlExecutor, target: string, entity: string, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const list of chunks([...ids], BATCH)) {
    const r = await driver.query<{ canonical_id: string; v: number | string }>(
      `SELECT canonical_id, max(canonical_version) AS v FROM outbound_ledger
       WHERE canonical_id = ANY($1::uuid[]) AND target = $2 AND entity = $3 AND state IN ('sent', 'failed')
       GROUP BY canonical_id`,
      [list, target, entity],
    );
    for (const row of r.rows) out.set(row.canonical_id, Number(row.v));
  }
  return out;
}

/**
 * Per canonical id: how many of the target's confirmed operations carry `|again:<tagPrefix>…` in their key — how often
 * the record was written into the target again for that reason (through the canonical-id index, one statement).
 */
export async function ledgerAgainCounts(driver: SqlExecutor, target: string, entity: string, ids: readonly string[], tagPrefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const list of chunks([...ids], BATCH)) {
    const r = await driver.query<{ canonical_id: string; n: number | string }>(
      `SELECT canonical_id, count(*) AS n FROM outbound_ledger
       WHERE canonical_id = ANY($1::uuid[]) AND target = $2 AND entity = $3 AND state = 'confirmed'
         AND strpos(idempotency_key, $4) > 0
       GROUP BY canonical_id`,
      [list, target, entity, `|again:${tagPrefix}`],
    );
    for (const row of r.rows) out.set(row.canonical_id, Number(row.n));
  }
  return out;
}

/**
 * {@link ledgerBegin} for many operations in two statements (a push of a school-year is hundreds of thousands of
 * operations; one round trip each made the ledger the push's main cost). Returns every key's row, new or old.
 */
export async function ledgerBeginMany(driver: SqlExecutor, all: readonly LedgerBeginInput[]): Promise<Map<string, LedgerEntry>> {
  const out = new Map<string, LedgerEntry>();
  for (const list of chunks([...all], BATCH)) await beginBatch(driver, list, out);
  return out;
}

/** Rows per ledger statement: big enough to make round trips rare, small enough to keep each statement light. */
const BATCH = 2000;

async function beginBatch(driver: SqlExecutor, list: readonly LedgerBeginInput[], out: Map<string, LedgerEntry>): Promise<void> {
  await driver.query(
    `INSERT INTO outbound_ledger (idempotency_key, target, entity, canonical_id, canonical_version, op, state, pushed_hash, created_at, updated_at)
     SELECT k, t, e, c, v, o, 'pending', h, now(), now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::bigint[], $6::text[], $7::text[]) AS x(k, t, e, c, v, o, h)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [list.map((b) => b.idempotencyKey), list.map((b) => b.target), list.map((b) => b.entity), list.map((b) => b.canonicalId), list.map((b) => b.canonicalVersion), list.map((b) => b.op), list.map((b) => b.pushedHash ?? null)],
  );
  const r = await driver.query<Row>('SELECT * FROM outbound_ledger WHERE idempotency_key = ANY($1::text[])', [list.map((b) => b.idempotencyKey)]);
  for (const row of r.rows) out.set(row.idempotency_key, fromRow(row));
  const missing = list.find((b) => !out.has(b.idempotencyKey));
  if (missing) throw new StoreError(`ledgerBeginMany: ${missing.idempotencyKey} vanished between insert and read`);
}

/**
 * {@link ledgerMark} for many operations in one statement, with the same attempt counting (entering `sent` counts;
 * entering an outcome counts only when the row was not `sent`; a mark's `countAttempt` decides for it). A key without
 * a row is an error.
 */
export async function ledgerMarkMany(driver: SqlExecutor, all: readonly { key: string; mark: LedgerMarkInput }[]): Promise<void> {
  for (const marks of chunks([...all], BATCH)) await markBatch(driver, marks);
}

async function markBatch(driver: SqlExecutor, marks: readonly { key: string; mark: LedgerMarkInput }[]): Promise<void> {
  const r = await driver.query<{ n: unknown }>(
    `WITH updated AS (
       UPDATE outbound_ledger AS l SET
         attempts = l.attempts + CASE
           WHEN x.count_attempt IS NOT NULL THEN CASE WHEN x.count_attempt THEN 1 ELSE 0 END
           WHEN x.state = 'sent' THEN 1
           WHEN x.state IN ('confirmed', 'failed', 'refused') AND l.state <> 'sent' THEN 1
           ELSE 0 END,
         state = x.state, target_id = coalesce(x.target_id, l.target_id),
         last_error = CASE WHEN x.set_error THEN x.last_error ELSE l.last_error END,
         updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[]) AS x(key, state, target_id, last_error, set_error, count_attempt)
       WHERE l.idempotency_key = x.key
       RETURNING 1)
     SELECT count(*) AS n FROM updated`,
    [marks.map((m) => m.key), marks.map((m) => m.mark.state), marks.map((m) => m.mark.targetId ?? null), marks.map((m) => m.mark.lastError ?? null), marks.map((m) => m.mark.lastError !== undefined), marks.map((m) => m.mark.countAttempt ?? null)],
  );
  const n = toNum(r.rows[0]?.n);
  if (n !== new Set(marks.map((m) => m.key)).size) throw new StoreError(`ledgerMarkMany: ${marks.length - n} of ${marks.length} keys have no ledger row`);
}
