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
 * The same answer as collectReferences → lookUpCrosswalk → mapAll, mapping most batches once, with few round trips.
 * A batch is mapped with what is known so far (the crosswalk's answers and the records this run has mapped). Ids it
 * asked for the first time are looked up in two ways:
 * - ids nothing answered yet (a pupil or section the run has not met) right away, and the batch is mapped again when
 *   the crosswalk knows them — so the batches after it are mapped with them;
 * - ids this run's own records answered (a lesson or work of an earlier page, which the crosswalk usually confirms)
 *   together after all batches, one query per entity — a night reads ~900 pages, and one look-up per page was a fifth
 *   of its time — and only the batches given an answer that changed are mapped again, until nothing changes.
 * A school's pupils and sections are asked by its first pages, so most pages map once — the two full passes doubled
 * a sync's CPU. `source` may be the read itself: its first round then maps each page as it arrives.
 */
export async function mapResolvingCrosswalk(
  store: Pick<Store, 'resolve'>, mapper: Mapper, source: readonly PlatformBatch[] | AsyncIterable<PlatformBatch>, run: RunIdentity, seed: ReadonlyMap<string, string> = new Map(),
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
  const given: Answers[] = [];
  let answers: Answers = new Map();
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
  /** Looks ids up (one query per entity); how many answers differ from what the mapper was given. */
  const lookUp = async (ids: Map<EntityName, Map<string, string | undefined>>): Promise<number> => {
    let changed = 0;
    for (const [entity, wanted] of ids) {
      const found = await store.resolve(run.system, run.instance, entity, [...wanted.keys()]);
      const seen = lookedIn(entity);
      for (const sid of wanted.keys()) seen.add(sid);
      for (const [sid, cid] of found) {
        crosswalk.set(`${entity}|${sid}`, cid);
        known.set(entity, sid, cid);
        if (wanted.get(sid) !== cid) changed++;
      }
    }
    return changed;
  };
  /** The ids of `a` not looked up yet, those given no answer or those given one. */
  const unlooked = (a: Answers, answered: boolean, into: Answers = new Map()): Answers => {
    for (const [entity, ids] of a) {
      const seen = lookedIn(entity);
      for (const [sid, answer] of ids) {
        if (seen.has(sid) || (answer !== undefined) !== answered) continue;
        let m = into.get(entity);
        if (!m) into.set(entity, (m = new Map()));
        m.set(sid, answer);
      }
    }
    return into;
  };
  const mapped: MappedBatch[] = [];
  /** Maps batch `i` with what is known, looking up the ids nothing answered yet; defers the ids the run answered. */
  const mapOne = async (i: number, deferred: Answers) => {
    answers = new Map();
    let m = mapBatch(mapper, batches[i], { ...run, resolve });
    for (let unanswered = unlooked(answers, false); unanswered.size > 0; unanswered = unlooked(answers, false)) {
      if ((await lookUp(unanswered)) === 0) break;
      answers = new Map();
      m = mapBatch(mapper, batches[i], { ...run, resolve });
    }
    mapped[i] = m;
    given[i] = answers;
    for (const r of m.records) {
      for (const ref of r.sourceRefs) if (ref.system === run.system && ref.instance === run.instance) learned.set(r.entity, ref.sourceId, r.id);
    }
    unlooked(answers, true, deferred);
  };
  // The first round maps each batch as it is read: mapping a page while the platform answers the next ones.
  const batches: PlatformBatch[] = [];
  const firstRound: Answers = new Map();
  for await (const b of source) await mapOne(batches.push(b) - 1, firstRound);
  await lookUp(firstRound);
  let pending = changedBatches(batches.length, given, current);
  for (let round = 2; pending.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new Error(`mapping ${run.system}/${run.instance}: the crosswalk's answers did not settle after ${MAX_ROUNDS} rounds of mapping`);
    const deferred: Answers = new Map();
    for (const i of pending) await mapOne(i, deferred);
    await lookUp(deferred);
    pending = changedBatches(batches.length, given, current);
  }
  return { mapped, asked, crosswalk };
}

type Answers = Map<EntityName, Map<string, string | undefined>>;

/** The batches whose mapping was given an answer that differs from what is known now: to be mapped again. */
function changedBatches(n: number, given: readonly Answers[], current: (entity: EntityName, sourceId: string) => string | undefined): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (changedSince(given[i], current)) out.push(i);
  return out;
}

/** Whether any answer a batch's mapping was given differs from what is known now. */
function changedSince(given: Answers, current: (entity: EntityName, sourceId: string) => string | undefined): boolean {
  for (const [entity, ids] of given) for (const [sid, answer] of ids) if (current(entity, sid) !== answer) return true;
  return false;
}
