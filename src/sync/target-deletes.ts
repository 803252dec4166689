// A mark or absence the grade push wrote into a push target, then deleted there by hand (a teacher on ЭПОС, say).
// Marks and attendance belong to the school's system of record (authority matrix, canonical-model.md §C.2 item 7):
// only its own read deletes one (journal-deletes.ts), so a record missing from a target is the target's
// disagreement, not a deletion. Before, the push never wrote it there again (its ledger row was confirmed) and nothing
// said the target lacked it. Now a target's read that covers the record's lesson and finds it gone:
// - names it in the run's summary and opens a `conflict` (field `status`, resolution `deleted_on_target`), so
//   `journal-gateway review` lists it: the matrix decides, the loser's value (deleted) is kept in the conflict;
// - puts the record on the target's push-again list under a tag made from that id and the run, and closes the link
//   to the id that is gone: the next push writes it there again, once (a later deletion of the copy written then is
//   found by another run, so a new tag). The next read finding it there closes the conflict (settled-conflicts.ts).
// Only what the read proves: a full, mapped answer (no quarantined page or record of a journal route that names no
// cell; a line naming its cell leaves that cell unjudged, partial-read.ts), the lesson returned by the read,
// a mark dated inside the read's days, its pupil listed in the lesson's group by this platform's own roster, and
// neither the record's id nor its platform id anywhere in the read — a cell the target renumbered (ЭПОС: the first of two marks deleted, the
// second read back as the first) is read under the record its platform id stands for (renumbered-marks.ts), so only
// the first is missing. An answer that lost more than the delete threshold's share of them judges none.
import { createHash } from 'node:crypto';
import type { EntityName } from '../model/enums.js';
import { naturalId } from '../model/ids.js';
import { buildRecord, type CanonicalRecord, type LessonRecord } from '../model/index.js';
import type { RouteDeclaration } from '../connectors/contract.js';
import type { MappedBatch } from '../connectors/mapping.js';
import type { Store } from '../store/index.js';
import { keepTag, requestPushAgainMany, WRITES_AGAIN_BEFORE_HOLDING } from './push-again.js';
import type { RunSummary } from './run-summary.js';
import type { RunIdentity } from './reference-resolver.js';
import { inReadDays, MissingTally, storedRecordsOfLessons } from './lesson-records.js';
import { schoolCanonicalId } from './roster-sync.js';
import type { HeldCells } from './held-cells.js';
import { readCompleteness } from './partial-read.js';

/** The resolution an open conflict about a record deleted on a push target carries (`review` lists it as its rule). */
export const DELETED_ON_TARGET = 'deleted_on_target';
/**
 * The resolution of one that vanished again after being written there again {@link WRITES_AGAIN_BEFORE_HOLDING} times:
 * it is not written again until an operator's `review keep` (a target that drops what it accepts, or a teacher who
 * deletes it there each time, would otherwise be given it every night for good).
 */
export const VANISHES_ON_TARGET = 'vanishes_on_target';
const GONE_TAG = 'gone-';
const ENTITIES: ReadonlySet<string> = new Set<EntityName>(['mark', 'attendance_record']);

export interface Vanished { entity: 'mark' | 'attendance_record'; id: string; sourceId: string }

export interface VanishedJudgement {
  vanished: Vanished[];
  /** The records judged: live, of the lessons and days read, linked here, last written here by the push. */
  scope: number;
  refused?: string;
}

/**
 * Of the stored records of the lessons read, those the push wrote here (`linked` to a platform id of this target and
 * `pushed`) that the read holds neither under their own id nor under their platform id.
 */
export function judgeVanished(input: {
  records: readonly CanonicalRecord[];
  linked: ReadonlyMap<string, string>;
  pushed: ReadonlySet<string>;
  /** `unmapped`: the cells of lines the read could not map (partial-read.ts): not judged, whatever they hold. */
  read: { ids: ReadonlySet<string>; sourceIds: ReadonlySet<string>; unmapped?: HeldCells };
  ranges: readonly { from: string; to: string }[];
  threshold: number;
}): VanishedJudgement {
  const inRead = inReadDays(input.ranges);
  const vanished: Vanished[] = [];
  const tally = new MissingTally();
  for (const r of input.records) {
    const sourceId = input.linked.get(r.id);
    if (!ENTITIES.has(r.entity) || r.status !== 'active' || !inRead(r) || sourceId === undefined || !input.pushed.has(r.id)) continue;
    // In a cell a line of the read could not map, or under the platform id a line names: not judged (partial-read.ts).
    if (input.read.unmapped?.has(r) || input.read.unmapped?.sourceIds.has(sourceId)) continue;
    const held = input.read.ids.has(r.id) || input.read.sourceIds.has(sourceId);
    tally.count(r.entity, !held);
    if (!held) vanished.push({ entity: r.entity as Vanished['entity'], id: r.id, sourceId });
  }
  const scope = tally.scope;
  // Over the threshold of the marks and absences together, or of either alone (an empty attendance answer).
  const over = tally.over(input.threshold);
  if (over) return { vanished: [], scope, refused: `${over.missing} of ${over.scope} ${over.entity ? `${over.entity} records` : 'marks and absences'} the push wrote into the lessons read are missing here ${over.share}: none is taken as deleted by hand this run` };
  return { vanished, scope };
}

