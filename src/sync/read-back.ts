// Reading a platform back after a push, a migration or an import: the school's records as the platform
// now holds them, mapped with the crosswalk the syncs built (so equal data has equal canonical ids) and
// nothing stored. The migration reconciliation and the demo's table compare these with the store.
import type { Capability } from '../connectors/contract.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { MigrationSide } from './migrate.js';
import { mapResolvingCrosswalk } from './reference-resolver.js';
import { inStoredSlotOrder } from './slot-order.js';

export async function readBack(
  store: Store, side: Pick<MigrationSide, 'connector' | 'mapper' | 'run' | 'schoolSourceId'>, window: { from: string; to: string }, capabilities: Capability[],
): Promise<CanonicalRecord[]> {
  return (await readBackChecked(store, side, window, capabilities)).records;
}

/**
 * {@link readBack} that also says what it could not accept: a target record the mapper refuses (a third mark in a
 * cell, a value outside the scale) is not in `records`, so a comparison of `records` alone would not see it — the
 * caller counts `quarantined` as a difference.
 */
export async function readBackChecked(
  store: Store, side: Pick<MigrationSide, 'connector' | 'mapper' | 'run' | 'schoolSourceId'>, window: { from: string; to: string }, capabilities: Capability[],
): Promise<{ records: CanonicalRecord[]; quarantined: number; reasons: string[] }> {
  const batches = [];
  for await (const b of side.connector.readSchool({ schoolSourceId: side.schoolSourceId, ...window, capabilities })) batches.push(b);
  const { mapped } = await mapResolvingCrosswalk(store, side.mapper, batches, side.run);
  if (side.connector.declaration.slotsInColumnOrder) for (const m of mapped) await inStoredSlotOrder(store, m.records);
  const quarantine = mapped.flatMap((m) => m.quarantine);
  // Reasons up to their first colon: the rule or field, never the value (which may name a pupil).
  return { records: mapped.flatMap((m) => m.records), quarantined: quarantine.length, reasons: [...new Set(quarantine.map((q) => q.reason.split(':')[0]))] };
}
