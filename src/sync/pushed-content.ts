// What a push target holds of a record, in a form the gateway's write and the target's read can both be hashed to. A
// disagreement between the system of record and a target is judged only on fields both can carry, that the target
// holds a value in, and that the target does not stamp itself (who wrote it, when); the same fields make the hash.
// Grade push keeps the hash of what it wrote in the ledger (`pushed_hash`); a later read of the target that finds that
// very content, while a newer version of the system of record waits for the next push, is not a conflict
// (journal-sync.ts): the nightly order reads every platform before it pushes, so each correction at the system of
// record otherwise opened a conflict on every target for a night.
import { uncarriedFields, unwritableFields } from '../connectors/registry.js';
import { canonicalJson, sha256Hex } from '../model/hash.js';
import { businessFields, type CanonicalRecord } from '../model/index.js';

/** An empty value is data not yet entered on a platform (what grade push will fill), not a competing value. */
export const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Fields a system-of-record record and a target's copy are not compared on. */
export function notCompared(sourceSystem: string, targetSystem: string, entity: string): Set<string> {
  return new Set([...uncarriedFields(sourceSystem, entity), ...uncarriedFields(targetSystem, entity), ...unwritableFields(targetSystem, entity)]);
}

/** SHA-256 of the record's non-empty business fields outside `ignore`, as canonical JSON. */
export function heldContentHash(record: CanonicalRecord, ignore: ReadonlySet<string>): string {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(businessFields(record))) if (!ignore.has(k) && !isEmpty(v)) kept[k] = v;
  return sha256Hex(canonicalJson(kept));
}
