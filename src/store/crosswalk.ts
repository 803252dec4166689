// The crosswalk (ExternalId, canonical-model.md §A.4): (system, instance, entity, sourceId) → canonical id.
// Rows are never overwritten or deleted; at most one row per source key is open (valid_to IS NULL, enforced by a
// partial unique index). A key change closes the old row (validTo, supersededBy) and opens a new one.
import { CrosswalkConflictError, StoreError } from './errors.js';
import { lockVersions, type SqlDriver, type SqlExecutor } from './sql-driver.js';
import { chunks, inParts, partsInFlight, toIso, toIsoOrNull, toNum } from './sql-util.js';
import type { CrosswalkEntry, CrosswalkKey, CrosswalkLink, KeyChange, LinkResult } from './store.js';

const LOOKUP_BATCH = 5_000;
/**
 * Ids per look-up of open rows. Large: when a platform instance holds one school, a few thousand ids are ~1% of its
 * rows, and PostgreSQL answers by scanning the instance's rows with a hashed id list, whatever the list's length —
 * a night's ~150,000 ids took 30 such scans (6–8 s of a 1,000-pupil school's night) at 5,000 a query.
 */
const RESOLVE_BATCH = 50_000;

interface Row {
  id: unknown; entity: string; canonical_id: string; system: string; instance: string; source_id: string;
  source_id_kind: string; valid_from: unknown; valid_to: unknown; superseded_by: unknown; match_rule: string | null;
  match_score: unknown; created_run_id: string | null;
}

function fromRow(r: Row): CrosswalkEntry {
  return {
    id: toNum(r.id), entity: r.entity, canonicalId: r.canonical_id, system: r.system, instance: r.instance,
    sourceId: r.source_id, sourceIdKind: r.source_id_kind, validFrom: toIso(r.valid_from), validTo: toIsoOrNull(r.valid_to),
    supersededBy: r.superseded_by === null ? null : toNum(r.superseded_by), matchRule: r.match_rule,
    matchScore: r.match_score === null ? null : toNum(r.match_score), createdRunId: r.created_run_id,
  };
}

const keyOf = (l: { system: string; instance: string; entity: string; sourceId: string }) =>
  JSON.stringify([l.system, l.instance, l.entity, l.sourceId]);

const SRC = `jsonb_to_recordset($1::text::jsonb) AS s(entity text, canonical_id uuid, system text, instance text,
  source_id text, source_id_kind text, match_rule text, match_score double precision, valid_from timestamptz)`;

/**
 * Opens crosswalk rows. Re-linking an open key to the same canonical id is a no-op; to another one, an error. Each part
 * of {@link LOOKUP_BATCH} links is one transaction: a clash refuses its part, and parts already written stay.
 */
export async function link(driver: SqlDriver, links: CrosswalkLink[], runId: string): Promise<LinkResult> {
  const seen = new Map<string, string>();
  // Each key once: two parts in flight asking the same key would wait on each other's insert (a deadlock when each
  // also holds a key the other wants). A key asked again for the same record counts as existing, as it did.
  const unique: CrosswalkLink[] = [];
  for (const l of links) {
    const k = keyOf(l);
    const prev = seen.get(k);
    if (prev && prev !== l.canonicalId) throw new CrosswalkConflictError(l, prev, l.canonicalId);
    if (prev) continue;
    seen.set(k, l.canonicalId);
    unique.push(l);
  }
  const result: LinkResult = { linked: 0, existing: links.length - unique.length };
  const now = new Date().toISOString();
  await inParts(chunks(unique, LOOKUP_BATCH), partsInFlight(driver.backend), (part) => writePart(driver, part, now, runId, result));
  return result;
}

