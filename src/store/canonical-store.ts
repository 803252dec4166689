// The Store over an SqlDriver: canonical records (here), bulk upsert (upsert.ts), change log, crosswalk,
// cursors and ledger (their own files). Same code for PostgreSQL and PGlite.
import type { CanonicalRecord } from '../model/index.js';
import { ENTITY_ORDER, type EntityName } from '../model/enums.js';
import * as changeLog from './change-log.js';
import * as crosswalk from './crosswalk.js';
import * as cursors from './cursors.js';
import { LeaseHeldError, StoreError } from './errors.js';
import { releaseLease, tryLease, type LeaseKey } from './leases.js';
import { keepLease, type HeldLease } from './lease-keeper.js';
import * as ledger from './ledger.js';
import { lockVersions, type SqlDriver, type SqlExecutor } from './sql-driver.js';
import { chunks, isUuid, toNum } from './sql-util.js';
import { refreshStaleStatistics } from './statistics.js';
import type {
  ChangeLogEntry, ChangesOptions, CrosswalkEntry, CrosswalkKey, CrosswalkLink, DeleteOptions, EntityCounts, IterateOptions, KeyChange,
  LedgerBeginInput, LedgerEntry, LedgerMarkInput, LedgerState, LinkResult, RecordStatus, ReferenceField, Store, SyncCursorInput,
  SyncCursorState, UpsertCounts, UpsertOptions,
} from './store.js';
import { upsertMany } from './upsert.js';
import { loadCredential, saveCredential } from './credentials.js';

const READ_BATCH = 5_000;
const ENTITY_NAMES: ReadonlySet<string> = new Set(ENTITY_ORDER);
const REFERENCE_FIELDS: ReadonlySet<string> = new Set<ReferenceField>([
  'homeroomClassId', 'sectionId', 'personId', 'studentId', 'guardianId', 'leftId', 'rightId',
  'scheduledTeacherId', 'substituteTeacherId', 'recordedBy', 'classTeacherId', 'lessonId',
]);

/** Entity and field are written into the reference look-ups' SQL: only the closed lists' names may go there. */
function assertReferenceLookup(entity: EntityName, field: ReferenceField): void {
  if (!REFERENCE_FIELDS.has(field) || !ENTITY_NAMES.has(entity)) throw new StoreError(`referencing: no lookup of ${entity} by ${field}`);
}

export class CanonicalStore implements Store {
  constructor(readonly driver: SqlDriver) {}

  get backend() {
    return this.driver.backend;
  }

  // ---- canonical records ----

  upsertMany(records: Iterable<CanonicalRecord> | AsyncIterable<CanonicalRecord>, opts: UpsertOptions): Promise<UpsertCounts> {
    return upsertMany(this.driver, records, opts);
  }

  refreshStatistics(): Promise<string[]> {
    return refreshStaleStatistics(this.driver);
  }

  upsert(record: CanonicalRecord, opts: { runId: string }): Promise<UpsertCounts> {
    return upsertMany(this.driver, [record], opts);
  }

  async deleteRecord(entity: EntityName, id: string, opts: DeleteOptions): Promise<number | null> {
    const versions = await this.tombstone(entity, [id], opts);
    if (versions.length > 0) return versions[0];
    if (!(await this.exists(entity, id))) throw new StoreError(`deleteRecord: no ${entity} ${id}`);
    return null;
  }

  async deleteMany(entity: EntityName, ids: string[], opts: DeleteOptions): Promise<number> {
    let n = 0;
    for (const part of chunks(ids, READ_BATCH)) n += (await this.tombstone(entity, part, opts)).length;
    return n;
  }

  /** Sets status=deleted, deletedAt, deleteReason, deleteEvidence on live records; one change-log row each. */
  private async tombstone(entity: EntityName, ids: string[], opts: DeleteOptions): Promise<number[]> {
    const at = new Date(opts.at ?? Date.now()).toISOString();
    const now = new Date().toISOString();
    const r = await this.inVersionedTx((tx) => tx.query<{ version: unknown }>(
      `WITH tgt AS (
         SELECT id FROM canonical_records WHERE entity = $1 AND id = ANY($2::uuid[]) AND status <> 'deleted' ORDER BY id FOR UPDATE
       ), v AS (SELECT id, nextval('gateway_version_seq') AS version FROM tgt),
       up AS (
         UPDATE canonical_records c SET status = 'deleted', version = v.version, updated_at = $3::timestamptz,
           record = c.record || jsonb_build_object('status', 'deleted', 'version', v.version, 'updatedAt', $3::text,
             'deletedAt', $4::text, 'deleteReason', $5::text, 'deleteEvidence', $6::text)
         FROM v WHERE c.id = v.id RETURNING c.id, c.entity, c.version)
       INSERT INTO change_log (version, entity, canonical_id, op, at, run_id, diff)
       SELECT version, entity, id, 'delete', $3::timestamptz, $7::text,
              jsonb_build_object('reason', $5::text, 'evidence', $6::text) FROM up
       RETURNING version`,
      [entity, ids.filter(isUuid), now, at, opts.reason, opts.evidence ?? null, opts.runId],
    ));
    return r.rows.map((row) => toNum(row.version));
  }

