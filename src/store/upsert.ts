// Bulk upsert of canonical records (canonical-model.md §A.5, §C.2 item 6).
//
// Per batch (default 5,000 records, one transaction):
//   1. validate every record with parseRecord and recompute its content hash (the store is the authority for
//      contentHash, version and updatedAt) — one invalid record rejects the whole batch before any SQL runs;
//   2. one SELECT of (id, entity, status, content_hash) for the batch's ids;
//   3. records whose content hash and status are unchanged are dropped: NOTHING is written for them — not even
//      provenance.fetchedAt. Decision: touching fetchedAt would rewrite every row on every sync and make the
//      unchanged path as expensive as a first load; "when did we last see it" is the run's business
//      (SyncCursor.lastSuccessAt, the run log), and provenance keeps describing the write that changed the record;
//   4. one INSERT … SELECT FROM jsonb_array_elements($1) ON CONFLICT DO UPDATE for the rest, each with a fresh
//      gateway-global version from gateway_version_seq, and one change_log row per written record.
// Batches are pipelined: the next batch is read and validated while the previous one is in the database.
import { parseRecord, recomputeHash, RecordValidationError, type CanonicalRecord } from '../model/index.js';
import { BatchRejectedError, StoreError } from './errors.js';
import { lockVersions, type SqlDriver } from './sql-driver.js';
import type { ChangeOp, UpsertCounts, UpsertOptions } from './store.js';

export const DEFAULT_BATCH_SIZE = 5_000;

interface Prepared {
  batch: number;
  records: CanonicalRecord[];
  duplicates: number;
  read: number;
}

export function emptyCounts(): UpsertCounts {
  return { total: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, undeleted: 0, duplicates: 0 };
}

/** Validates a batch; the last copy of a repeated id wins. Throws BatchRejectedError. */
function prepare(raw: unknown[], batch: number, committedBefore: number): Prepared {
  const byId = new Map<string, CanonicalRecord>();
  for (let i = 0; i < raw.length; i++) {
    let rec: CanonicalRecord;
    try {
      rec = parseRecord(raw[i]);
    } catch (err) {
      if (err instanceof RecordValidationError) throw new BatchRejectedError(err, batch, i, committedBefore);
      throw err;
    }
    const r = rec as { id: string; contentHash: string };
    r.id = r.id.toLowerCase();
    r.contentHash = recomputeHash(rec as unknown as Record<string, unknown>);
    byId.set(r.id, rec);
  }
  return { batch, records: [...byId.values()], duplicates: raw.length - byId.size, read: raw.length };
}

const WRITE_SQL = `
WITH src AS (
  SELECT x->>'o' AS op, (x->'r')::jsonb AS r, nextval('gateway_version_seq') AS version
  FROM json_array_elements($1::text::json) AS x
), up AS (
  INSERT INTO canonical_records AS c (id, entity, status, version, updated_at, content_hash, organization_id, record)
  SELECT (r->>'id')::uuid, r->>'entity', r->>'status', version, $2::timestamptz, r->>'contentHash',
         (r->>'organizationId')::uuid, jsonb_set(r, '{version}', to_jsonb(version))
  FROM src
  ON CONFLICT (id) DO UPDATE SET
    entity = excluded.entity, status = excluded.status, version = excluded.version, updated_at = excluded.updated_at,
    content_hash = excluded.content_hash, organization_id = excluded.organization_id, record = excluded.record
  WHERE c.content_hash IS DISTINCT FROM excluded.content_hash OR c.status IS DISTINCT FROM excluded.status
  RETURNING c.id, c.entity, c.version
), logged AS (
  INSERT INTO change_log (version, entity, canonical_id, op, at, run_id)
  SELECT up.version, up.entity, up.id, src.op, $2::timestamptz, $3::text
  FROM up JOIN src ON src.version = up.version
  RETURNING op
)
SELECT op, count(*)::int AS n FROM logged GROUP BY op`;