/** Looks up what {@link judgeVanished} needs for the lessons a push target's read returned. */
export async function findVanished(store: Store, input: {
  run: RunIdentity; schoolId: string; lessons: readonly LessonRecord[];
  read: { ids: ReadonlySet<string>; sourceIds: ReadonlySet<string>; unmapped?: HeldCells };
  ranges: readonly { from: string; to: string }[]; threshold: number;
}): Promise<VanishedJudgement> {
  const { run } = input;
  const records = (await storedRecordsOfLessons(store, run, input.schoolId, input.lessons, { listedOnly: true })).filter((r) => ENTITIES.has(r.entity) && r.status === 'active');
  const linked = new Map<string, string>();
  const pushed = new Set<string>();
  for (const entity of ENTITIES) {
    const ids = records.filter((r) => r.entity === entity).map((r) => r.id);
    if (ids.length === 0) continue;
    const links = await store.sourceIdsFor(run.system, run.instance, entity, ids);
    for (const [id, sid] of links) linked.set(id, sid);
    // Written by the push (a migration's too): a record the push last deleted here, or never wrote, is not owed here.
    for (const [id, row] of await store.ledgerLastConfirmed(run.instance, entity, [...links.keys()])) if (row.op !== 'delete') pushed.add(id);
  }
  return judgeVanished({ records, linked, pushed, read: input.read, ranges: input.ranges, threshold: input.threshold });
}

/**
 * The push-again tag of a record written again after its copy with this platform id was found deleted by this run: one
 * write per copy lost. The run is in it because a platform may give the copy written again the same id (Дневник.ру's
 * emulator does: one mark per pupil, work and number), and a second deletion must be written again too.
 */
export const againTagFor = (sourceId: string, runId: string) => `${GONE_TAG}${createHash('sha256').update(`${sourceId}|${runId}`).digest('hex').slice(0, 12)}`;

/** Of the vanished records, those already written into this target again {@link WRITES_AGAIN_BEFORE_HOLDING} times. */
async function writtenAgainTooOften(store: Store, run: RunIdentity, vanished: readonly Vanished[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const entity of new Set(vanished.map((v) => v.entity))) {
    const ids = vanished.filter((v) => v.entity === entity).map((v) => v.id);
    for (const [id, n] of await store.ledgerAgainCounts(run.instance, entity, ids, GONE_TAG)) if (n >= WRITES_AGAIN_BEFORE_HOLDING) out.add(id);
  }
  return out;
}

/**
 * The system of record's value stands: each record's link to its vanished platform id is closed (the push then
 * creates it anew rather than addressing a mark that is gone) and it goes on this target's push-again list — unless
 * it was written there again too often already (held for an operator). Returns the conflicts to open, one per record,
 * and the ids held.
 */
export async function writeAgainWhereDeleted(store: Store, run: RunIdentity, organizationId: string, vanished: readonly Vanished[]): Promise<{ conflicts: CanonicalRecord[]; held: Set<string> }> {
  if (vanished.length === 0) return { conflicts: [], held: new Set() };
  const at = new Date().toISOString();
  const held = await writtenAgainTooOften(store, run, vanished);
  // The list first: a crash before the links are closed finds the deletions again (a new tag replaces the old one, so
  // the record is still written once); closed first, such a crash would leave them missing for good.
  await requestPushAgainMany(store, run, vanished.filter((v) => !held.has(v.id)).map((v) => ({ entity: v.entity, id: v.id, tag: againTagFor(v.sourceId, run.runId) })), run.runId);
  // In one statement, not one per record: a teacher clearing a column on the target vanishes a whole class's marks.
  await store.closeCrosswalkMany(vanished.map((v) => ({ system: run.system, instance: run.instance, entity: v.entity, sourceId: v.sourceId })), { at });
  const stored = await store.getMany(vanished.map((v) => v.id));
  const conflicts = vanished.map((v) => buildRecord('conflict', {
    conflictEntity: v.entity, canonicalId: v.id, field: 'status',
    values: [{ system: stored.get(v.id)?.provenance.system ?? 'gateway', value: 'active' }, { system: run.system, value: 'deleted' }],
    resolution: held.has(v.id) ? VANISHES_ON_TARGET : DELETED_ON_TARGET, organizationId,
  }, {
    // A hold gets an item of its own, made by the run that held it: with the deletion's id, an operator's earlier
    // decision about a deletion of the same record (the same values) hid it, and the record stayed off the target
    // with nothing to act on.
    id: held.has(v.id) ? naturalId('conflict', v.id, 'status', run.system, run.instance, VANISHES_ON_TARGET, run.runId) : naturalId('conflict', v.id, 'status', run.system, run.instance),
    sourceRefs: [{ system: run.system, instance: run.instance, sourceId: v.id, kind: 'conflict' }],
    provenance: { system: run.system, instance: run.instance, fetchedAt: at, payloadHash: 'deleted-on-target', runId: run.runId, mapperVersion: run.mapperVersion },
  }));
  return { conflicts, held };
}

