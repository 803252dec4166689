// The union of every canonical record and helpers to build and validate them.
import * as z from 'zod';
import { ENVELOPE_KEYS, type Provenance, type SourceRef } from './envelope.js';
import type { EntityName } from './enums.js';
import { fastSchema } from './fast-schema.js';
import { canonicalJsonIn, canonicalJsonOf, contentHashIn, contentHashOf, keyOrder, type KeyOrder } from './hash.js';
import {
  AcademicSession, Enrollment, GuardianLink, HomeroomClass, Organization, Person, RoleAssignment, Section, Subject,
} from './entities/roster.js';
import { AttendanceRecord, FinalMark, Lesson, Mark, MarkScale, Work, WorkType } from './entities/journal.js';
import {
  ArchiveSnapshot, Conflict, JournalLock, MatchCandidate, OutboundOperation, SyncCursor, UnlockOrder,
} from './entities/governance.js';

export const ENTITY_SCHEMAS = {
  organization: Organization,
  academic_session: AcademicSession,
  person: Person,
  role_assignment: RoleAssignment,
  guardian_link: GuardianLink,
  homeroom_class: HomeroomClass,
  subject: Subject,
  section: Section,
  enrollment: Enrollment,
  lesson: Lesson,
  work_type: WorkType,
  work: Work,
  mark: Mark,
  mark_scale: MarkScale,
  final_mark: FinalMark,
  attendance_record: AttendanceRecord,
  journal_lock: JournalLock,
  unlock_order: UnlockOrder,
  archive_snapshot: ArchiveSnapshot,
  sync_cursor: SyncCursor,
  outbound_operation: OutboundOperation,
  match_candidate: MatchCandidate,
  conflict: Conflict,
} as const satisfies Record<EntityName, z.ZodType>;

export type RecordOf<E extends EntityName> = z.infer<(typeof ENTITY_SCHEMAS)[E]>;
export type CanonicalRecord = { [E in EntityName]: RecordOf<E> }[EntityName];

export type OrganizationRecord = RecordOf<'organization'>;
export type AcademicSessionRecord = RecordOf<'academic_session'>;
export type PersonRecord = RecordOf<'person'>;
export type RoleAssignmentRecord = RecordOf<'role_assignment'>;
export type GuardianLinkRecord = RecordOf<'guardian_link'>;
export type HomeroomClassRecord = RecordOf<'homeroom_class'>;
export type SubjectRecord = RecordOf<'subject'>;
export type SectionRecord = RecordOf<'section'>;
export type EnrollmentRecord = RecordOf<'enrollment'>;
export type LessonRecord = RecordOf<'lesson'>;
export type WorkTypeRecord = RecordOf<'work_type'>;
export type WorkRecord = RecordOf<'work'>;
export type MarkRecord = RecordOf<'mark'>;
export type MarkScaleRecord = RecordOf<'mark_scale'>;
export type FinalMarkRecord = RecordOf<'final_mark'>;
export type AttendanceRecordRecord = RecordOf<'attendance_record'>;
export type JournalLockRecord = RecordOf<'journal_lock'>;
export type UnlockOrderRecord = RecordOf<'unlock_order'>;

/**
 * The live (not deleted) records of a set, grouped by entity once, with a typed accessor: what an emulator's world
 * or an import package is built from.
 */
export function liveByEntity(records: Iterable<CanonicalRecord>): <E extends EntityName>(entity: E) => RecordOf<E>[] {
  const by = new Map<string, CanonicalRecord[]>();
  for (const r of records) {
    if (r.status === 'deleted') continue;
    const list = by.get(r.entity);
    if (list) list.push(r);
    else by.set(r.entity, [r]);
  }
  return <E extends EntityName>(entity: E) => (by.get(entity) ?? []) as RecordOf<E>[];
}

/** Business fields of a record: everything outside the envelope. */
export function businessFields(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in record) if (!ENVELOPE.has(k)) out[k] = record[k];
  return out;
}
/** Made once: reconciliation asks for the business fields of every record it compares. */
const ENVELOPE: ReadonlySet<string> = new Set<string>(ENVELOPE_KEYS);

export type Business<E extends EntityName> = Omit<z.input<(typeof ENTITY_SCHEMAS)[E]>, (typeof ENVELOPE_KEYS)[number]>;

export interface BuildOptions {
  id: string;
  sourceRefs: SourceRef[];
  provenance: Provenance;
  status?: 'active' | 'inactive' | 'deleted';
  ext?: Record<string, unknown>;
  /** Gateway write time; the store overwrites it. */
  updatedAt?: string;
}

/**
 * Builds a validated canonical record: applies schema defaults, computes the content hash over the
 * business fields, version 0 (the store assigns the gateway-global version on write).
 */
