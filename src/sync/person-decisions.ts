// The operator's decisions that a platform record is not a canonical person, as the identity matcher reads them.
// Both are rejected person match candidates naming the platform record in their source ref: `review separate`
// decides a candidate a sync proposed (the record was new, the other person proposed for it), `review split` writes
// one when it takes a record off the person the matcher had linked it to (split-person.ts). Before, a rejected
// candidate only stopped the pair being proposed again; the matcher itself never read it, so a record whose link was
// gone was linked to the same person again by its contact, SNILS or name and birth date.
import { naturalId, sourceScopedId } from '../model/ids.js';
import type { Store } from '../store/index.js';

/** The rule of the decision `review split` records. */
export const SPLIT_RULE = 'split_by_review';

export interface PlatformRecordKey {
  system: string;
  instance: string;
  sourceId: string;
}

/**
 * The canonical id a person record split off `personId` gets when the next sync makes it a person of its own: the
 * id a new record of that platform gets anyway (its platform-scoped id), unless the person holds that very id (it was
 * first made from that record) — then one derived from both, so the new person never overwrites the old one.
 */
export function splitOffId(key: PlatformRecordKey, personId: string): string {
  const own = sourceScopedId(key.system, key.instance, 'person', key.sourceId);
  return own === personId ? naturalId('person', 'split_off', key.system, key.instance, key.sourceId) : own;
}

/** The id of the decision on a pair: the id a sync's proposal of that pair has, so it is never proposed again. */
export const personDecisionId = (leftId: string, rightId: string) => naturalId('match_candidate', leftId, rightId);

export interface PersonDecisions {
  /** Platform id → the persons its record is not. */
  notThesePersons: Map<string, Set<string>>;
  /** Platform id → the id its record gets when it is new again (split records only). */
  splitOffAs: Map<string, string>;
}

/** The decisions on the person records of one platform instance. */
export async function personDecisionsOf(store: Store, system: string, instance: string): Promise<PersonDecisions> {
  const out: PersonDecisions = { notThesePersons: new Map(), splitOffAs: new Map() };
  for await (const r of store.iterate('match_candidate', { status: 'active' })) {
    if (r.entity !== 'match_candidate' || r.candidateEntity !== 'person' || r.decision !== 'rejected') continue;
    const src = r.sourceRefs[0];
    if (src?.system !== system || src.instance !== instance) continue;
    (out.notThesePersons.get(src.sourceId) ?? out.notThesePersons.set(src.sourceId, new Set()).get(src.sourceId)!).add(r.rightId);
    if (r.rule === SPLIT_RULE) out.splitOffAs.set(src.sourceId, r.leftId);
  }
  return out;
}
