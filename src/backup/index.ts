// Backups and the yearly archive (DECISIONS.md §8, R-31…R-35; docs/backup.md).
export { exportStore, seal, schemaVersion, type ExportOptions, type ExportResult } from './export.js';
export { verifyBackup, type VerifyProblem, type VerifyResult } from './verify.js';
export { checkBackup, restoreBackup, restoreChecked, RestoreError, type CheckedBackup, type RestoreResult } from './restore.js';
export { runBackup, soleSchool, type BackupRun, type RunBackupOptions } from './run-backup.js';
export { checkDestinations, BackupConfigError, CopyVerificationError, type BackupDestination } from './destinations.js';
export { listSnapshots, getSnapshot, verifySnapshot, pruneSnapshot, pruneExpired, type CopyCheck, type PruneResult } from './catalog.js';
export { retainUntil, assertPrunable, RetentionError, RETENTION_YEARS } from './retention.js';
export { snapshotRecord, manifestHashOf, type ArchiveSnapshotRecord, type SnapshotCopy } from './snapshot-record.js';
export { Ed25519Signer, Ed25519Verifier, GostVerifier, type ArchiveSigner, type ArchiveVerifier } from './signer.js';
export { signerFromConfig, verifierFromConfig } from './keys.js';
export { yearlyArchive, yearlyArchiveGaps, type YearlyArchiveResult } from './yearly-archive.js';
export { nightlyBackup, formatBackupSummary, type NightlyBackupSummary } from './nightly-job.js';
export { Manifest, type ManifestFile } from './manifest.js';
