// Resolving platform ids to canonical ids for a whole read, in two mapping passes: the first pass
// records every (entity, platform id) a mapper asks about; one batched crosswalk lookup per entity
// answers them; the second pass maps again with the answers. Mappers stay pure.
import { mapBatch, type IdResolver, type Mapper, type MappedBatch } from '../connectors/mapping.js';
import type { PlatformBatch } from '../connectors/contract.js';
import type { EntityName, SourceSystem } from '../model/enums.js';
import type { Store } from '../store/index.js';

export interface RunIdentity {
  system: SourceSystem;
  instance: string;
  runId: string;
  mapperVersion: string;
}

/** Maps every batch once with a recording resolver; returns the (entity → platform ids) asked for. */
export function collectReferences(mapper: Mapper, batches: readonly PlatformBatch[], run: RunIdentity): Map<EntityName, Set<string>> {
  const asked = new Map<EntityName, Set<string>>();
  const resolve: IdResolver = (entity, sourceId) => {
    let set = asked.get(entity);
    if (!set) asked.set(entity, (set = new Set()));
    set.add(sourceId);
    return undefined;
  };
  for (const b of batches) mapBatch(mapper, b, { ...run, resolve });
  return asked;
}

/** Looks the asked ids up in the crosswalk: `entity|platformId` → canonical id. */
export async function lookUpCrosswalk(store: Store, run: RunIdentity, asked: Map<EntityName, Set<string>>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [entity, ids] of asked) {
    const found = await store.resolve(run.system, run.instance, entity, [...ids]);
    for (const [sid, cid] of found) out.set(`${entity}|${sid}`, cid);
  }
  return out;
}

export function resolverFrom(map: ReadonlyMap<string, string>): IdResolver {
  return (entity, sourceId) => map.get(`${entity}|${sourceId}`);
}

/**
 * Maps batches in read order. Records mapped earlier in the run answer later lookups (a mark names its
 * lesson only by platform id; the lesson's canonical id is known once its page was mapped): every
 * record's own source ref of this instance is learned as (entity, platform id) → canonical id.
 */
export function mapAll(mapper: Mapper, batches: readonly PlatformBatch[], run: RunIdentity, base?: IdResolver): MappedBatch[] {
  const learned = new Map<string, string>();
  const resolve: IdResolver = (entity, sourceId) => base?.(entity, sourceId) ?? learned.get(`${entity}|${sourceId}`);
  return batches.map((b) => {
    const mapped = mapBatch(mapper, b, { ...run, resolve });
    for (const r of mapped.records) {
      for (const ref of r.sourceRefs) {
        if (ref.system === run.system && ref.instance === run.instance) learned.set(`${r.entity}|${ref.sourceId}`, r.id);
      }
    }
    return mapped;
  });
}
