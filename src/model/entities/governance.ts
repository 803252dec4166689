// Governance records with no OneRoster/Ed-Fi equivalent (canonical-model.md §A.2.17).
import * as z from 'zod';
import { Instant, LocalDate } from '../dates.js';
import { entitySchema } from '../envelope.js';

const uuid = z.uuid();

export const JournalLock = entitySchema('journal_lock', {
  organizationId: uuid,
  scope: z.enum(['school', 'section']),
  sectionId: uuid.optional(),
  lockedThrough: LocalDate,
  rule: z.string().default('biweekly'),
  createdAt: Instant,
});

export const UnlockOrder = entitySchema('unlock_order', {
  orderNumber: z.string().min(1),
  orderDate: LocalDate,
  issuedBy: uuid,
  scope: z.strictObject({
    sectionIds: z.array(uuid).default([]),
    studentIds: z.array(uuid).default([]),
    from: LocalDate,
    to: LocalDate,
  }),
  validUntil: Instant,
  reason: z.string().min(1),
});

export const ArchiveSnapshot = entitySchema('archive_snapshot', {
  organizationId: uuid,
  schoolYear: z.number().int(),
  kind: z.enum(['class_journal', 'summary_sheet', 'nightly_backup']),
  homeroomClassId: uuid.optional(),
  createdAt: Instant,
  contentHash: z.string(),
  hashAlgorithm: z.string(),
  signature: z.string(),
  signerCertificate: z.string().optional(),
  retainUntil: LocalDate,
  copies: z.array(z.strictObject({
    medium: z.string(), siteRoom: z.string(), location: z.string().optional(), storedAt: Instant, verifiedAt: Instant.optional(),
    // Beyond the model's copy: the last check, passed or not, and when the last check failed (absent once a
    // later one passes). Optional, so records written before them still read.
    checkedAt: Instant.optional(), lastCheckFailedAt: Instant.optional(),
  })),
});

export const SyncCursor = entitySchema('sync_cursor', {
  system: z.string(),
  instance: z.string(),
  cursorEntity: z.string(),
  cursorKind: z.enum(['change_version', 'date_last_modified', 'snapshot_hash', 'none']),
  value: z.string().nullable(),
  overlap: z.string().optional(),
  lastSuccessAt: Instant.optional(),
  runId: z.string().optional(),
});

export const OutboundOperation = entitySchema('outbound_operation', {
  target: z.string(),
  targetEntity: z.string(),
  canonicalId: uuid,
  canonicalVersion: z.number().int(),
  op: z.enum(['create', 'update', 'delete']),
  idempotencyKey: z.string(),
  targetId: z.string().optional(),
  state: z.enum(['pending', 'sent', 'confirmed', 'failed', 'refused']),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
});

export const MatchCandidate = entitySchema('match_candidate', {
  candidateEntity: z.string(),
  leftId: uuid,
  rightId: uuid,
  rule: z.string(),
  score: z.number(),
  decision: z.enum(['pending', 'merged', 'rejected']),
  decidedBy: uuid.optional(),
  mergedInto: uuid.optional(),
  at: Instant,
  /** The school whose sync proposed it (its staff see it; the review queue of a region spans schools). */
  organizationId: uuid.optional(),
});

export const Conflict = entitySchema('conflict', {
  conflictEntity: z.string(),
  canonicalId: uuid,
  field: z.string(),
  values: z.array(z.strictObject({ system: z.string(), value: z.unknown(), sourceModifiedAt: Instant.optional() })),
  resolution: z.string().optional(),
  resolvedBy: z.string().optional(),
  /** The school whose sync found it (its staff see it). */
  organizationId: uuid.optional(),
});
