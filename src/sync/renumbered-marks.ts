// A pupil's marks in one lesson, renumbered: by a platform that is not the system of record (keyedByLink), or by the
// system of record itself (freeRenumberedIds, below).
//
// Renumbered by a platform that is not the system of record. ЭПОС orders a cell's
// marks by creation, so when a teacher deletes the first of two there, the one left reads back as the first: the
// mapper gives it slot 1's canonical id, while its platform id still stands for the second in the crosswalk. Compared
// as the first, it opened conflicts on every field of it — its work among them — and `review take` then stored one
// pupil's mark for one work twice. Read back under the record its platform id stands for, it is that record as it
// was (no conflict), and the first is simply not there (what the push fills, not a disagreement).
//
// A mark a push left on the platform without a record (Дневник.ру: the first of two deleted while the cell was
// renumbered; the push names it «left on the target», mark-cells.ts) is read back too, and the platform's numbering
// gives it the id of a record whose own mark is another one. Compared with that record, it opened a conflict on every
// field of it on every read. Its id's link was closed by the push that wrote that record elsewhere: such a mark stands
// for no record, and is left out (it stays named in that push's summary until a teacher removes it).
import { buildRecord, businessFields, markId, type CanonicalRecord, type MarkRecord } from '../model/index.js';
import type { CrosswalkKey, CrosswalkLink, Store } from '../store/index.js';
import type { RunIdentity } from './reference-resolver.js';

/** The platform's marks keyed by the records their platform ids stand for, where the platform renumbered a cell. */
export async function keyedByLink(store: Store, run: RunIdentity, read: readonly CanonicalRecord[]): Promise<CanonicalRecord[]> {
  const ownId = (r: CanonicalRecord) => r.sourceRefs.find((x) => x.system === run.system && x.instance === run.instance)?.sourceId;
  const all = read.filter((r) => r.entity === 'mark' && ownId(r) !== undefined);
  if (all.length === 0) return [...read];
  const holders = await store.resolve(run.system, run.instance, 'mark', all.map((r) => ownId(r)!));
  const left = await leftBehind(store, run, all.filter((r) => !holders.has(ownId(r)!)) as MarkRecord[], ownId);
  const records = left.size > 0 ? read.filter((r) => !left.has(r)) : read;
  const marks = all.filter((r) => !left.has(r));
  const shifted = marks.filter((r) => { const h = holders.get(ownId(r)!); return h !== undefined && h !== r.id; });
  if (shifted.length === 0) return [...records];
  const stored = await store.getMany(shifted.map((r) => holders.get(ownId(r)!)!));
  const rekeyed = new Map<string, CanonicalRecord>();
  for (const r of shifted as MarkRecord[]) {
    const holder = stored.get(holders.get(ownId(r)!)!) as MarkRecord | undefined;
    // Only a renumbering within the same cell: the same pupil and lesson. Anything else stays a clash, reported.
    if (!holder || holder.status === 'deleted' || holder.studentId !== r.studentId || holder.lessonId !== r.lessonId) continue;
    rekeyed.set(r.id, buildRecord('mark', { ...businessFields(r), slot: holder.slot, retakeOfMarkId: holder.retakeOfMarkId } as never, {
      id: holder.id, status: r.status, sourceRefs: r.sourceRefs, provenance: r.provenance, ...(r.ext ? { ext: r.ext } : {}),
    }));
  }
  // The renumbered mark stands in for its own record; whatever else the read gave that id is left out (its own
  // platform id, if any, says which record it is).
  const taken = new Set([...rekeyed.values()].map((r) => r.id));
  return records.flatMap((r) => (rekeyed.has(r.id) ? [rekeyed.get(r.id)!] : taken.has(r.id) ? [] : [r]));
}

/**
 * Of the marks whose platform id stands for no record, those a push left behind: the record the read gives them is
 * linked to another mark of the platform, and their id was once linked to a mark of the same cell (closed since). A
 * mark a teacher entered on the platform by hand was never linked, and stays a clash, reported.
 */
async function leftBehind(store: Store, run: RunIdentity, unlinked: readonly MarkRecord[], ownId: (r: CanonicalRecord) => string | undefined): Promise<Set<CanonicalRecord>> {
  const out = new Set<CanonicalRecord>();
  if (unlinked.length === 0) return out;
  const linked = await store.sourceIdsFor(run.system, run.instance, 'mark', unlinked.map((r) => r.id));
  for (const r of unlinked) {
    const other = linked.get(r.id);
    if (other === undefined || other === ownId(r)) continue;
    const rows = (await Promise.all([1, 2].map((slot) => store.crosswalkFor(markId(r.studentId, r.lessonId, slot))))).flat();
    if (rows.some((x) => x.system === run.system && x.instance === run.instance && x.entity === 'mark' && x.sourceId === ownId(r) && x.validTo !== null)) out.add(r);
  }
  return out;
}

/**
 * The system of record's own cell renumbered. АСУ РСО numbers a pupil's marks on a lesson in its column order: a mark a
 * teacher adds in an earlier column becomes slot 1 and the mark that was there slot 2, under the platform id that still
 * stood for slot 1 in the crosswalk. The read is right (the system of record's numbering is the store's), but linking
 * that id to slot 2 clashed with slot 1's link, and every later journal sync quarantined it as a crosswalk conflict for
 * good. Of the mark links the system of record's read asks for, a platform id that stands for another mark of the same
 * pupil in the same lesson has that link closed, so the id is linked to the record it now stands for. Anything else
 * stays a clash (link-clashes.ts). Returns how many links were closed.
 */
export async function freeRenumberedIds(store: Store, run: Pick<RunIdentity, 'system' | 'instance'>, links: readonly CrosswalkLink[]): Promise<number> {
  const marks = links.filter((l) => l.entity === 'mark');
  if (marks.length === 0) return 0;
  const holders = await store.resolve(run.system, run.instance, 'mark', marks.map((l) => l.sourceId));
  const moved = marks.filter((l) => { const h = holders.get(l.sourceId); return h !== undefined && h !== l.canonicalId; });
  if (moved.length === 0) return 0;
  const records = await store.getMany([...new Set(moved.flatMap((l) => [l.canonicalId, holders.get(l.sourceId)!]))]);
  const closing: CrosswalkKey[] = [];
  for (const l of moved) {
    const wanted = records.get(l.canonicalId) as MarkRecord | undefined;
    const holder = records.get(holders.get(l.sourceId)!) as MarkRecord | undefined;
    if (!wanted || !holder || wanted.entity !== 'mark' || holder.entity !== 'mark') continue;
    if (holder.studentId !== wanted.studentId || holder.lessonId !== wanted.lessonId) continue;
    closing.push({ system: run.system, instance: run.instance, entity: 'mark', sourceId: l.sourceId });
  }
  // In one statement, not one per mark: a column added early in a lesson renumbers the marks of the whole class.
  await store.closeCrosswalkMany(closing, {});
  // Counted as before: every link asked to close (a link already closed, or asked twice, still counts).
  return closing.length;
}
