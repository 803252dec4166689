// What a migration's package stage leaves for its `--verify-import` (docs/migration.md "Into ЭлЖур"): the
// verification does not read the source again, so the count of source records the package stage's read could not
// accept (quarantined, so never in the package) would be forgotten, and a school that lost them was told "nothing
// lost". Kept in `sync_cursors`, one row per target instance and school, like the connectors' set-up answers
// (setup-cache.ts): counts, reasons and dates only, never personal data. Backed up and restored with the cursors.
import type { Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';

export interface PackageStageRecord {
  /** When the package stage started (UTC ISO). */
  at: string;
  /** The journal window it read and packaged. */
  window: { from: string; to: string };
  /** Source records its read quarantined: not in the package, so not in the target after the import. */
  notMigrated: number;
  quarantineReasons: string[];
  /** False when the target already held everything and no package was written. */
  packaged: boolean;
  /**
   * Why its source read refused the deletes it found (more missing than `sync.deleteThreshold`, a partial read): the
   * store, so the package and the verification's expectation, still holds records the source no longer does.
   */
  deletesRefused?: string;
}

const key = (schoolId: string) => `migration-package|${schoolId}`;

export async function recordPackageStage(store: Store, target: Pick<RunIdentity, 'system' | 'instance' | 'runId'>, schoolId: string, record: PackageStageRecord): Promise<void> {
  await store.setCursor({
    system: target.system, instance: target.instance, entity: key(schoolId), kind: 'none',
    value: JSON.stringify(record), runId: target.runId, lastSuccessAt: new Date().toISOString(),
  });
}

/** The school's last package stage into `target`, or undefined when none is recorded (or the row cannot be read). */
export async function packageStageOf(store: Store, target: Pick<RunIdentity, 'system' | 'instance'>, schoolId: string): Promise<PackageStageRecord | undefined> {
  const c = await store.getCursor(target.system, target.instance, key(schoolId));
  if (!c?.value) return undefined;
  try {
    const r = JSON.parse(c.value) as PackageStageRecord;
    return typeof r.notMigrated === 'number' && r.window ? r : undefined;
  } catch {
    return undefined;
  }
}