async function writePart(driver: SqlDriver, part: CrosswalkLink[], now: string, runId: string, result: LinkResult): Promise<void> {
  const json = JSON.stringify(part.map((l) => ({
    entity: l.entity, canonical_id: l.canonicalId, system: l.system, instance: l.instance, source_id: l.sourceId,
    source_id_kind: l.sourceIdKind, match_rule: l.matchRule ?? null, match_score: l.matchScore ?? null, valid_from: l.validFrom ?? null,
  })));
  await driver.transaction(async (tx) => {
    const ins = await tx.query<{ n: unknown }>(
      `WITH ins AS (
         INSERT INTO crosswalk (entity, canonical_id, system, instance, source_id, source_id_kind, valid_from, match_rule, match_score, created_run_id)
         SELECT entity, canonical_id, system, instance, source_id, source_id_kind, coalesce(valid_from, $2::timestamptz), match_rule, match_score, $3::text
         FROM ${SRC}
         ON CONFLICT (system, instance, entity, source_id) WHERE valid_to IS NULL DO NOTHING
         RETURNING 1)
       SELECT count(*) AS n FROM ins`,
      [json, now, runId],
    );
    const n = toNum(ins.rows[0]?.n ?? 0);
    // Only a key already open can clash: looked for when some were (a first load's links are all new), and a clash
    // throws, which rolls the insert back — nothing of the part is linked.
    if (n < part.length) {
      const clash = await tx.query<{ system: string; instance: string; entity: string; source_id: string; existing: string; requested: string }>(
        `SELECT s.system, s.instance, s.entity, s.source_id, c.canonical_id AS existing, s.canonical_id AS requested
         FROM ${SRC} JOIN crosswalk c ON c.system = s.system AND c.instance = s.instance AND c.entity = s.entity
           AND c.source_id = s.source_id AND c.valid_to IS NULL
         WHERE c.canonical_id <> s.canonical_id LIMIT 1`,
        [json],
      );
      const c = clash.rows[0];
      if (c) throw new CrosswalkConflictError({ ...c, sourceId: c.source_id }, c.existing, c.requested);
    }
    result.linked += n;
    result.existing += part.length - n;
  });
}

/** Batched lookup of open rows: sourceId → canonical id (ids with no open row are absent from the map). */
export async function resolve(driver: SqlExecutor, system: string, instance: string, entity: string, sourceIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(sourceIds)], RESOLVE_BATCH)) {
    const r = await driver.query<{ source_id: string; canonical_id: string }>(
      `SELECT source_id, canonical_id FROM crosswalk
       WHERE system = $1 AND instance = $2 AND entity = $3 AND valid_to IS NULL AND source_id = ANY($4::text[])`,
      [system, instance, entity, part],
    );
    for (const row of r.rows) out.set(row.source_id, row.canonical_id);
  }
  return out;
}

/**
 * Every canonical id a platform id has stood for (open and closed rows), oldest first, batched: what a platform id kept
 * across school years was linked to in an earlier year, once a later year's roster read re-linked it (other-year-ids.ts).
 * Year-scoped entities only (school-year-of.ts OF_A_YEAR): the clause repeats the predicate of store migration 008's
 * index, word for word, so the planner uses it; another entity answers nothing.
 */
export async function linkHistory(driver: SqlExecutor, system: string, instance: string, entity: string, sourceIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunks([...new Set(sourceIds)], LOOKUP_BATCH)) {
    const r = await driver.query<{ source_id: string; canonical_id: string }>(
      `SELECT source_id, canonical_id FROM crosswalk
       WHERE system = $1 AND instance = $2 AND entity = $3 AND source_id = ANY($4::text[])
         AND entity IN ('academic_session', 'subject', 'homeroom_class', 'section') ORDER BY id`,
      [system, instance, entity, part],
    );
    for (const row of r.rows) (out.get(row.source_id) ?? out.set(row.source_id, []).get(row.source_id)!).push(row.canonical_id);
  }
  return out;
}

/**
 * The reverse lookup a push needs: canonical id → the target platform's id (open rows only), batched.
 * Needs no index of its own beyond crosswalk_canonical_id.
 */
export async function sourceIdsFor(driver: SqlExecutor, system: string, instance: string, entity: string, canonicalIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(canonicalIds)], LOOKUP_BATCH)) {
    const r = await driver.query<{ source_id: string; canonical_id: string }>(
      `SELECT source_id, canonical_id FROM crosswalk
       WHERE canonical_id = ANY($4::uuid[]) AND system = $1 AND instance = $2 AND entity = $3 AND valid_to IS NULL`,
      [system, instance, entity, part],
    );
    for (const row of r.rows) out.set(row.canonical_id, row.source_id);
  }
  return out;
}

