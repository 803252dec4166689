// Bulk upsert of canonical records (canonical-model.md §A.5, §C.2 item 6).
//
// Per batch (default 5,000 records, one transaction):
//   1. hash every record's business fields (no validation yet);
//   2. one SELECT of (id, entity, status, content_hash) for the batch's ids;
//   3. records whose content hash and status are unchanged are dropped: NOTHING is written for them — not even
//      provenance.fetchedAt. Decision: touching fetchedAt would rewrite every row on every sync and make the
//      unchanged path as expensive as a first load; "when did we last see it" is the run's business
//      (SyncCursor.lastSuccessAt, the run log), and provenance keeps describing the write that changed the record;
//   4. the rest are validated with parseRecord (the store is the authority for contentHash, version and
//      updatedAt); one invalid record rejects the whole batch and the transaction writes nothing;
//   5. one INSERT … SELECT FROM jsonb_array_elements($1) ON CONFLICT DO UPDATE for the rest, each with a fresh
//      gateway-global version from gateway_version_seq, and one change_log row per written record.
// Batches are pipelined: the next batch is read and validated while the previous one is in the database.
import { parseRecord, recomputeHash, RecordValidationError, type CanonicalRecord } from '../model/index.js';
import { BatchRejectedError, StoreError } from './errors.js';
import { lockVersions, type SqlDriver } from './sql-driver.js';
import { jsonBatch, type JsonBatch } from './json-batch.js';
import type { ChangeOp, UpsertCounts, UpsertOptions } from './store.js';

export const DEFAULT_BATCH_SIZE = 5_000;

interface Candidate {
  /** The record as given (not yet validated). */
  raw: Record<string, unknown>;
  id: string;
  entity: string;
  status: string;
  /** Hash of the given business fields, computed while the stored hashes are looked up. */
  hash?: string;
  /** Position in the caller's batch, for error messages. */
  position: number;
}

interface Prepared {
  batch: number;
  candidates: Candidate[];
  duplicates: number;
  read: number;
  committedBefore: number;
}

export function emptyCounts(): UpsertCounts {
  return { total: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, undeleted: 0, duplicates: 0 };
}

/**
 * Hashes a batch without validating it; the last copy of a repeated id wins. Validation waits until the
 * stored hashes are known: a record whose content equals what is stored was validated when it was
 * written, so the unchanged path (every nightly re-read) costs a hash and one SELECT, not a zod parse.
 */
function prepare(raw: unknown[], batch: number, committedBefore: number): Prepared {
  const byId = new Map<string, Candidate>();
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.entity !== 'string') {
      // Let the schema produce the precise message (unknown entity, missing id…).
      try {
        parseRecord(r);
      } catch (err) {
        if (err instanceof RecordValidationError) throw new BatchRejectedError(err, batch, i, committedBefore);
        throw err;
      }
      continue;
    }
    const id = r.id.toLowerCase();
    byId.set(id, { raw: r, id, entity: r.entity, status: String(r.status), position: i });
  }
  return { batch, candidates: [...byId.values()], duplicates: raw.length - byId.size, read: raw.length, committedBefore };
}

/** Full validation of a record that will be written; the store is the authority for contentHash. */
function validated(c: Candidate, p: Prepared): CanonicalRecord {
  let rec: CanonicalRecord;
  try {
    rec = parseRecord(c.raw);
  } catch (err) {
    if (err instanceof RecordValidationError) throw new BatchRejectedError(err, p.batch, c.position, p.committedBefore);
    throw err;
  }
  const r = rec as { id: string; contentHash: string };
  r.id = c.id;
  r.contentHash = recomputeHash(rec as unknown as Record<string, unknown>);
  return rec;
}

// The batch arrives as one JSON array parsed once by the server into jsonb elements (parsing is the
// server's cheapest path; per-row text casts and array-literal escaping cost more), as bytes on PostgreSQL
// (json-batch.ts). Versions are reserved up front under the version lock and are already inside each record.
const WRITE_SQL = `
WITH src AS (
  SELECT x.r, (x.r->>'version')::bigint AS version, o.op
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(r, i)
  JOIN unnest($2::text[]) WITH ORDINALITY AS o(op, i) ON o.i = x.i
), up AS (
  INSERT INTO canonical_records AS c (id, entity, status, version, updated_at, content_hash, organization_id, record)
  SELECT (r->>'id')::uuid, r->>'entity', r->>'status', version, $3::timestamptz, r->>'contentHash', (r->>'organizationId')::uuid, r
  FROM src
  ON CONFLICT (id) DO UPDATE SET
    entity = excluded.entity, status = excluded.status, version = excluded.version, updated_at = excluded.updated_at,
    content_hash = excluded.content_hash, organization_id = excluded.organization_id, record = excluded.record
  WHERE c.content_hash IS DISTINCT FROM excluded.content_hash OR c.status IS DISTINCT FROM excluded.status
  RETURNING c.id, c.entity, c.version
), logged AS (
  INSERT INTO change_log (version, entity, canonical_id, op, at, run_id)
  SELECT up.version, up.entity, up.id, src.op, $3::timestamptz, $4::text
  FROM up JOIN src ON src.version = up.version
  RETURNING op
)
SELECT op, count(*)::int AS n FROM logged GROUP BY op`;

/** Reserves `n` consecutive versions; the caller holds the version lock. Returns the first. */
async function reserveVersions(tx: { query: SqlDriver['query'] }, n: number): Promise<number> {
  const res = await tx.query<{ last: string | number }>(
    "SELECT setval('gateway_version_seq', nextval('gateway_version_seq') + $1::bigint - 1) AS last", [n],
  );
  return Number(res.rows[0].last) - n + 1;
}

