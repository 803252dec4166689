// Raw reads and writes of the store's tables for backup and restore. A restore must bring back the very
// rows a backup saw — versions, crosswalk row ids, change-log entries — so this talks SQL to the tables
// the store's migrations define instead of going through upsert (which would mint new versions).
import type { EntityName } from '../model/index.js';
import type { SqlExecutor } from '../store/index.js';
import { SCOPE_TABLE } from './school-scope.js';

/** The store tables a backup carries besides the canonical records, with their keyset order. */
export const SIDE_TABLES = {
  crosswalk: ['id'],
  change_log: ['version'],
  sync_cursors: ['system', 'instance', 'entity'],
  outbound_ledger: ['idempotency_key'],
} as const satisfies Record<string, readonly string[]>;
export type SideTable = keyof typeof SIDE_TABLES;
export const SIDE_TABLE_NAMES = Object.keys(SIDE_TABLES) as SideTable[];

const PAGE = 1_000;

/**
 * A school backup's limits (school-scope.ts): records whose id is in the scope table, side-table rows about
 * them, cursors of the school's platform instances. Absent: the whole store.
 */
export interface TableScope {
  instances: string[];
}

const IN_SCOPE = `EXISTS (SELECT 1 FROM ${SCOPE_TABLE} s WHERE s.entity = t.entity AND s.id = t.canonical_id)`;

/**
 * Rows of one query through a server-side cursor, a page at a time: one plan for the whole scan (a scoped
 * export's joins would otherwise be planned, and the scope hashed, again for every keyset page). Only
 * inside a transaction; the SQL must carry no parameters.
 */
async function* viaCursor<T>(tx: SqlExecutor, sql: string): AsyncGenerator<T> {
  const name = `backup_cursor_${cursorSeq++}`;
  await tx.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`);
  try {
    for (;;) {
      const r = await tx.query<T>(`FETCH ${PAGE} FROM ${name}`);
      for (const row of r.rows) yield row;
      if (r.rows.length < PAGE) return;
    }
  } finally {
    await tx.query(`CLOSE ${name}`);
  }
}
let cursorSeq = 0;

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Every record of one entity, tombstones included, in id order; keyset pages keep memory flat. */
export async function* recordsOf(tx: SqlExecutor, entity: EntityName, scope?: TableScope): AsyncGenerator<Record<string, unknown>> {
  if (scope) {
    const sql = `SELECT c.record FROM ${SCOPE_TABLE} s JOIN canonical_records c ON c.id = s.id WHERE s.entity = ${literal(entity)} ORDER BY s.id`;
    for await (const row of viaCursor<{ record: Record<string, unknown> }>(tx, sql)) yield row.record;
    return;
  }
  let after: string | null = null;
  const sql = `SELECT c.id, c.record FROM canonical_records c WHERE c.entity = $1 AND ($2::uuid IS NULL OR c.id > $2::uuid) ORDER BY c.id LIMIT $3`;
  for (;;) {
    const r: { rows: { id: string; record: Record<string, unknown> }[] } = await tx.query<{ id: string; record: Record<string, unknown> }>(sql, [entity, after, PAGE]);
    for (const row of r.rows) yield row.record;
    if (r.rows.length < PAGE) return;
    after = r.rows[r.rows.length - 1].id;
  }
}

/** Rows of a side table as their column-named JSON (to_jsonb), in key order. */
export async function* rowsOf(tx: SqlExecutor, table: SideTable, scope?: TableScope): AsyncGenerator<Record<string, unknown>> {
  const key = SIDE_TABLES[table];
  const cols = key.join(', ');
  if (scope && table !== 'sync_cursors') {
    for await (const { row } of viaCursor<{ row: Record<string, unknown> }>(tx, `SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${IN_SCOPE} ORDER BY ${cols}`)) yield row;
    return;
  }
  let last: unknown[] | null = null;
  // $1 page size, $2 the school's instances (always referenced, so both backends can type it), then the keyset position
  const scoped = !scope ? 'TRUE' : table === 'sync_cursors' ? 't.instance = ANY($2::text[])' : IN_SCOPE;
  for (;;) {
    const after = last ? `AND (${key.map((k) => `t.${k}`).join(', ')}) > (${key.map((_, i) => `$${i + 3}`).join(', ')})` : '';
    const r: { rows: { row: Record<string, unknown> }[] } = await tx.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${scoped} AND $2::text[] IS NOT NULL ${after} ORDER BY ${cols} LIMIT $1`,
      [PAGE, scope?.instances ?? [], ...(last ?? [])],
    );
    for (const { row } of r.rows) yield row;
    if (r.rows.length < PAGE) return;
    const end = r.rows[r.rows.length - 1].row;
    last = key.map((k) => end[k]);
  }
}

