// The canonical store's interface (DECISIONS.md §4, canonical-model.md §A.4, §A.5, §C.2). One implementation
// (canonical-store.ts) runs over PostgreSQL or PGlite through sql-driver.ts; open it with openStore().
import type { LeaseKey } from './leases.js';
import type { HeldLease } from './lease-keeper.js';
import type { CanonicalRecord, EntityName } from '../model/index.js';

export type RecordStatus = 'active' | 'inactive' | 'deleted';
export type ChangeOp = 'create' | 'update' | 'delete' | 'undelete' | 'keychange' | 'merge';
export type DeleteReason = 'source_tombstone' | 'snapshot_absent' | 'merged' | 'manual';

export interface UpsertOptions {
  /** Run that wrote the changes; goes to the change log. */
  runId: string;
  /** Rows per statement and per transaction (default 5,000). */
  batchSize?: number;
  /** Called after each committed batch (progress bars). */
  onBatch?: (progress: UpsertCounts & { batch: number }) => void;
}

/** Outcome of upsertMany, in the Canvas SisImportStatistic spirit. */
export interface UpsertCounts {
  /** Records read from the input. */
  total: number;
  created: number;
  /** Content hash or status changed (undeletes and deletes are counted separately). */
  updated: number;
  /** Same content hash and status: nothing written. */
  unchanged: number;
  /** Stored record was live, incoming one is a tombstone. */
  deleted: number;
  /** Stored record was a tombstone, incoming one is live. */
  undeleted: number;
  /** Earlier copies of an id repeated inside one batch (the last copy wins). */
  duplicates: number;
}

export interface DeleteOptions {
  reason: DeleteReason;
  /** Source tombstone id, or the run id of the diff that inferred the delete. */
  evidence?: string;
  runId: string;
  /** Defaults to now. */
  at?: string;
}

export interface ChangeLogEntry {
  version: number;
  entity: string;
  canonicalId: string;
  op: ChangeOp;
  at: string;
  runId: string | null;
  diff: unknown;
}

export interface ChangesOptions {
  /** Stop after this many entries (default: all). */
  limit?: number;
  entity?: string;
  /** Inclusive upper bound (EF-style maxChangeVersion); read it once with currentVersion() for a stable window. */
  maxVersion?: number;
  /** Rows fetched per query (default 1,000). */
  pageSize?: number;
}

/** Reference fields {@link Store.referencing} looks up (the SQL names them literally so the indexes apply). */
export type ReferenceField = 'homeroomClassId' | 'sectionId' | 'personId' | 'studentId' | 'guardianId' | 'leftId' | 'rightId'
  | 'scheduledTeacherId' | 'substituteTeacherId' | 'recordedBy' | 'classTeacherId' | 'lessonId';

export interface IterateOptions {
  status?: RecordStatus;
  /** Rows per keyset page (default 1,000). */
  batchSize?: number;
  /** Resume after this id (exclusive). */
  afterId?: string;
  /** Only records of this organization, and those of none (region-wide: shared subjects, work types). */
  organizationId?: string;
}

export interface EntityCounts {
  total: number;
  active: number;
  inactive: number;
  deleted: number;
}

export interface CrosswalkEntry {
  /** Row id; supersededBy points at another row's id. */
  id: number;
  entity: string;
  canonicalId: string;
  system: string;
  instance: string;
  sourceId: string;
  sourceIdKind: string;
  validFrom: string;
  validTo: string | null;
  supersededBy: number | null;
  matchRule: string | null;
  matchScore: number | null;
  createdRunId: string | null;
}

export interface CrosswalkLink {
  entity: string;
  canonicalId: string;
  system: string;
  instance: string;
  sourceId: string;
  sourceIdKind: string;
  matchRule?: string | null;
  matchScore?: number | null;
  validFrom?: string;
}

/** One platform link by its source key, as closeCrosswalkMany takes it. */
export interface CrosswalkKey {
  system: string;
  instance: string;
  entity: string;
  sourceId: string;
  /** The row that replaces it, as closeCrosswalk's `supersededBy`; none by default. */
  supersededBy?: number | null;
}

/**
 * A crosswalk row's source key alone, for closeCrosswalkMany: the row's own supersededBy is not passed on, so each
 * link is closed as closeCrosswalk closed it (superseded by nothing).
 */
export const sourceKeyOf = (x: CrosswalkEntry): CrosswalkKey => ({ system: x.system, instance: x.instance, entity: x.entity, sourceId: x.sourceId });

export interface LinkResult {
  /** New rows opened. */
  linked: number;
  /** Already open with the same canonical id (idempotent re-link). */
  existing: number;
}

export interface KeyChange {
  system: string;
  instance: string;
  entity: string;
  oldSourceId: string;
  newSourceId: string;
  /** Defaults to the old row's kind. */
  sourceIdKind?: string;
  runId: string;
  at?: string;
}

