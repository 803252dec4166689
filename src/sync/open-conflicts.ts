// Open conflicts (authority matrix, canonical-model.md §C.2) about a given set of records: what a migration plan of
// one school reports — not every open conflict of the region's store.
import type { Store } from '../store/index.js';

export async function openConflictsAbout(store: Store, recordIds: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for await (const c of store.iterate('conflict', { status: 'active' })) {
    if (c.entity === 'conflict' && !c.resolvedBy && recordIds.has(c.canonicalId)) n++;
  }
  return n;
}
