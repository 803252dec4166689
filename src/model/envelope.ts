// The envelope every canonical record carries (canonical-model.md §A.1 and §A.5).
import * as z from 'zod';
import { Instant } from './dates.js';
import { DeleteReason, RecordStatus, SourceSystem } from './enums.js';

export const SourceRef = z.strictObject({
  system: SourceSystem,
  instance: z.string().min(1),
  sourceId: z.string().min(1),
  kind: z.string().min(1),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const Provenance = z.strictObject({
  system: SourceSystem,
  instance: z.string().min(1),
  fetchedAt: Instant,
  sourceModifiedAt: Instant.nullable().optional(),
  sourceVersion: z.string().nullable().optional(),
  payloadHash: z.string().min(1),
  runId: z.string().min(1),
  mapperVersion: z.string().min(1),
});
export type Provenance = z.infer<typeof Provenance>;

export const ENVELOPE_KEYS = [
  'id', 'entity', 'status', 'version', 'updatedAt', 'contentHash', 'sourceRefs', 'provenance',
  'deletedAt', 'deleteReason', 'deleteEvidence', 'ext',
] as const;

/** Envelope fields; `entity` is added per entity as a literal so the union can discriminate. */
export const envelopeShape = {
  id: z.uuid(),
  status: RecordStatus,
  version: z.number().int().nonnegative(),
  updatedAt: Instant,
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a hex SHA-256' }),
  sourceRefs: z.array(SourceRef),
  provenance: Provenance,
  deletedAt: Instant.nullable().optional(),
  deleteReason: DeleteReason.nullable().optional(),
  deleteEvidence: z.string().nullable().optional(),
  ext: z.record(z.string(), z.unknown()).optional(),
};

/** Builds an entity schema: envelope + business fields, with tombstone consistency checked. */
export function entitySchema<E extends string, S extends z.ZodRawShape>(entity: E, business: S) {
  return z
    .strictObject({ entity: z.literal(entity), ...envelopeShape, ...business })
    .superRefine((r, ctx) => {
      const rec = r as { status: string; deletedAt?: string | null; deleteReason?: string | null };
      if (rec.status === 'deleted' && (!rec.deletedAt || !rec.deleteReason)) {
        ctx.addIssue({ code: 'custom', path: ['deletedAt'], message: 'a tombstone needs deletedAt and deleteReason' });
      }
    });
}
