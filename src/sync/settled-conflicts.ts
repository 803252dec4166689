// A disagreement that is gone is closed. A read of a platform that is not the system of record opens a conflict per
// field that differs (authority matrix); when a later read of that platform finds the stored value there — a push or
// a migration wrote it, the teacher put it back, the system of record changed to agree — nobody has anything left to
// decide. Before, such a conflict stayed in the review queue and in every migration plan's count for good.
// The closed conflict keeps its history (values, who found it); if the platform drifts again, the next read opens it
// again (conflict-decisions.ts treats `values_agree` as no decision).
// So is an operator's `keep` once the target agrees: the push carried it out. Before, the decision stood for good, and
// a teacher putting the same other value back on the target was taken as already decided — no review item, no write,
// the target kept the teacher's value. Now that is a new disagreement for the operator. (The decision stays in the
// change log.) A `take` stays: the store holds the taken value, and the system of record's next read must not put
// back the value turned down (conflict-decisions.ts). A deletion on a target has its own rule (target-deletes.ts).
import { businessFields, buildRecord, type CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';

/** The resolution of a conflict the gateway closed because the two platforms hold the same value again. */
export const VALUES_AGREE = 'values_agree';

type ConflictRecord = Extract<CanonicalRecord, { entity: 'conflict' }>;

/** An operator's `keep` of a value conflict: done once the target holds the stored value. */
const keptAndCarriedOut = (c: ConflictRecord) => c.resolution === 'kept_by_operator' && c.field !== 'status';

/**
 * The open conflicts of the school this platform's read raised earlier about `compared` records that it did not raise again
 * (`stillOpen`: this read's conflict ids), as records closed with `values_agree`.
 */
export async function settledConflicts(
  store: Store,
  run: { system: string; instance: string; runId: string },
  organizationId: string,
  compared: ReadonlySet<string>,
  stillOpen: ReadonlySet<string>,
): Promise<CanonicalRecord[]> {
  if (compared.size === 0) return [];
  const at = new Date().toISOString();
  const out: CanonicalRecord[] = [];
  // The school's conflicts only (filtered in the database): a region's store holds every school's, closed ones too.
  for await (const r of store.iterate('conflict', { status: 'active', organizationId })) {
    const c = r as ConflictRecord;
    if ((c.resolvedBy && !keptAndCarriedOut(c)) || !compared.has(c.canonicalId) || stillOpen.has(c.id)) continue;
    // Only what this platform instance raised: another platform's disagreement about the record stands.
    if (!c.sourceRefs.some((s) => s.system === run.system && s.instance === run.instance)) continue;
    out.push(buildRecord('conflict', { ...businessFields(c), resolution: VALUES_AGREE, resolvedBy: 'gateway' } as never, {
      id: c.id, sourceRefs: c.sourceRefs,
      provenance: { system: 'gateway', instance: run.instance, fetchedAt: at, payloadHash: 'settled', runId: run.runId, mapperVersion: 'settled-1' },
    }));
  }
  return out;
}