/** Closes the open row of a source key; returns it, or null when no row was open. */
export async function closeCrosswalk(
  driver: SqlExecutor, system: string, instance: string, entity: string, sourceId: string,
  opts: { at?: string; supersededBy?: number | null } = {},
): Promise<CrosswalkEntry | null> {
  const r = await driver.query<Row>(
    `UPDATE crosswalk SET valid_to = $5::timestamptz, superseded_by = $6::bigint
     WHERE system = $1 AND instance = $2 AND entity = $3 AND source_id = $4 AND valid_to IS NULL RETURNING *`,
    [system, instance, entity, sourceId, opts.at ?? new Date().toISOString(), opts.supersededBy ?? null],
  );
  return r.rows[0] ? fromRow(r.rows[0]) : null;
}

/**
 * {@link closeCrosswalk} for many source keys: one UPDATE per {@link LOOKUP_BATCH} keys instead of one per link (a
 * pupil merged with 2,000 marks, a day of lessons moved in a large school, closed thousands one query each). Same
 * effect per key — valid_to = `at` (one instant for the call, now by default), superseded_by = the key's
 * `supersededBy` or null, only a row still open — and the closed rows come back in the order of `keys`. A key given
 * twice is sent once: the second close of one by one finds nothing open.
 */
export async function closeCrosswalkMany(driver: SqlExecutor, keys: readonly CrosswalkKey[], opts: { at?: string } = {}): Promise<CrosswalkEntry[]> {
  const unique = new Map<string, CrosswalkKey>();
  for (const k of keys) if (!unique.has(keyOf(k))) unique.set(keyOf(k), k);
  if (unique.size === 0) return [];
  const at = opts.at ?? new Date().toISOString();
  const closed = new Map<string, CrosswalkEntry>();
  for (const part of chunks([...unique.values()], LOOKUP_BATCH)) {
    // The open-row condition and the partial unique index make each key match at most one row.
    const r = await driver.query<Row>(
      `UPDATE crosswalk c SET valid_to = $6::timestamptz, superseded_by = k.superseded_by
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS k(system, instance, entity, source_id, superseded_by)
       WHERE c.system = k.system AND c.instance = k.instance AND c.entity = k.entity AND c.source_id = k.source_id
         AND c.valid_to IS NULL
       RETURNING c.*`,
      [part.map((k) => k.system), part.map((k) => k.instance), part.map((k) => k.entity), part.map((k) => k.sourceId),
        part.map((k) => k.supersededBy ?? null), at],
    );
    for (const row of r.rows.map(fromRow)) closed.set(keyOf(row), row);
  }
  return [...unique.keys()].flatMap((k) => closed.get(k) ?? []);
}

/**
 * A source renamed an id (EF /keyChanges, Canvas change_sis_id): close the old row, open a new one for the same
 * canonical id, point the old row at it, fix the record's denormalised sourceRefs, and log a `keychange`.
 */