export interface SyncCursorState {
  system: string;
  instance: string;
  entity: string;
  kind: 'change_version' | 'date_last_modified' | 'snapshot_hash' | 'none';
  value: string | null;
  runId: string | null;
  lastSuccessAt: string | null;
  updatedAt: string;
}

export type SyncCursorInput = Omit<SyncCursorState, 'updatedAt' | 'runId' | 'lastSuccessAt'> & {
  runId?: string | null;
  lastSuccessAt?: string | null;
};

export type LedgerState = 'pending' | 'sent' | 'confirmed' | 'failed' | 'refused';

export interface LedgerEntry {
  idempotencyKey: string;
  target: string;
  entity: string;
  canonicalId: string;
  canonicalVersion: number;
  op: 'create' | 'update' | 'delete';
  state: LedgerState;
  targetId: string | null;
  /** What the operation wrote, hashed over the fields the target can hold (src/sync/pushed-content.ts). */
  pushedHash: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerBeginInput {
  target: string;
  entity: string;
  canonicalId: string;
  canonicalVersion: number;
  op: 'create' | 'update' | 'delete';
  /** Conventionally `target|entity|canonicalId|version` (ledgerKey()). */
  idempotencyKey: string;
  /** What the operation writes, hashed over the fields the target can hold (src/sync/pushed-content.ts). */
  pushedHash?: string;
}

export interface LedgerMarkInput {
  state: LedgerState;
  /** Stored as soon as the target returns it; a later mark without targetId keeps it. */
  targetId?: string;
  lastError?: string | null;
  /**
   * Count this mark as an attempt. Default: entering `sent` counts, and so does entering
   * `confirmed`/`failed`/`refused` straight from a state other than `sent`.
   */
  countAttempt?: boolean;
}

export interface Store {
  readonly backend: 'postgres' | 'pglite';

  // Canonical records
  /** Validates every record of a batch (parseRecord) before writing; a bad record rejects its whole batch. */
  upsertMany(records: Iterable<CanonicalRecord> | AsyncIterable<CanonicalRecord>, opts: UpsertOptions): Promise<UpsertCounts>;
  /** Gathers planner statistics of tables with many rows changed since the last (statistics.ts); the tables analyzed. */
  refreshStatistics(): Promise<string[]>;
  upsert(record: CanonicalRecord, opts: { runId: string }): Promise<UpsertCounts>;
  /** Tombstones a record (never a physical delete). Returns the new version, or null when it already was a tombstone. */
  deleteRecord(entity: EntityName, id: string, opts: DeleteOptions): Promise<number | null>;
  /** Tombstones many records of one entity in one statement; returns how many changed. */
  deleteMany(entity: EntityName, ids: string[], opts: DeleteOptions): Promise<number>;
  /** Brings a tombstone back (status active unless told otherwise). Returns the new version, or null when it was live. */
  undeleteRecord(entity: EntityName, id: string, opts: { runId: string; status?: 'active' | 'inactive' }): Promise<number | null>;
  get(id: string): Promise<CanonicalRecord | null>;
  getMany(ids: string[]): Promise<Map<string, CanonicalRecord>>;
  iterate(entity: EntityName, opts?: IterateOptions): AsyncIterable<CanonicalRecord>;
  /**
   * Active records of `entity` whose `field` holds one of `ids` (a school's sections by homeroom class, its
   * enrollments by section: indexed, migration 002).
   */
  referencing(entity: EntityName, field: ReferenceField, ids: readonly string[], opts?: { withDeleted?: boolean }): Promise<CanonicalRecord[]>;
  /**
   * Whether any active record of `entity` has `field` holding one of `ids`: {@link referencing}'s look-up, answered by
   * the index without reading a record (a first load's journal sync asks whether anything of the read lessons was
   * stored before it).
   */
  hasReferencing(entity: EntityName, field: ReferenceField, ids: readonly string[]): Promise<boolean>;
  /**
   * Active records of `entities` that belong to `organizationId` (its classes, terms, staff roles…), found through
   * the organization index: a school's few thousand, however many schools the store holds.
   */
  ofOrganization(organizationId: string, entities: readonly EntityName[]): Promise<CanonicalRecord[]>;
  count(entity?: EntityName, opts?: { status?: RecordStatus }): Promise<number>;
  /** Records per entity, tombstones included. */
  countsByEntity(): Promise<Record<string, number>>;
  /** Records per entity split by status. */
  countsByEntityStatus(): Promise<Record<string, EntityCounts>>;

  // Change log
  /** Entries with version > sinceVersion (exclusive: pass the last version you processed), in version order. */
  changesSince(sinceVersion: number, opts?: ChangesOptions): AsyncIterable<ChangeLogEntry>;
  /** Highest version in the change log (0 when empty). */
  currentVersion(): Promise<number>;

