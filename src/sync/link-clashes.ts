// Linking the platform ids a journal read or a push brings to canonical records, when an id already stands for
// another record. One case is resolved here rather than reported: platform ids held by records of a person merged
// away (`review merge`). A platform that is not the system of record
// and sends no birth date (АСУ РСО, ЭлЖур) makes its pupils new people until an operator accepts the proposals; a
// journal sync before that stores that platform's marks as records of those people, each linked to its platform id.
// After the merge the same marks map onto the system of record's records, but their platform ids still stand for the
// old ones: every journal sync quarantined them as crosswalk conflicts, and a push into that platform failed. Such an
// old record is released here — its crosswalk rows closed, the record tombstoned as merged — so the platform id is
// linked to the record it now stands for. So is a platform id whose record is tombstoned already: a lesson the system
// of record moved to another day (moved-lessons.ts) and the target moved too, or the marks in its cells, which the
// target's read now finds under the moved lesson's keys. Nothing is pushed to a tombstone but its delete, and that
// delete would only clear the cell the new record is about to take. Any other clash stays a clash: moving a live
// record's link silently could misdirect a push.
import type { CanonicalRecord } from '../model/index.js';
import { sourceKeyOf, type CrosswalkLink, type Store } from '../store/index.js';

/**
 * Of the links a read or a push asks for, those to write: not the ones already there, and not one whose platform id
 * stands for another record — unless that record is this platform's own copy for a pupil merged away, which is
 * released first. Each remaining clash goes to `onClash` (counted in the run's summary); one clash must not stop the
 * run, and moving a link silently could misdirect later pushes.
 */
export async function linksToWrite(
  store: Store, at: { system: string; instance: string; runId: string }, links: readonly CrosswalkLink[], onClash: (link: CrosswalkLink) => void,
): Promise<CrosswalkLink[]> {
  const clear: CrosswalkLink[] = [];
  const clashing: { link: CrosswalkLink; holder: string }[] = [];
  for (const entity of new Set(links.map((l) => l.entity))) {
    const mine = links.filter((l) => l.entity === entity);
    const known = await store.resolve(at.system, at.instance, entity, mine.map((l) => l.sourceId));
    for (const l of mine) {
      const holder = known.get(l.sourceId);
      if (holder === undefined) clear.push(l);
      // Already linked (every record a nightly re-read brings again): nothing to write.
      else if (holder !== l.canonicalId) clashing.push({ link: l, holder });
    }
  }
  const clashes = clashing.map((c) => ({ entity: c.link.entity, sourceId: c.link.sourceId, holder: c.holder }));
  const released = await releaseMergedHolders(store, at, clashes);
  const rest = clashing.filter((c) => !released.has(`${c.link.entity}|${c.link.sourceId}`)).map((c) => ({ entity: c.link.entity, sourceId: c.link.sourceId, holder: c.holder, wanted: c.link.canonicalId }));
  for (const key of await releaseTombstonedHolders(store, at, rest)) released.add(key);
  for (const { link } of clashing) {
    if (released.has(`${link.entity}|${link.sourceId}`)) clear.push(link);
    else onClash(link);
  }
  return clear;
}

export interface Clash {
  entity: string;
  sourceId: string;
  /** The record the platform id is linked to now. */
  holder: string;
}

/** A record made from `instance`'s own read for a pupil who is no longer an active person (merged away). */
function madeForMergedPupil(r: CanonicalRecord | undefined, instance: string, people: ReadonlyMap<string, CanonicalRecord>): boolean {
  if (!r || r.status !== 'active' || r.provenance.instance !== instance) return false;
  const studentId = (r as { studentId?: unknown }).studentId;
  if (typeof studentId !== 'string') return false;
  const pupil = people.get(studentId);
  return !pupil || pupil.status !== 'active';
}

/**
 * Releases the clashes whose holder is a record this platform's read made for a pupil since merged away. Returns the
 * released clashes' keys (`entity|sourceId`); the caller links those platform ids as it meant to.
 */