  async undeleteRecord(entity: EntityName, id: string, opts: { runId: string; status?: 'active' | 'inactive' }): Promise<number | null> {
    const now = new Date().toISOString();
    const status = opts.status ?? 'active';
    const r = await this.inVersionedTx((tx) => tx.query<{ version: unknown }>(
      `WITH v AS (
         SELECT id, nextval('gateway_version_seq') AS version FROM canonical_records
         WHERE entity = $1 AND id = $2::uuid AND status = 'deleted' FOR UPDATE
       ), up AS (
         UPDATE canonical_records c SET status = $3::text, version = v.version, updated_at = $4::timestamptz,
           record = (c.record - 'deletedAt' - 'deleteReason' - 'deleteEvidence')
             || jsonb_build_object('status', $3::text, 'version', v.version, 'updatedAt', $4::text)
         FROM v WHERE c.id = v.id RETURNING c.id, c.entity, c.version)
       INSERT INTO change_log (version, entity, canonical_id, op, at, run_id)
       SELECT version, entity, id, 'undelete', $4::timestamptz, $5::text FROM up
       RETURNING version`,
      [entity, id, status, now, opts.runId],
    ));
    if (r.rows[0]) return toNum(r.rows[0].version);
    if (!(await this.exists(entity, id))) throw new StoreError(`undeleteRecord: no ${entity} ${id}`);
    return null;
  }