async function writeBatch(driver: SqlDriver, p: Prepared, runId: string): Promise<UpsertCounts> {
  const counts = emptyCounts();
  counts.total = p.read;
  counts.duplicates = p.duplicates;
  if (p.records.length === 0) return counts;
  const now = new Date().toISOString();
  await driver.transaction(async (tx) => {
    // Batches are idempotent (a re-run re-upserts the same records), so a server crash that loses the last
    // few commits loses nothing a re-run does not restore; skipping the WAL flush per batch is safe here.
    if (driver.backend === 'postgres') await tx.query('SET LOCAL synchronous_commit TO off');
    await lockVersions(tx);
    const ids = p.records.map((r) => r.id);
    const existing = await tx.query<{ id: string; entity: string; status: string; content_hash: string }>(
      'SELECT id, entity, status, content_hash FROM canonical_records WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const known = new Map(existing.rows.map((row) => [row.id, row]));
    const items: string[] = [];
    for (const rec of p.records) {
      const old = known.get(rec.id);
      let op: ChangeOp;
      if (!old) op = 'create';
      else if (old.entity !== rec.entity) {
        throw new StoreError(`upsertMany batch ${p.batch}: id ${rec.id} is a stored ${old.entity}, refusing to overwrite it with a ${rec.entity}`);
      } else if (old.content_hash === rec.contentHash && old.status === rec.status) continue;
      else if (old.status === 'deleted' && rec.status !== 'deleted') op = 'undelete';
      else if (old.status !== 'deleted' && rec.status === 'deleted') op = 'delete';
      else op = 'update';
      (rec as { updatedAt: string }).updatedAt = now;
      items.push(`{"o":"${op}","r":${JSON.stringify(rec)}}`);
    }
    if (items.length === 0) return;
    const res = await tx.query<{ op: ChangeOp; n: number }>(WRITE_SQL, [`[${items.join(',')}]`, now, runId]);
    for (const row of res.rows) {
      const n = toInt(row.n);
      if (row.op === 'create') counts.created += n;
      else if (row.op === 'update') counts.updated += n;
      else if (row.op === 'delete') counts.deleted += n;
      else if (row.op === 'undelete') counts.undeleted += n;
    }
  });
  counts.unchanged = p.records.length - counts.created - counts.updated - counts.deleted - counts.undeleted;
  return counts;
}

const toInt = (v: unknown) => (typeof v === 'number' ? v : Number(v));

function add(into: UpsertCounts, c: UpsertCounts): void {
  for (const k of Object.keys(into) as (keyof UpsertCounts)[]) into[k] += c[k];
}

async function* inBatches<T>(source: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let buf: T[] = [];
  for await (const item of source as AsyncIterable<T>) {
    buf.push(item);
    if (buf.length >= size) {
      yield buf;
      buf = [];
    }
  }
  if (buf.length > 0) yield buf;
}

export async function upsertMany(
  driver: SqlDriver,
  source: Iterable<CanonicalRecord> | AsyncIterable<CanonicalRecord>,
  opts: UpsertOptions,
): Promise<UpsertCounts> {
  const size = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!opts.runId) throw new StoreError('upsertMany needs a runId');
  const total = emptyCounts();
  let batchNo = 0;
  let inFlight: Promise<void> | null = null;
  let failure: unknown = null;
  const settle = async () => {
    if (inFlight) await inFlight;
    inFlight = null;
    if (failure) throw failure;
  };
  for await (const raw of inBatches<unknown>(source, size)) {
    batchNo += 1;
    let prepared: Prepared;
    try {
      prepared = prepare(raw, batchNo, total.total - total.duplicates);
    } catch (err) {
      await settle();
      if (err instanceof BatchRejectedError) {
        // committedBefore was computed before the in-flight batch finished: rebuild with the settled figure.
        throw new BatchRejectedError(err.validation, err.batch, err.position, total.total - total.duplicates);
      }
      throw err;
    }
    await settle();
    inFlight = writeBatch(driver, prepared, opts.runId).then(
      (c) => {
        add(total, c);
        opts.onBatch?.({ ...total, batch: prepared.batch });
      },
      (err) => {
        failure = err;
      },
    );
  }
  await settle();
  return total;
}