export async function releaseMergedHolders(
  store: Store, at: { system: string; instance: string; runId: string }, clashes: readonly Clash[],
): Promise<Set<string>> {
  const released = new Set<string>();
  if (clashes.length === 0) return released;
  const holders = await store.getMany([...new Set(clashes.map((c) => c.holder))]);
  const pupils = [...holders.values()].map((r) => (r as { studentId?: unknown }).studentId).filter((x): x is string => typeof x === 'string');
  const people = await store.getMany([...new Set(pupils)]);
  const now = new Date().toISOString();
  const byEntity = new Map<string, string[]>();
  const mergedAway = clashes.filter((c) => madeForMergedPupil(holders.get(c.holder), at.instance, people));
  // Every link of every such holder closed in one look-up and one close, not two queries per clash.
  const open = await store.openCrosswalkFor(mergedAway.map((c) => c.holder));
  await store.closeCrosswalkMany([...new Set(mergedAway.map((c) => c.holder))].flatMap((id) => (open.get(id) ?? []).map(sourceKeyOf)), { at: now });
  for (const c of mergedAway) {
    (byEntity.get(c.entity) ?? byEntity.set(c.entity, []).get(c.entity)!).push(c.holder);
    released.add(`${c.entity}|${c.sourceId}`);
  }
  for (const [entity, ids] of byEntity) {
    await store.deleteMany(entity as CanonicalRecord['entity'], [...new Set(ids)], { reason: 'merged', evidence: 'pupil merged by review', runId: at.runId });
  }
  return released;
}

/**
 * Releases the clashes whose holder is tombstoned and whose wanted record is another platform's live record (the
 * system of record's, or one the gateway pushed): its link of this platform id is closed (its other links stay), and
 * the caller links the id to that record. Returns the released clashes' keys. A wanted record this platform's own read
 * made is never the reason: that is a tombstone's copy under another key (copiesOfTombstones).
 */
export async function releaseTombstonedHolders(
  store: Store, at: { system: string; instance: string }, clashes: readonly (Clash & { wanted: string })[],
): Promise<Set<string>> {
  const released = new Set<string>();
  if (clashes.length === 0) return released;
  const records = await store.getMany([...new Set(clashes.flatMap((c) => [c.holder, c.wanted]))]);
  const now = new Date().toISOString();
  const closing = clashes.filter((c) => {
    const wanted = records.get(c.wanted);
    return records.get(c.holder)?.status === 'deleted' && wanted?.status === 'active' && wanted.provenance.instance !== at.instance;
  });
  await store.closeCrosswalkMany(closing.map((c) => ({ system: at.system, instance: at.instance, entity: c.entity, sourceId: c.sourceId })), { at: now });
  for (const c of closing) released.add(`${c.entity}|${c.sourceId}`);
  return released;
}

/**
 * Of the records a read of a platform other than the system of record brings that the store does not hold live, those
 * whose own platform id stands for a tombstoned record: that record's copy read under another key (the system of record
 * moved a lesson and deleted its marks, and the target moved the lesson too). Stored, the copy came back to life
 * credited to this platform and no push deleted it there; left out, the push deletes it through that platform id.
 */
export async function copiesOfTombstones(store: Store, at: { system: string; instance: string }, records: readonly CanonicalRecord[]): Promise<Set<string>> {
  const out = new Set<string>();
  const byEntity = new Map<string, Map<string, string>>();
  for (const r of records) {
    const ref = r.sourceRefs.find((x) => x.system === at.system && x.instance === at.instance);
    if (ref) (byEntity.get(r.entity) ?? byEntity.set(r.entity, new Map()).get(r.entity)!).set(ref.sourceId, r.id);
  }
  for (const [entity, bySid] of byEntity) {
    const holders = await store.resolve(at.system, at.instance, entity, [...bySid.keys()]);
    const other = [...holders].filter(([sid, holder]) => holder !== bySid.get(sid));
    if (other.length === 0) continue;
    const found = await store.getMany([...new Set(other.map(([, h]) => h))]);
    for (const [sid, holder] of other) if (found.get(holder)?.status === 'deleted') out.add(bySid.get(sid)!);
  }
  return out;
}
