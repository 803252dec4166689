// The backup manifest (DECISIONS.md §8): what a backup holds and how to check it — schema version, counts,
// SHA-256 of every file, where it came from and who signed it. The manifest's own bytes are what the
// detached signature (manifest.sig) covers, so a file swapped or a count edited is caught either way.
import * as z from 'zod';

export const BACKUP_FORMAT = 'journal-gateway-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a lower-case hex SHA-256' });

export const ManifestFile = z.strictObject({
  /** Relative to the backup directory, forward slashes. */
  path: z.string().regex(/^[a-z0-9_-]+(\/[a-z0-9_-]+)*\.(ndjson\.gz|csv|html)$/, { error: 'expected a relative path to a .ndjson.gz, .csv or .html file' }),
  /** `records` (one canonical entity), one of the store's side tables, or a document of the yearly archive (R-31). */
  kind: z.enum(['records', 'table', 'document']),
  /** The entity, table or document name. */
  name: z.string().min(1),
  /** NDJSON lines (records, rows) or data rows of a document. */
  lines: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

const Counts = z.strictObject({ total: z.number().int(), active: z.number().int(), inactive: z.number().int(), deleted: z.number().int() });

export const Manifest = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  backupId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  kind: z.enum(['nightly_backup', 'class_journal', 'summary_sheet']),
  createdAt: z.iso.datetime({ offset: true }),
  /** Highest store migration applied when the backup was taken (restore refuses a newer one). */
  schemaVersion: z.number().int().positive(),
  source: z.strictObject({
    backend: z.enum(['postgres', 'pglite']),
    /** `store`: the whole canonical store; `school`/`homeroom_class`: a yearly archive document set (R-31). */
    scope: z.enum(['store', 'school', 'homeroom_class']),
    organizationId: z.uuid().optional(),
    homeroomClassId: z.uuid().optional(),
    schoolYear: z.number().int().optional(),
    schoolId: z.string().optional(),
    region: z.string().optional(),
    /** The store's change-log version the backup is consistent at. */
    storeVersion: z.number().int().nonnegative(),
    runId: z.string().min(1),
  }),
  /** Canonical records per entity and status; side-table rows per table. */
  counts: z.strictObject({
    records: z.record(z.string(), Counts),
    tables: z.record(z.string(), z.number().int().nonnegative()),
  }),
  files: z.array(ManifestFile).min(1),
  signer: z.strictObject({ kind: z.string().min(1), certificateHash: z.string().min(1) }),
});
export type Manifest = z.infer<typeof Manifest>;

/** Manifest bytes as written and signed: stable key order (the object is built in schema order), a final newline. */
export function manifestBytes(m: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 2)}\n`, 'utf8');
}

export class ManifestError extends Error {
  constructor(readonly where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'ManifestError';
  }
}

export function parseManifest(bytes: Buffer, where: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ManifestError(where, 'manifest.json is not JSON');
  }
  const r = Manifest.safeParse(json);
  if (!r.success) throw new ManifestError(where, `manifest.json: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}