interface Planned {
  p: Prepared;
  writes: { rec: CanonicalRecord; op: ChangeOp }[];
  /** Each write's JSON without its version and closing brace: the write adds both once the version is reserved. */
  json: JsonBatch;
  now: string;
}

/**
 * Reads the stored hashes of a batch and validates what will be written. Runs outside the write
 * transaction, so it overlaps the previous batch's write (PostgreSQL: on another pooled connection).
 * The write itself re-checks hashes (ON CONFLICT … WHERE hash differs), so a race can only mislabel an
 * op in the change log, never write an unchanged record.
 */
async function planBatch(driver: SqlDriver, p: Prepared): Promise<Planned> {
  const now = new Date().toISOString();
  const writes: Planned['writes'] = [];
  const json = jsonBatch(driver.backend);
  if (p.candidates.length === 0) return { p, writes, json, now };
  let answered = false;
  const selecting = driver.query<{ id: string; entity: string; status: string; content_hash: string }>(
    'SELECT id, entity, status, content_hash FROM canonical_records WHERE id = ANY($1::uuid[])',
    [p.candidates.map((c) => c.id)],
  );
  // Handled here too: a failure is thrown where `selecting` is awaited, below, but the loop yields before that, and a
  // rejection nobody handles yet would end the process.
  selecting.then(() => { answered = true; }, () => { answered = true; });
  // Hash while the server looks up the stored hashes (yielding now and then so the query goes out), until it answers:
  // the rest are hashed only if stored already. A first load's records are new, and the write hashes what it validates.
  for (let i = 0; i < p.candidates.length && !answered; i++) {
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    const c = p.candidates[i];
    c.hash ??= recomputeHash(c.raw);
  }
  const existing = await selecting;
  const known = new Map(existing.rows.map((row) => [row.id, row]));
  for (const c of p.candidates) {
    const old = known.get(c.id);
    if (old && old.entity !== c.entity) {
      throw new StoreError(`upsertMany batch ${p.batch}: id ${c.id} is a stored ${old.entity}, refusing to overwrite it with a ${c.entity}`);
    }
    if (old && old.status === c.status && old.content_hash === (c.hash ??= recomputeHash(c.raw))) continue;
    // Only records that will be written are validated; one invalid record rejects the whole batch
    // before anything of it is written.
    const rec = validated(c, p);
    if (old && old.content_hash === rec.contentHash && old.status === rec.status) continue;
    let op: ChangeOp;
    if (!old) op = 'create';
    else if (old.status === 'deleted' && rec.status !== 'deleted') op = 'undelete';
    else if (old.status !== 'deleted' && rec.status === 'deleted') op = 'delete';
    else op = 'update';
    (rec as { updatedAt: string }).updatedAt = now;
    // Serialised and encoded here, while the previous batch is in the database: inside the write they held its
    // statement back (~50 ms a batch of 5,000), with the version lock taken. The version is added by the write.
    (rec as { version?: number }).version = undefined;
    json.add(JSON.stringify(rec).slice(0, -1));
    writes.push({ rec, op });
  }
  return { p, writes, json, now };
}

async function writeBatch(driver: SqlDriver, planned: Planned, runId: string): Promise<UpsertCounts> {
  const { p, writes, json, now } = planned;
  const counts = emptyCounts();
  counts.total = p.read;
  counts.duplicates = p.duplicates;
  if (writes.length > 0) {
    await driver.transaction(async (tx) => {
      // Batches are idempotent (a re-run re-upserts the same records), so a server crash that loses the last
      // few commits loses nothing a re-run does not restore; skipping the WAL flush per batch is safe here.
      if (driver.backend === 'postgres') await tx.query('SET LOCAL synchronous_commit TO off');
      // Versions are taken in commit order: the lock is held only for the write, not for validation.
      await lockVersions(tx);
      const first = await reserveVersions(tx, writes.length);
      const ops: string[] = [];
      writes.forEach(({ rec, op }, i) => {
        (rec as { version: number }).version = first + i;
        ops.push(op);
      });
      const records = json.param((i) => `,"version":${first + i}}`);
      const res = await tx.query<{ op: ChangeOp; n: number }>(WRITE_SQL, [records, ops, now, runId]);
      for (const row of res.rows) {
        const n = toInt(row.n);
        if (row.op === 'create') counts.created += n;
        else if (row.op === 'update') counts.updated += n;
        else if (row.op === 'delete') counts.deleted += n;
        else if (row.op === 'undelete') counts.undeleted += n;
      }
    });
  }
  counts.unchanged = p.candidates.length - counts.created - counts.updated - counts.deleted - counts.undeleted;
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
    let planned: Planned;
    try {
      // Hashing, the stored-hash lookup and validation overlap the previous batch's write.
      planned = await planBatch(driver, prepare(raw, batchNo, total.total - total.duplicates));
    } catch (err) {
      await settle();
      if (err instanceof BatchRejectedError) {
        // committedBefore was computed before the in-flight batch finished: rebuild with the settled figure.
        throw new BatchRejectedError(err.validation, err.batch, err.position, total.total - total.duplicates);
      }
      throw err;
    }
    await settle();
    inFlight = writeBatch(driver, planned, opts.runId).then(
      (c) => {
        add(total, c);
        opts.onBatch?.({ ...total, batch: planned.p.batch });
      },
      (err) => {
        failure = err;
      },
    );
  }
  await settle();
  return total;
}
