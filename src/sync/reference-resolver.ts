// Resolving platform ids to canonical ids for a whole read: a page is mapped with what the crosswalk has answered
// so far, the ids it asks for the first time are looked up in one query per entity, and the page is mapped again
// only when an answer differs (mapResolvingCrosswalk). mapAll maps with a fixed resolver (after identity matching).
// Mappers stay pure.
import { mapBatch, type IdResolver, type Mapper, type MappedBatch } from '../connectors/mapping.js';
import type { PlatformBatch } from '../connectors/contract.js';
import type { EntityName, SourceSystem } from '../model/enums.js';
import type { Store } from '../store/index.js';
import { IdTable, splitJoinedKey } from '../connectors/id-table.js';

export interface RunIdentity {
  system: SourceSystem;
  instance: string;
  runId: string;
  mapperVersion: string;
}

export function resolverFrom(map: ReadonlyMap<string, string>): IdResolver {
  const table = IdTable.fromJoined(map);
  return (entity, sourceId) => table.get(entity, sourceId);
}

/**
 * Maps batches in read order. Records mapped earlier in the run answer later lookups (a mark names its
 * lesson only by platform id; the lesson's canonical id is known once its page was mapped): every
 * record's own source ref of this instance is learned as (entity, platform id) → canonical id.
 */
export function mapAll(mapper: Mapper, batches: readonly PlatformBatch[], run: RunIdentity, base?: IdResolver): MappedBatch[] {
  const learned = new IdTable();
  const resolve: IdResolver = (entity, sourceId) => base?.(entity, sourceId) ?? learned.get(entity, sourceId);
  return batches.map((b) => {
    const mapped = mapBatch(mapper, b, { ...run, resolve });
    for (const r of mapped.records) {
      for (const ref of r.sourceRefs) {
        if (ref.system === run.system && ref.instance === run.instance) learned.set(r.entity, ref.sourceId, r.id);
      }
    }
    return mapped;
  });
}

/** What {@link mapResolvingCrosswalk} returns: the mapped batches, every id asked, and the crosswalk answers. */
export interface ResolvedMapping {
  mapped: MappedBatch[];
  asked: Map<EntityName, Set<string>>;
  /** `entity|platformId` → canonical id, for every asked id the crosswalk knows (plus `seed`). */
  crosswalk: Map<string, string>;
}

/**
 * The same answer as collectReferences → lookUpCrosswalk → mapAll, mapping each batch once in most cases: a batch
 * is mapped with what the crosswalk has answered so far; the ids it asked for the first time are looked up (one
 * query per entity), and only when the crosswalk answers one of them differently from what the mapper was given
 * is the batch mapped again. A school's pupils
 * and sections are asked by its first pages, so later pages map once — the two full passes doubled a sync's CPU.
 */
export async function mapResolvingCrosswalk(
  store: Pick<Store, 'resolve'>, mapper: Mapper, batches: readonly PlatformBatch[], run: RunIdentity, seed: ReadonlyMap<string, string> = new Map(),
): Promise<ResolvedMapping> {
  // The answers in both forms: `entity|id` keys for the caller, per entity for the lookups of every record.
  const crosswalk = new Map(seed);
  const known = IdTable.fromJoined(seed);
  const looked = new Map<EntityName, Set<string>>();
  const lookedIn = (entity: EntityName) => looked.get(entity) ?? looked.set(entity, new Set()).get(entity)!;
  for (const key of seed.keys()) {
    const [entity, sourceId] = splitJoinedKey(key);
    lookedIn(entity as EntityName).add(sourceId);
  }
  const asked = new Map<EntityName, Set<string>>();
  const learned = new IdTable();
  // Ids asked for the first time in this batch, with the answer the mapper got (learned in this run, or none).
  let fresh = new Map<EntityName, Map<string, string | undefined>>();
  const resolve: IdResolver = (entity, sourceId) => {
    let set = asked.get(entity);
    if (!set) asked.set(entity, (set = new Set()));
    set.add(sourceId);
    const answer = known.get(entity, sourceId) ?? learned.get(entity, sourceId);
    if (!lookedIn(entity).has(sourceId)) {
      let f = fresh.get(entity);
      if (!f) fresh.set(entity, (f = new Map()));
      f.set(sourceId, answer);
    }
    return answer;
  };
  const mapped: MappedBatch[] = [];
  for (const b of batches) {
    let m = mapBatch(mapper, b, { ...run, resolve });
    // A known id changes what the mapper writes (canonical ids): map again until no new id is asked.
    while (fresh.size > 0) {
      const ask = fresh;
      fresh = new Map();
      let changed = 0;
      for (const [entity, ids] of ask) {
        const found = await store.resolve(run.system, run.instance, entity, [...ids.keys()]);
        const seen = lookedIn(entity);
        for (const sid of ids.keys()) seen.add(sid);
        for (const [sid, cid] of found) {
          crosswalk.set(`${entity}|${sid}`, cid);
          known.set(entity, sid, cid);
          // The crosswalk usually confirms what this run learned (a lesson's natural id): no need to map again.
          if (ids.get(sid) !== cid) changed++;
        }
      }
      if (changed === 0) break;
      m = mapBatch(mapper, b, { ...run, resolve });
    }
    fresh.clear();
    for (const r of m.records) {
      for (const ref of r.sourceRefs) if (ref.system === run.system && ref.instance === run.instance) learned.set(r.entity, ref.sourceId, r.id);
    }
    mapped.push(m);
  }
  return { mapped, asked, crosswalk };
}