/**
 * A push target's read judged: the records deleted there by hand written again, their conflicts (to open, unless an
 * operator decided the same before), and what the run's summary says. `held`: the records the read holds, a cell the
 * target renumbered read under the records its platform ids stand for (keyedByLink), refused by a rule or not.
 */
export async function deletedByHand(store: Store, input: {
  run: RunIdentity; schoolId: string; mapped: readonly MappedBatch[]; routes: readonly RouteDeclaration[]; lessons: readonly LessonRecord[]; held: readonly CanonicalRecord[];
  ranges: readonly { from: string; to: string }[]; threshold: number;
}): Promise<{ conflicts: CanonicalRecord[]; refused?: string; deletedOnTarget?: RunSummary['deletedOnTarget'] }> {
  const { run } = input;
  // A page or record of a journal route that could not be mapped and names no cell, or a paged list that shifted while
  // read: what the read lacks is not known to be gone. A line naming its cell leaves that cell unjudged only.
  const { partial, held: unmapped } = readCompleteness(input.mapped, input.routes);
  if (partial) return { conflicts: [], refused: `partial read (${partial}): no record is taken as deleted here by hand this run` };
  const sourceIds = new Set<string>();
  for (const m of input.mapped) {
    for (const r of m.records) {
      const ref = ENTITIES.has(r.entity) ? r.sourceRefs.find((x) => x.system === run.system && x.instance === run.instance) : undefined;
      if (ref) sourceIds.add(ref.sourceId);
    }
  }
  const judged = await findVanished(store, { run, schoolId: input.schoolId, lessons: input.lessons, read: { ids: new Set(input.held.map((r) => r.id)), sourceIds, unmapped }, ranges: input.ranges, threshold: input.threshold });
  const { conflicts, held } = await writeAgainWhereDeleted(store, run, schoolCanonicalId(input.schoolId), judged.vanished);
  if (judged.vanished.length === 0) return { conflicts, ...(judged.refused ? { refused: judged.refused } : {}) };
  // Ids and dates only (no names): the lesson's day, which is what a teacher looks for on the platform.
  const dayOf = new Map(input.lessons.map((l) => [l.id, l.date]));
  const stored = await store.getMany(judged.vanished.slice(0, 10).map((v) => v.id));
  const sample = judged.vanished.slice(0, 10).map((v) => {
    const day = dayOf.get((stored.get(v.id) as { lessonId?: string } | undefined)?.lessonId ?? '');
    return { entity: v.entity, id: v.id, ...(day ? { date: day } : {}) };
  });
  return { conflicts, deletedOnTarget: { count: judged.vanished.length, sample, ...(held.size > 0 ? { held: held.size } : {}) } };
}

/** Whether a conflict is about a record deleted on a push target (decided by {@link decideDeletionOnTarget}). */
export const isDeletionOnTarget = (c: { field: string; resolution?: string }) => c.field === 'status' && (c.resolution === DELETED_ON_TARGET || c.resolution === VANISHES_ON_TARGET);

/**
 * `review keep` of a deletion on a target acknowledges it: the record was put on the target's push-again list when
 * the deletion was found, and is written there again (or was); one held after vanishing too often is put on it now,
 * for one more write (`writeAgainTag`). `take` is refused: only the system of record deletes a mark or absence (a
 * target's deletion taken into the store would come back with the system of record's next read).
 */
export function decideDeletionOnTarget(c: { id: string; conflictEntity: string; resolution?: string; provenance: { instance: string } }, decision: 'keep' | 'take', runId: string): { message: string; writeAgainTag?: string } {
  const what = c.conflictEntity === 'mark' ? 'mark' : 'absence';
  if (decision === 'take') {
    throw new Error(`conflict ${c.id}: the ${what} was deleted on ${c.provenance.instance}, which is not the school's system of record: only the system of record deletes it (delete it there; the next journal sync and push remove it from every target)`);
  }
  if (c.resolution === VANISHES_ON_TARGET) {
    return {
      message: `kept: the system of record's ${what} stands; it kept vanishing from ${c.provenance.instance} after being written there again, and the next push writes it there once more`,
      writeAgainTag: keepTag(c.id, runId),
    };
  }
  return { message: `kept: the system of record's ${what} stands; the push writes it to ${c.provenance.instance} again (asked for when the deletion was found)` };
}
