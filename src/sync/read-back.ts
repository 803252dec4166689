// Reading a platform back after a push, a migration or an import: the school's records as the platform
// now holds them, mapped with the crosswalk the syncs built (so equal data has equal canonical ids) and
// nothing stored. The migration reconciliation and the demo's table compare these with the store.
import type { Capability } from '../connectors/contract.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { MigrationSide } from './migrate.js';
import { mapResolvingCrosswalk } from './reference-resolver.js';

export async function readBack(
  store: Store, side: Pick<MigrationSide, 'connector' | 'mapper' | 'run' | 'schoolSourceId'>, window: { from: string; to: string }, capabilities: Capability[],
): Promise<CanonicalRecord[]> {
  const batches = [];
  for await (const b of side.connector.readSchool({ schoolSourceId: side.schoolSourceId, ...window, capabilities })) batches.push(b);
  const { mapped } = await mapResolvingCrosswalk(store, side.mapper, batches, side.run);
  return mapped.flatMap((m) => m.records);
}