  private inVersionedTx<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.driver.transaction(async (tx) => {
      await lockVersions(tx);
      return fn(tx);
    });
  }

  private async exists(entity: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const r = await this.driver.query('SELECT 1 FROM canonical_records WHERE id = $1 AND entity = $2', [id, entity]);
    return r.rows.length > 0;
  }

  async get(id: string): Promise<CanonicalRecord | null> {
    if (!isUuid(id)) return null;
    const r = await this.driver.query<{ record: CanonicalRecord }>('SELECT record FROM canonical_records WHERE id = $1', [id]);
    return r.rows[0]?.record ?? null;
  }

  async getMany(ids: string[]): Promise<Map<string, CanonicalRecord>> {
    const out = new Map<string, CanonicalRecord>();
    for (const part of chunks([...new Set(ids.filter(isUuid).map((i) => i.toLowerCase()))], READ_BATCH)) {
      const r = await this.driver.query<{ id: string; record: CanonicalRecord }>(
        'SELECT id, record FROM canonical_records WHERE id = ANY($1::uuid[])',
        [part],
      );
      for (const row of r.rows) out.set(row.id, row.record);
    }
    return out;
  }

  /** Keyset pagination on (entity[, status], id): memory stays flat whatever the table size. */
  async *iterate(entity: EntityName, opts: IterateOptions = {}): AsyncGenerator<CanonicalRecord> {
    const size = opts.batchSize ?? 1_000;
    let after: string | null = opts.afterId ?? null;
    const params: unknown[] = [entity, null, size];
    let filters = '';
    if (opts.status) filters += ` AND status = $${params.push(opts.status)}`;
    if (opts.organizationId) filters += ` AND (organization_id = $${params.push(opts.organizationId)}::uuid OR organization_id IS NULL)`;
    for (;;) {
      params[1] = after;
      const r: { rows: { id: string; record: CanonicalRecord }[] } = await this.driver.query<{ id: string; record: CanonicalRecord }>(
        after === null
          ? `SELECT id, record FROM canonical_records WHERE entity = $1 AND $2::uuid IS NULL${filters} ORDER BY id LIMIT $3`
          : `SELECT id, record FROM canonical_records WHERE entity = $1 AND id > $2::uuid${filters} ORDER BY id LIMIT $3`,
        params,
      );
      for (const row of r.rows) yield row.record;
      if (r.rows.length < size) return;
      after = r.rows[r.rows.length - 1].id;
    }
  }

  async referencing(entity: EntityName, field: ReferenceField, ids: readonly string[], opts: { withDeleted?: boolean } = {}): Promise<CanonicalRecord[]> {
    assertReferenceLookup(entity, field);
    const out: CanonicalRecord[] = [];
    // Entity and field written into the statement (both from closed lists): a partial expression index applies only
    // to a predicate the planner sees as written.
    for (const part of chunks([...new Set(ids)], 5_000)) {
      const r = await this.driver.query<{ record: CanonicalRecord }>(
        `SELECT record FROM canonical_records WHERE entity = '${entity}' AND record->>'${field}' = ANY($1::text[])${opts.withDeleted ? '' : ` AND status = 'active'`}`,
        [part],
      );
      for (const row of r.rows) out.push(row.record);
    }
    return out;
  }

  async hasReferencing(entity: EntityName, field: ReferenceField, ids: readonly string[]): Promise<boolean> {
    assertReferenceLookup(entity, field);
    for (const part of chunks([...new Set(ids)], 5_000)) {
      const r = await this.driver.query<{ one: unknown }>(
        `SELECT 1 AS one FROM canonical_records WHERE entity = '${entity}' AND record->>'${field}' = ANY($1::text[]) AND status = 'active' LIMIT 1`,
        [part],
      );
      if (r.rows.length > 0) return true;
    }
    return false;
  }

  async ofOrganization(organizationId: string, entities: readonly EntityName[]): Promise<CanonicalRecord[]> {
    if (!isUuid(organizationId)) throw new StoreError(`ofOrganization: "${organizationId}" is not an organization id`);
    const r = await this.driver.query<{ record: CanonicalRecord }>(
      `SELECT record FROM canonical_records WHERE organization_id = $1::uuid AND entity = ANY($2::text[]) AND status = 'active' ORDER BY id`,
      [organizationId, [...entities]],
    );
    return r.rows.map((row) => row.record);
  }

  async count(entity?: EntityName, opts: { status?: RecordStatus } = {}): Promise<number> {
    const r = await this.driver.query<{ n: unknown }>(
      `SELECT count(*) AS n FROM canonical_records WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR status = $2)`,
      [entity ?? null, opts.status ?? null],
    );
    return toNum(r.rows[0].n);
  }

  async countsByEntity(): Promise<Record<string, number>> {
    const detailed = await this.countsByEntityStatus();
    return Object.fromEntries(Object.entries(detailed).map(([e, c]) => [e, c.total]));
  }

  async countsByEntityStatus(): Promise<Record<string, EntityCounts>> {
    const r = await this.driver.query<{ entity: string; status: RecordStatus; n: unknown }>(
      'SELECT entity, status, count(*) AS n FROM canonical_records GROUP BY entity, status ORDER BY entity, status',
    );
    const out: Record<string, EntityCounts> = {};
    for (const row of r.rows) {
      const c = (out[row.entity] ??= { total: 0, active: 0, inactive: 0, deleted: 0 });
      c[row.status] = toNum(row.n);
      c.total += toNum(row.n);
    }
    return out;
  }

  // ---- change log ----

  changesSince(sinceVersion: number, opts?: ChangesOptions): AsyncIterable<ChangeLogEntry> {
    return changeLog.changesSince(this.driver, sinceVersion, opts);
  }

  currentVersion(): Promise<number> {
    return changeLog.currentVersion(this.driver);
  }

  // ---- crosswalk ----

  link(links: CrosswalkLink[], opts: { runId: string }): Promise<LinkResult> {
    return crosswalk.link(this.driver, links, opts.runId);
  }

  resolve(system: string, instance: string, entity: string, sourceIds: string[]): Promise<Map<string, string>> {
    return crosswalk.resolve(this.driver, system, instance, entity, sourceIds);
  }

  linkHistory(system: string, instance: string, entity: string, sourceIds: readonly string[]): Promise<Map<string, string[]>> {
    return crosswalk.linkHistory(this.driver, system, instance, entity, sourceIds);
  }

  closeCrosswalk(system: string, instance: string, entity: string, sourceId: string, opts: { at?: string; supersededBy?: number | null } = {}): Promise<CrosswalkEntry | null> {
    return crosswalk.closeCrosswalk(this.driver, system, instance, entity, sourceId, opts);
  }

  closeCrosswalkMany(keys: readonly CrosswalkKey[], opts: { at?: string } = {}): Promise<CrosswalkEntry[]> {
    return crosswalk.closeCrosswalkMany(this.driver, keys, opts);
  }

  changeKey(change: KeyChange): Promise<CrosswalkEntry> {
    return crosswalk.changeKey(this.driver, change);
  }

  sourceIdsFor(system: string, instance: string, entity: string, canonicalIds: string[]): Promise<Map<string, string>> {
    return crosswalk.sourceIdsFor(this.driver, system, instance, entity, canonicalIds);
  }

  crosswalkFor(canonicalId: string): Promise<CrosswalkEntry[]> {
    return crosswalk.crosswalkFor(this.driver, canonicalId);
  }

  openCrosswalkFor(canonicalIds: readonly string[]): Promise<Map<string, CrosswalkEntry[]>> {
    return crosswalk.openCrosswalkFor(this.driver, canonicalIds);
  }

  everyCrosswalkFor(canonicalIds: readonly string[]): Promise<Map<string, CrosswalkEntry[]>> {
    return crosswalk.everyCrosswalkFor(this.driver, canonicalIds);
  }

  // ---- sync cursors ----

  getCursor(system: string, instance: string, entity: string): Promise<SyncCursorState | null> {
    return cursors.getCursor(this.driver, system, instance, entity);
  }

  setCursor(cursor: SyncCursorInput): Promise<SyncCursorState> {
    return cursors.setCursor(this.driver, cursor);
  }

  mergeCursorEntries(system: string, instance: string, entity: string, entries: Record<string, unknown>, runId: string): Promise<void> {
    return cursors.mergeCursorEntries(this.driver, system, instance, entity, entries, runId);
  }

  removeCursorEntries(system: string, instance: string, entity: string, entries: Record<string, unknown>, runId: string): Promise<void> {
    return cursors.removeCursorEntries(this.driver, system, instance, entity, entries, runId);
  }

  loadCredential(instance: string, name: string): Promise<string | undefined> {
    return loadCredential(this.driver, instance, name);
  }

  saveCredential(instance: string, name: string, value: string): Promise<void> {
    return saveCredential(this.driver, instance, name, value);
  }

  async withLease<T>(key: LeaseKey, holder: string, fn: (lease: HeldLease) => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
    const ttlMs = opts.ttlMs ?? 60_000;
    const until = Date.now() + (opts.waitMs ?? ttlMs);
    let askedAt = Date.now();
    while (!(await tryLease(this.driver, key, holder, ttlMs))) {
      if (Date.now() >= until) {
        throw new LeaseHeldError(`${key.name} on ${key.instance} is held by another run; it is given back when that run ends, or lapses ${Math.round(ttlMs / 1000)} s after its holder stops`);
      }
      await new Promise((r) => setTimeout(r, Math.min(1_000, ttlMs / 4)));
      askedAt = Date.now();
    }
    // Renewed well within its time-to-live, so a long push keeps it; a dead holder stops renewing. `fn` is told when
    // the lease can no longer be counted on (lease-keeper.ts).
    const kept = keepLease(this.driver, key, holder, ttlMs, askedAt);
    try {
      return await fn(kept.lease);
    } finally {
      kept.stop();
      await releaseLease(this.driver, key, holder).catch(() => undefined);
    }
  }

  listCursors(): Promise<SyncCursorState[]> {
    return cursors.listCursors(this.driver);
  }

  // ---- outbound ledger ----

  ledgerBegin(input: LedgerBeginInput): Promise<{ entry: LedgerEntry; created: boolean }> {
    return ledger.ledgerBegin(this.driver, input);
  }

  ledgerMark(idempotencyKey: string, mark: LedgerMarkInput): Promise<LedgerEntry> {
    return ledger.ledgerMark(this.driver, idempotencyKey, mark);
  }

  ledgerBeginMany(inputs: readonly LedgerBeginInput[]): Promise<Map<string, LedgerEntry>> {
    return ledger.ledgerBeginMany(this.driver, inputs);
  }

  ledgerGetMany(keys: readonly string[]): Promise<Map<string, LedgerEntry>> {
    return ledger.ledgerGetMany(this.driver, keys);
  }

  ledgerMarkMany(marks: readonly { key: string; mark: LedgerMarkInput }[]): Promise<void> {
    return ledger.ledgerMarkMany(this.driver, marks);
  }

  ledgerGet(idempotencyKey: string): Promise<LedgerEntry | null> {
    return ledger.ledgerGet(this.driver, idempotencyKey);
  }

  ledgerByState(state: LedgerState, opts?: { target?: string; limit?: number }): Promise<LedgerEntry[]> {
    return ledger.ledgerByState(this.driver, state, opts);
  }

  ledgerLastConfirmed(target: string, entity: string, canonicalIds: readonly string[]): Promise<Map<string, LedgerEntry>> {
    return ledger.ledgerLastConfirmed(this.driver, target, entity, canonicalIds);
  }

  /** Per record, the highest version of its operations on `target` left `sent` or `failed`. */
  ledgerUnsettledVersions(target: string, entity: string, canonicalIds: readonly string[]): Promise<Map<string, number>> {
    return ledger.ledgerUnsettledVersions(this.driver, target, entity, canonicalIds);
  }

  /** How often each record was written into `target` again with an `|again:<tagPrefix>…` ledger key, confirmed. */
  ledgerAgainCounts(target: string, entity: string, canonicalIds: readonly string[], tagPrefix: string): Promise<Map<string, number>> {
    return ledger.ledgerAgainCounts(this.driver, target, entity, canonicalIds, tagPrefix);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