  // Crosswalk
  link(links: CrosswalkLink[], opts: { runId: string }): Promise<LinkResult>;
  resolve(system: string, instance: string, entity: string, sourceIds: string[]): Promise<Map<string, string>>;
  /** Every canonical id each platform id has stood for, open and closed rows, oldest first (ids never linked are absent). */
  linkHistory(system: string, instance: string, entity: string, sourceIds: readonly string[]): Promise<Map<string, string[]>>;
  closeCrosswalk(system: string, instance: string, entity: string, sourceId: string, opts: { at?: string; supersededBy?: number | null }): Promise<CrosswalkEntry | null>;
  /**
   * closeCrosswalk for many keys in one statement per 5,000 keys: the rows it closed, in the order of `keys` (a key
   * with no open row, or given twice, is closed once or not at all, as one by one). What a re-key closes (review merge,
   * moved lesson, a platform id kept across years) without a query per link.
   */
  closeCrosswalkMany(keys: readonly CrosswalkKey[], opts: { at?: string }): Promise<CrosswalkEntry[]>;
  changeKey(change: KeyChange): Promise<CrosswalkEntry>;
  crosswalkFor(canonicalId: string): Promise<CrosswalkEntry[]>;
  /**
   * The open rows of many canonical ids in one look-up (a query per 5,000 ids): canonical id → its open rows, oldest
   * first; an id with no open row is absent. What a re-key closes (review merge, moved lesson), without a query per record.
   */
  openCrosswalkFor(canonicalIds: readonly string[]): Promise<Map<string, CrosswalkEntry[]>>;
  /** Every row, open and closed, of many canonical ids in one look-up (as openCrosswalkFor): the ids a record was ever known by. */
  everyCrosswalkFor(canonicalIds: readonly string[]): Promise<Map<string, CrosswalkEntry[]>>;
  /** Reverse lookup for pushes: canonical id → the platform's id in (system, instance), open rows only. */
  sourceIdsFor(system: string, instance: string, entity: string, canonicalIds: string[]): Promise<Map<string, string>>;

  // Sync cursors
  getCursor(system: string, instance: string, entity: string): Promise<SyncCursorState | null>;
  setCursor(cursor: SyncCursorInput): Promise<SyncCursorState>;
  /** Adds or replaces entries of a cursor holding a JSON object, in one statement (cursors.ts). */
  mergeCursorEntries(system: string, instance: string, entity: string, entries: Record<string, unknown>, runId: string): Promise<void>;
  /** Removes entries of a cursor holding a JSON object, each only while it still holds the value given. */
  removeCursorEntries(system: string, instance: string, entity: string, entries: Record<string, unknown>, runId: string): Promise<void>;
  listCursors(): Promise<SyncCursorState[]>;
  /**
   * Runs `fn` holding the lease `key` (leases.ts): waits up to `waitMs` (default: one `ttlMs`, 60 s) for another
   * holder to finish or lapse, else throws {@link LeaseHeldError}; renews it while `fn` runs; gives it back after.
   * `fn` is handed the lease: work that must not overlap another holder's checks it before each write (lease-keeper.ts).
   */
  withLease<T>(key: LeaseKey, holder: string, fn: (lease: HeldLease) => Promise<T>, opts?: { ttlMs?: number; waitMs?: number }): Promise<T>;

  // Platform credentials (credentials.ts): what a platform issued that the next run needs (a rotated refresh token)
  loadCredential(instance: string, name: string): Promise<string | undefined>;
  saveCredential(instance: string, name: string, value: string): Promise<void>;

  // Outbound ledger
  /** Inserts the operation if its key is new; otherwise returns the existing row untouched. */
  ledgerBegin(input: LedgerBeginInput): Promise<{ entry: LedgerEntry; created: boolean }>;
  ledgerMark(idempotencyKey: string, mark: LedgerMarkInput): Promise<LedgerEntry>;
  /** ledgerBegin for many operations at once: every key's row, new or existing. */
  ledgerBeginMany(inputs: readonly LedgerBeginInput[]): Promise<Map<string, LedgerEntry>>;
  /** ledgerMark for many operations at once (default attempt counting). */
  ledgerMarkMany(marks: readonly { key: string; mark: LedgerMarkInput }[]): Promise<void>;
  ledgerGet(idempotencyKey: string): Promise<LedgerEntry | null>;
  /** The existing rows of these keys, read only. */
  ledgerGetMany(idempotencyKeys: readonly string[]): Promise<Map<string, LedgerEntry>>;
  ledgerByState(state: LedgerState, opts?: { target?: string; limit?: number }): Promise<LedgerEntry[]>;
  /** Per canonical id: the target's confirmed operation of the highest version (what the target last took from the gateway). */
  ledgerLastConfirmed(target: string, entity: string, canonicalIds: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /** Per canonical id: the highest version of the target's operations left `sent` or `failed` (may have reached it). */
  ledgerUnsettledVersions(target: string, entity: string, canonicalIds: readonly string[]): Promise<Map<string, number>>;
  /** Per canonical id: how many of the target's confirmed operations have `|again:<tagPrefix>` in their key. */
  ledgerAgainCounts(target: string, entity: string, canonicalIds: readonly string[], tagPrefix: string): Promise<Map<string, number>>;

  close(): Promise<void>;
}
