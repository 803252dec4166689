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

/** Rounds of mapping after which the answers must have settled (a page's ids depend on others' a few levels deep). */
const MAX_ROUNDS = 12;

/**
 * The same answer as collectReferences → lookUpCrosswalk → mapAll, mapping each batch once in most cases. Every
 * batch is mapped with what is known so far (the crosswalk's answers, and the records this run has mapped); the ids
 * asked for the first time are then looked up together — one query per entity and 5,000 ids, not one per page: a
 * night reads ~900 pages and those round trips were a fifth of its time — and only the batches given an answer
 * that has changed since are mapped again (a crosswalk answer differing from what this run learned, or a record
 * this run learned that a re-mapped page now gives another id), until nothing changes. A school's pupils and
 * sections are asked by its first pages, so most pages map once — the two full passes doubled a sync's CPU.
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
  const current = (entity: EntityName, sourceId: string) => known.get(entity, sourceId) ?? learned.get(entity, sourceId);
  // Every answer each batch's mapping got, per entity: what decides whether it must be mapped again.
  const given: Map<EntityName, Map<string, string | undefined>>[] = [];
  let answers = new Map<EntityName, Map<string, string | undefined>>();
  const resolve: IdResolver = (entity, sourceId) => {
    let set = asked.get(entity);
    if (!set) asked.set(entity, (set = new Set()));
    set.add(sourceId);
    const answer = current(entity, sourceId);
    let a = answers.get(entity);
    if (!a) answers.set(entity, (a = new Map()));
    a.set(sourceId, answer);
    return answer;
  };
  const mapped: MappedBatch[] = [];
  let pending = batches.map((_, i) => i);
  for (let round = 1; pending.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new Error(`mapping ${run.system}/${run.instance}: the crosswalk's answers did not settle after ${MAX_ROUNDS} rounds of mapping`);
    const fresh = new Map<EntityName, Set<string>>();
    for (const i of pending) {
      answers = new Map();
      const m = mapBatch(mapper, batches[i], { ...run, resolve });
      mapped[i] = m;
      given[i] = answers;
      for (const r of m.records) {
        for (const ref of r.sourceRefs) if (ref.system === run.system && ref.instance === run.instance) learned.set(r.entity, ref.sourceId, r.id);
      }
      for (const [entity, ids] of answers) {
        const seen = lookedIn(entity);
        for (const sid of ids.keys()) if (!seen.has(sid)) (fresh.get(entity) ?? fresh.set(entity, new Set()).get(entity)!).add(sid);
      }
    }
    for (const [entity, ids] of fresh) {
      const found = await store.resolve(run.system, run.instance, entity, [...ids]);
      const seen = lookedIn(entity);
      for (const sid of ids) seen.add(sid);
      for (const [sid, cid] of found) {
        crosswalk.set(`${entity}|${sid}`, cid);
        known.set(entity, sid, cid);
      }
    }
    pending = [];
    for (let i = 0; i < batches.length; i++) {
      if (given[i] !== undefined && changedSince(given[i], current)) pending.push(i);
    }
  }
  return { mapped, asked, crosswalk };
}

/** Whether any answer a batch's mapping was given differs from what is known now. */
function changedSince(given: Map<EntityName, Map<string, string | undefined>>, current: (entity: EntityName, sourceId: string) => string | undefined): boolean {
  for (const [entity, ids] of given) for (const [sid, answer] of ids) if (current(entity, sid) !== answer) return true;
  return false;
}