/** How many rows the store holds in each table a restore writes to: a restore only goes into an empty store. */
export async function tableSizes(tx: SqlExecutor): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['canonical_records', ...SIDE_TABLE_NAMES]) {
    const r = await tx.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${t}`);
    out[t] = Number(r.rows[0].n);
  }
  return out;
}

/** Inserts records exactly as saved: same version, status, content hash and update time. */
export async function insertRecords(tx: SqlExecutor, records: Record<string, unknown>[]): Promise<void> {
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO canonical_records (id, entity, status, version, updated_at, content_hash, organization_id, record)
     SELECT (r->>'id')::uuid, r->>'entity', r->>'status', (r->>'version')::bigint, (r->>'updatedAt')::timestamptz,
            r->>'contentHash', (r->>'organizationId')::uuid, r
     FROM jsonb_array_elements($1::text::jsonb) AS x(r)`,
    [JSON.stringify(records)],
  );
}

/**
 * Inserts side-table rows as saved. Crosswalk ids are kept (OVERRIDING SYSTEM VALUE); superseded_by points
 * at later rows, so it is written afterwards by linkSuperseded.
 */
export async function insertRows(tx: SqlExecutor, table: SideTable, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const body = table === 'crosswalk' ? rows.map((r) => ({ ...r, superseded_by: null })) : rows;
  await tx.query(
    `INSERT INTO ${table} ${table === 'crosswalk' ? 'OVERRIDING SYSTEM VALUE' : ''}
     SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::text::jsonb)`,
    [JSON.stringify(body)],
  );
}

/**
 * Writes supersededBy links; returns how many were written. A school backup can hold a row whose successor
 * belongs to another school's record (a merge across schools): that link is left empty, and counted.
 */
export async function linkSuperseded(tx: SqlExecutor, pairs: { id: number; supersededBy: number }[]): Promise<number> {
  if (pairs.length === 0) return 0;
  const r = await tx.query(
    `UPDATE crosswalk c SET superseded_by = p.s FROM jsonb_to_recordset($1::text::jsonb) AS p(i bigint, s bigint)
     WHERE c.id = p.i AND EXISTS (SELECT 1 FROM crosswalk x WHERE x.id = p.s)`,
    [JSON.stringify(pairs.map((p) => ({ i: p.id, s: p.supersededBy })))],
  );
  return r.rowCount;
}

/**
 * After a restore the sequences continue past the restored rows, so the next write gets a fresh version/id — and past
 * `storeVersion`, the source store's version when the backup was taken. A school backup holds that school's change log
 * only, while its push cursors (`change_version`) hold the region's store version at the last push: a sequence
 * restarted at the school's own highest version gave the next changes versions the push had already passed, and they
 * never reached the push target.
 */
export async function advanceSequences(tx: SqlExecutor, storeVersion = 0): Promise<void> {
  await tx.query(
    `SELECT setval('gateway_version_seq', greatest(
       (SELECT coalesce(max(version), 0) FROM canonical_records), (SELECT coalesce(max(version), 0) FROM change_log), $1::bigint, 1),
       (SELECT count(*) FROM canonical_records) + (SELECT count(*) FROM change_log) > 0 OR $1::bigint > 0)`,
    [storeVersion],
  );
  await tx.query(
    `SELECT setval(pg_get_serial_sequence('crosswalk', 'id'), greatest((SELECT coalesce(max(id), 0) FROM crosswalk), 1),
       (SELECT count(*) FROM crosswalk) > 0)`,
  );
}