export async function changeKey(driver: SqlDriver, k: KeyChange): Promise<CrosswalkEntry> {
  const at = k.at ?? new Date().toISOString();
  return driver.transaction(async (tx) => {
    await lockVersions(tx);
    const old = await closeCrosswalk(tx, k.system, k.instance, k.entity, k.oldSourceId, { at });
    if (!old) throw new StoreError(`changeKey: no open crosswalk row for ${k.system}/${k.instance}/${k.entity}/${k.oldSourceId}`);
    const taken = await tx.query<{ canonical_id: string }>(
      `SELECT canonical_id FROM crosswalk WHERE system = $1 AND instance = $2 AND entity = $3 AND source_id = $4 AND valid_to IS NULL`,
      [k.system, k.instance, k.entity, k.newSourceId],
    );
    if (taken.rows[0]) {
      throw new CrosswalkConflictError({ ...k, sourceId: k.newSourceId }, taken.rows[0].canonical_id, old.canonicalId);
    }
    const ins = await tx.query<Row>(
      `INSERT INTO crosswalk (entity, canonical_id, system, instance, source_id, source_id_kind, valid_from, match_rule, match_score, created_run_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, 'keychange', NULL, $8) RETURNING *`,
      [k.entity, old.canonicalId, k.system, k.instance, k.newSourceId, k.sourceIdKind ?? old.sourceIdKind, at, k.runId],
    );
    const opened = fromRow(ins.rows[0]);
    await tx.query('UPDATE crosswalk SET superseded_by = $1 WHERE id = $2', [opened.id, old.id]);
    const v = await tx.query<{ version: unknown }>(
      `INSERT INTO change_log (version, entity, canonical_id, op, at, run_id, diff)
       VALUES (nextval('gateway_version_seq'), $1, $2, 'keychange', $3::timestamptz, $4,
               jsonb_build_object('system', $5::text, 'instance', $6::text, 'from', $7::text, 'to', $8::text))
       RETURNING version`,
      [k.entity, old.canonicalId, at, k.runId, k.system, k.instance, k.oldSourceId, k.newSourceId],
    );
    // The record keeps its id and content hash; its denormalised sourceRefs follow the crosswalk.
    await tx.query(
      `UPDATE canonical_records SET version = $2::bigint, updated_at = $3::timestamptz,
         record = jsonb_set(record, '{sourceRefs}', coalesce((
           SELECT jsonb_agg(CASE WHEN ref->>'system' = $4 AND ref->>'instance' = $5 AND ref->>'sourceId' = $6
                                 THEN jsonb_set(ref, '{sourceId}', to_jsonb($7::text)) ELSE ref END ORDER BY n)
           FROM jsonb_array_elements(record->'sourceRefs') WITH ORDINALITY AS e(ref, n)), '[]'::jsonb))
           || jsonb_build_object('version', $2::bigint, 'updatedAt', $8::text)
       WHERE id = $1`,
      [old.canonicalId, toNum(v.rows[0].version), at, k.system, k.instance, k.oldSourceId, k.newSourceId, new Date(at).toISOString()],
    );
    return opened;
  });
}

/** Every row (open and closed) for a canonical id, oldest first. */
export async function crosswalkFor(driver: SqlExecutor, canonicalId: string): Promise<CrosswalkEntry[]> {
  const r = await driver.query<Row>('SELECT * FROM crosswalk WHERE canonical_id = $1 ORDER BY id', [canonicalId]);
  return r.rows.map(fromRow);
}

/**
 * The open rows of many canonical ids at once: canonical id → its open rows, oldest first (ids with none are absent).
 * For re-keys that close every link of a set of records (a review merge, a moved lesson): one query per
 * {@link LOOKUP_BATCH} ids instead of one per record — a whole day moved in a 1,000-pupil school is thousands.
 */
export async function openCrosswalkFor(driver: SqlExecutor, canonicalIds: readonly string[]): Promise<Map<string, CrosswalkEntry[]>> {
  return crosswalkRowsFor(driver, canonicalIds, true);
}

/**
 * Every row, open and closed, of many canonical ids at once (as {@link openCrosswalkFor}): the platform ids a record
 * was ever known by — one a platform kept into a later school year has its link to the earlier year's record closed.
 */
export async function everyCrosswalkFor(driver: SqlExecutor, canonicalIds: readonly string[]): Promise<Map<string, CrosswalkEntry[]>> {
  return crosswalkRowsFor(driver, canonicalIds, false);
}

async function crosswalkRowsFor(driver: SqlExecutor, canonicalIds: readonly string[], openOnly: boolean): Promise<Map<string, CrosswalkEntry[]>> {
  const out = new Map<string, CrosswalkEntry[]>();
  for (const part of chunks([...new Set(canonicalIds)], LOOKUP_BATCH)) {
    const r = await driver.query<Row>(
      `SELECT * FROM crosswalk WHERE canonical_id = ANY($1::uuid[])${openOnly ? ' AND valid_to IS NULL' : ''} ORDER BY id`,
      [part],
    );
    for (const row of r.rows.map(fromRow)) (out.get(row.canonicalId) ?? out.set(row.canonicalId, []).get(row.canonicalId)!).push(row);
  }
  return out;
}