export function buildRecord<E extends EntityName>(entity: E, fields: Business<E>, opts: BuildOptions): RecordOf<E> {
  const draft = {
    entity,
    id: opts.id,
    status: opts.status ?? 'active',
    version: 0,
    updatedAt: opts.updatedAt ?? opts.provenance.fetchedAt,
    contentHash: '0'.repeat(64),
    sourceRefs: opts.sourceRefs,
    provenance: opts.provenance,
    ...(opts.ext ? { ext: opts.ext } : {}),
    ...fields,
  };
  const parsed = parseRecord(draft) as RecordOf<E>;
  (parsed as { contentHash: string }).contentHash = recomputeHash(parsed as unknown as Record<string, unknown>);
  return parsed;
}

export class RecordValidationError extends Error {
  constructor(
    readonly entity: string,
    readonly recordId: string | undefined,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${entity} ${recordId ?? '(no id)'}: ${issues.map((i) => `${i.path || '(record)'}: ${i.message}`).join('; ')}`);
    this.name = 'RecordValidationError';
  }
}

/** Validates any canonical record; throws RecordValidationError naming entity, id and fields. */
export function parseRecord(input: unknown): CanonicalRecord {
  const obj = (input ?? {}) as { entity?: unknown; id?: unknown };
  const entity = typeof obj.entity === 'string' ? obj.entity : undefined;
  const id = typeof obj.id === 'string' ? obj.id : undefined;
  if (!entity || !(entity in ENTITY_SCHEMAS)) {
    throw new RecordValidationError(String(entity ?? '(no entity)'), id, [
      { path: 'entity', message: `unknown entity "${String(entity)}"; expected one of ${Object.keys(ENTITY_SCHEMAS).join(', ')}` },
    ]);
  }
  const result = fastSchema(ENTITY_SCHEMAS[entity as EntityName] as z.ZodType).safeParse(input);
  if (!result.success) {
    throw new RecordValidationError(entity, id, result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return result.data as CanonicalRecord;
}

/** Per entity, its business keys in hash order: of whole records (envelope skipped), and of business fields alone. */
const recordOrders = new Map<string, KeyOrder>();
const businessOrders = new Map<string, KeyOrder>();
function orderOf(orders: Map<string, KeyOrder>, entity: unknown, skip: readonly string[]): KeyOrder | undefined {
  if (typeof entity !== 'string' || !(entity in ENTITY_SCHEMAS)) return undefined;
  let order = orders.get(entity);
  if (!order) {
    const shape = (ENTITY_SCHEMAS[entity as EntityName] as unknown as { shape?: Record<string, unknown> }).shape;
    if (!shape) return undefined;
    order = keyOrder(Object.keys(shape).filter((k) => !(ENVELOPE_KEYS as readonly string[]).includes(k)), skip);
    orders.set(entity, order);
  }
  return order;
}

/** Recomputes the content hash of a record (the store's authority; integrity after a round trip). */
export function recomputeHash(record: Record<string, unknown>): string {
  const order = orderOf(recordOrders, record.entity, ENVELOPE_KEYS);
  return order ? contentHashIn(record, order) : contentHashOf(businessFields(record));
}

/** Per entity and left-out fields, the business keys a projection hashes (see {@link projectionJson}). */
const projectionOrders = new Map<string, KeyOrder>();

/**
 * The canonical JSON of a whole record's business fields without `ignore`: the same text as that of
 * `businessFields(record)` with those keys deleted, written without the copy. A reconciliation compares both sides of
 * every record (a school-year is ~600,000): the copy with `delete` was most of that cost, and comparing the texts
 * spares hashing them (equal exactly where their hashes are).
 */
export function projectionJson(record: Record<string, unknown>, ignore: readonly string[]): string {
  const base = orderOf(recordOrders, record.entity, ENVELOPE_KEYS);
  if (!base) {
    const fields = businessFields(record);
    for (const f of ignore) delete fields[f];
    return canonicalJsonOf(fields);
  }
  if (ignore.length === 0) return canonicalJsonIn(record, base);
  const key = `${String(record.entity)}|${ignore.join(',')}`;
  let order = projectionOrders.get(key);
  if (!order) {
    order = keyOrder(base.keys.filter((k) => !ignore.includes(k)), [...ENVELOPE_KEYS, ...ignore]);
    projectionOrders.set(key, order);
  }
  return canonicalJsonIn(record, order);
}

/** The content hash of an entity's business fields (no envelope keys among them): what a mapper stamps. */
export function businessHash(entity: EntityName, business: Record<string, unknown>): string {
  const order = orderOf(businessOrders, entity, []);
  return order ? contentHashIn(business, order) : contentHashOf(business);
}
