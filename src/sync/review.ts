// The operator's review queue (issue 7): possible duplicate persons found by identity matching
// (never merged automatically) and conflicts between platforms (authority matrix). Listings carry ids,
// rules and scores only — the operator opens the records in the school's own system.
import { attendanceId, buildRecord, businessFields, finalMarkId, markId, type CanonicalRecord, type EntityName } from '../model/index.js';
import { sourceKeyOf, type CrosswalkEntry, type CrosswalkKey, type ReferenceField, type Store } from '../store/index.js';
import { UsageError } from '../infra/operator-errors.js';
import { mergedInto } from '../auth/merged-into.js';
import { carrySchoolDecisions } from './merge-parent-access.js';
import { repointTeacherRecords } from './merged-teacher.js';
import { keepTag, requestPushAgain } from './push-again.js';
import { decideDeletionOnTarget, isDeletionOnTarget } from './target-deletes.js';

export interface ReviewItem {
  kind: 'person_match' | 'conflict';
  id: string;
  rule: string;
  leftId: string;
  rightId?: string;
  field?: string;
  score?: number;
  at?: string;
  /** The school whose sync raised it; absent on items raised before items were tied to a school. */
  organizationId?: string;
}

/** The pending items; with `organizationId`, one school's only (an item raised before items had a school is the region's). */
export async function pendingReview(store: Store, opts: { organizationId?: string } = {}): Promise<ReviewItem[]> {
  const out: ReviewItem[] = [];
  const mine = (r: { organizationId?: string }) => opts.organizationId === undefined || r.organizationId === opts.organizationId;
  const school = (r: { organizationId?: string }) => (r.organizationId ? { organizationId: r.organizationId } : {});
  for await (const r of store.iterate('match_candidate', { status: 'active' })) {
    if (r.entity === 'match_candidate' && r.candidateEntity === 'person' && r.decision === 'pending' && mine(r)) {
      out.push({ kind: 'person_match', id: r.id, rule: r.rule, leftId: r.leftId, rightId: r.rightId, score: r.score, at: r.at, ...school(r) });
    }
  }
  for await (const r of store.iterate('conflict', { status: 'active' })) {
    if (r.entity === 'conflict' && !r.resolvedBy && mine(r)) out.push({ kind: 'conflict', id: r.id, rule: r.resolution ?? 'conflict', leftId: r.canonicalId, field: r.field, ...school(r) });
  }
  return out;
}

/** The provenance instance of a record an operator decided in `review`: grade push carries such records. */
export const REVIEW_INSTANCE = 'review';
/** The provenance of what an operator's `review` decision writes. */
export const reviewProvenance = (runId: string, at: string) => ({ system: 'gateway' as const, instance: REVIEW_INSTANCE, fetchedAt: at, payloadHash: 'review', runId, mapperVersion: 'review-1' });

function rebuild<R extends CanonicalRecord>(r: R, changes: Record<string, unknown>, runId: string, at: string): CanonicalRecord {
  return buildRecord(r.entity, { ...businessFields(r), ...changes } as never, {
    id: r.id, status: r.status === 'deleted' ? 'active' : r.status, sourceRefs: r.sourceRefs, provenance: reviewProvenance(runId, at), ...(r.ext ? { ext: r.ext } : {}),
  });
}

/**
 * `merge`: the newer person (left) becomes a tombstone merged into the known one (right); its platform ids
 * move to the winner in the crosswalk, so the next sync maps everything of that pupil onto one record.
 * `reject`: they stay two people and the pair is not proposed again.
 */
export async function decidePersonMatch(
  store: Store, id: string, decision: 'merge' | 'reject', runId: string, decidedBy?: string,
  /** The instance of the school's system of record, where known: its record wins where both people have one (rekeyJournal). */
  systemOfRecord?: string,
): Promise<string> {
  const at = new Date().toISOString();
  const c = await store.get(id);
  if (!c || c.entity !== 'match_candidate' || c.candidateEntity !== 'person') throw new UsageError(`no person match candidate ${id}`); // an id from the command line: exit 64
  if (c.decision !== 'pending') throw new Error(`candidate ${id} was already decided (${c.decision})`);
  if (decision === 'merge') await refuseMergingTwoRecordsOfOnePlatform(store, id, c.leftId, c.rightId);
  const decided = rebuild(c, { decision: decision === 'merge' ? 'merged' : 'rejected', at, ...(decision === 'merge' ? { mergedInto: c.rightId } : {}), ...(decidedBy ? { decidedBy } : {}) }, runId, at);
  await store.upsertMany([decided], { runId });
  if (decision === 'reject') return 'rejected: kept as two people';
  const rows = (await store.crosswalkFor(c.leftId)).filter((r) => r.validTo === null);
  await store.closeCrosswalkMany(rows.map(sourceKeyOf), { at });
  await store.link(rows.map((r) => ({ entity: r.entity, canonicalId: c.rightId, system: r.system, instance: r.instance, sourceId: r.sourceId, sourceIdKind: r.sourceIdKind, matchRule: 'merged_by_review' })), { runId });
  await carrySchoolDecisions(store, c.leftId, c.rightId, runId, at);
  await retireDependents(store, c.leftId, `${id} → ${c.rightId}`, runId, at);
  await rekeyJournal(store, c.leftId, c.rightId, `${id} → ${c.rightId}`, runId, at, systemOfRecord);
  await repointTeacherRecords(store, c.leftId, c.rightId, runId);
  await store.deleteRecord('person', c.leftId, { reason: 'merged', evidence: `${id} → ${c.rightId}`, runId });
  return `merged into ${c.rightId}: ${rows.length} platform id(s) moved; dependent records follow at the next sync`;
}

/**
 * A merge must not make one person of two records a platform lists side by side: a person linked to the other on
 * the same platform instance already is, there, someone else (twins, namesakes) — merging would show each family
 * the other child's marks. A candidate pairing a person with itself is refused too.
 */
async function refuseMergingTwoRecordsOfOnePlatform(store: Store, id: string, leftId: string, rightId: string): Promise<void> {
  if (leftId === rightId) throw new Error(`candidate ${id} pairs a person with itself: nothing to merge (reject it)`);
  // A proposal raised before the person was merged away by another decision: merging again moved nothing and recorded
  // a merge that never happened (their journal is with the person of the first merge).
  const left = await store.get(leftId) as { status?: string; deleteReason?: string | null } | null;
  if (left?.status === 'deleted' && left.deleteReason === 'merged') {
    const now = await mergedInto(store, leftId);
    throw new Error(`candidate ${id}: the person to merge was already merged into ${now ?? 'another person'}; not merged again (reject the candidate${now ? `, or review that person` : ''})`);
  }
  const right = await store.get(rightId);
  if (!right || right.status !== 'active') throw new Error(`candidate ${id}: the person to merge into is not active`);
  const open = async (pid: string) => (await store.crosswalkFor(pid)).filter((r) => r.validTo === null && r.entity === 'person');
  const rightOn = new Set((await open(rightId)).map((r) => `${r.system}|${r.instance}`));
  const both = (await open(leftId)).find((r) => rightOn.has(`${r.system}|${r.instance}`));
  if (both) throw new Error(`candidate ${id}: both people are linked on ${both.instance}, which lists them as two records — two people; not merged (reject the candidate, or end the wrong link on the platform first)`);
}

/** The person's records whose natural id contains the person: they are made again under the winner. */
export const PERSON_DEPENDENTS: [entity: 'role_assignment' | 'enrollment' | 'guardian_link', fields: ('personId' | 'studentId' | 'guardianId')[]][] = [
  ['role_assignment', ['personId']], ['enrollment', ['personId']], ['guardian_link', ['studentId', 'guardianId']],
];

/**
 * The ids of the person's records of `entity` (one of PERSON_DEPENDENTS), looked up by the person (indexed, store
 * migration 004): reading every one of them per merge made accepting a school's review queue quadratic.
 */
export async function dependentIdsOf(store: Store, entity: EntityName, fields: readonly ReferenceField[], personId: string): Promise<string[]> {
  return [...new Set((await Promise.all(fields.map((f) => store.referencing(entity, f, [personId])))).flat().map((r) => r.id))];
}

/**
 * Role assignments, enrollments and guardian links of the merged person have ids made from that person, so
 * the next sync makes them anew under the winner: the old ones become tombstones and their platform ids are
 * released (an open crosswalk row is never re-pointed, and would refuse the new record).
 */
async function retireDependents(store: Store, personId: string, evidence: string, runId: string, at: string): Promise<void> {
  for (const [entity, fields] of PERSON_DEPENDENTS) {
    const ids = await dependentIdsOf(store, entity, fields, personId);
    // Their links looked up and closed in one go each (not a query per record, nor per link).
    await store.closeCrosswalkMany([...(await store.openCrosswalkFor(ids)).values()].flat().map(sourceKeyOf), { at });
    if (ids.length) await store.deleteMany(entity, ids, { reason: 'merged', evidence, runId });
  }
}

/** The id a pupil's journal record has under another pupil; undefined when the record's own id is not made that way. */
function journalIdUnder(r: CanonicalRecord, studentId: string): string | undefined {
  const x = r as CanonicalRecord & { studentId?: string; lessonId?: string; slot?: number; sectionId?: string; kind?: string; periodId?: string };
  if (!x.studentId) return undefined;
  const [own, under] = r.entity === 'mark' && x.lessonId && x.slot !== undefined ? [markId(x.studentId, x.lessonId, x.slot), markId(studentId, x.lessonId, x.slot)]
    : r.entity === 'attendance_record' && x.lessonId ? [attendanceId(x.studentId, x.lessonId), attendanceId(studentId, x.lessonId)]
      : r.entity === 'final_mark' && x.sectionId && x.kind && x.periodId ? [finalMarkId(x.studentId, x.sectionId, x.kind, x.periodId), finalMarkId(studentId, x.sectionId, x.kind, x.periodId)]
        : [undefined, undefined];
  return own === r.id ? under : undefined;
}

/**
 * The merged person's marks, absences and final marks go to the winner at once: their ids contain the pupil, and a
 * journal read re-keys only what it reads again (a nightly: the recent days and a sweep slice; final marks around a
 * period's end). Left to the next sync, the system of record's older journal of a pupil merged away stayed under the
 * tombstone for up to a sweep cycle (final marks until the next period's end, past years for good): missing from the
 * parents' diary and the reports, and waiting for a push that could not place it. Each record is written under the
 * winner with its content and provenance, its platform ids linked to it, and the old one tombstoned as merged. Where
 * the winner has the same record already (the same mark read from two platforms), the system of record's content stays
 * (`systemOfRecord`) and the other's platform ids are linked to it; with the system of record unknown, such a record is
 * left to the next read of its platform (link-clashes.ts), as before.
 */
async function rekeyJournal(store: Store, loserId: string, winnerId: string, evidence: string, runId: string, at: string, systemOfRecord?: string): Promise<void> {
  for (const entity of ['mark', 'attendance_record', 'final_mark'] as const) {
    const old = (await store.referencing(entity, 'studentId', [loserId])).flatMap((r) => {
      const id = journalIdUnder(r, winnerId);
      return id ? [{ r, id }] : [];
    });
    if (old.length === 0) continue;
    // A retake names the pupil's first mark of its lesson (`retakeOfMarkId`), whose id contains the pupil too.
    const renamed = new Map(old.map((o) => [o.r.id, o.id]));
    const there = await store.getMany(old.map((o) => o.id));
    const ofSor = (r: CanonicalRecord | undefined) => systemOfRecord !== undefined && r?.provenance.instance === systemOfRecord;
    const moving: typeof old = [];
    const writes: CanonicalRecord[] = [];
    for (const o of old) {
      const w = there.get(o.id);
      if (w && (w.status !== 'active' || systemOfRecord === undefined)) continue;
      moving.push(o);
      // The winner's own record stands unless the merged one is the system of record's and the winner's is not.
      if (w && (ofSor(w) || !ofSor(o.r))) continue;
      const fields: Record<string, unknown> = { ...businessFields(o.r), studentId: winnerId };
      if (typeof fields.retakeOfMarkId === 'string') fields.retakeOfMarkId = renamed.get(fields.retakeOfMarkId) ?? fields.retakeOfMarkId;
      writes.push(buildRecord(entity, fields as never, {
        id: o.id, status: o.r.status, sourceRefs: o.r.sourceRefs, provenance: o.r.provenance, ...(o.r.ext ? { ext: o.r.ext } : {}),
      }));
    }
    if (moving.length === 0) continue;
    if (writes.length) await store.upsertMany(writes, { runId });
    const links = [];
    // The links of every moving record in one look-up and one close: a query per record (or per link) was fine for one
    // pupil, not a bulk merge. Closed before the winner's are opened, as each key can have one open row only.
    const open = await store.openCrosswalkFor(moving.map((o) => o.r.id));
    const closing = [];
    for (const { r, id } of moving) {
      for (const x of open.get(r.id) ?? []) {
        closing.push(sourceKeyOf(x));
        links.push({ entity: x.entity, canonicalId: id, system: x.system, instance: x.instance, sourceId: x.sourceId, sourceIdKind: x.sourceIdKind, matchRule: 'merged_by_review' });
      }
    }
    await store.closeCrosswalkMany(closing, { at });
    if (links.length) await store.link(links, { runId });
    await store.deleteMany(entity, moving.map((o) => o.r.id), { reason: 'merged', evidence, runId });
  }
}

/** `keep`: the stored value stays (recorded as the operator's decision); `take`: the other platform's value is applied. */
/**
 * Why `id` is not an open review item of the school (`organizationId`): `decided` (already decided), `elsewhere`
 * (another school's, or no such item); undefined when it is one. `review --school` decides only its own school's.
 */
export async function notOpenInSchool(store: Store, organizationId: string, id: string): Promise<'decided' | 'elsewhere' | undefined> {
  if ((await pendingReview(store, { organizationId })).some((r) => r.id === id)) return undefined;
  const item = await store.get(id) as { resolvedBy?: string; decision?: string } | null;
  return item && (item.resolvedBy || (item.decision && item.decision !== 'pending')) ? 'decided' : 'elsewhere';
}

export async function resolveConflict(store: Store, id: string, decision: 'keep' | 'take', runId: string, decidedBy = 'operator'): Promise<string> {
  const at = new Date().toISOString();
  const c = await store.get(id);
  if (!c || c.entity !== 'conflict') throw new UsageError(`no conflict ${id}`); // an id from the command line: exit 64
  if (c.resolvedBy) throw new Error(`conflict ${id} was already resolved by ${c.resolvedBy}`);
  // A record deleted on a push target by hand: already on its way back there; only the system of record deletes it.
  if (isDeletionOnTarget(c)) {
    const { message, writeAgainTag } = decideDeletionOnTarget(c, decision, runId);
    // The write asked for first: a crash before the decision is stored leaves the item open, to decide again.
    if (writeAgainTag) await requestPushAgain(store, { system: c.provenance.system, instance: c.provenance.instance }, c.conflictEntity as 'mark' | 'attendance_record', c.canonicalId, writeAgainTag, runId);
    await store.upsertMany([rebuild(c, { resolution: 'kept_by_operator', resolvedBy: decidedBy }, runId, at)], { runId });
    return message;
  }
  // A mark's value is several fields (raw, base, modifier, numeric): deciding one of them would leave it half decided
  // («2» with the numeric value of «4-»), so every open conflict of the record from that platform is decided at once.
  const from = c.values[c.values.length - 1].system;
  const siblings: typeof c[] = [];
  for await (const r of store.iterate('conflict', { status: 'active' })) {
    if (r.entity === 'conflict' && r.canonicalId === c.canonicalId && !r.resolvedBy && r.values[r.values.length - 1].system === from) siblings.push(r);
  }
  const decided = siblings.some((x) => x.id === c.id) ? siblings : [c, ...siblings];
  if (decision === 'keep') {
    // The stored value stands, so the platform that holds another is given it again by the next push (the ledger has
    // it as sent there). Before, the target kept the other value for good, and the decision hid the disagreement.
    // The write asked for first, as for a deletion above: a crash between the two leaves the conflict open, to decide
    // again. The other way round, a decision stored without its write hid the disagreement for good (the target kept
    // the other value, and a decided conflict is not raised again).
    const writesAgain = c.conflictEntity === 'mark' || c.conflictEntity === 'attendance_record';
    if (writesAgain) await requestPushAgain(store, { system: c.provenance.system, instance: c.provenance.instance }, c.conflictEntity as 'mark' | 'attendance_record', c.canonicalId, keepTag(c.id, runId), runId);
    await store.upsertMany(decided.map((x) => rebuild(x, { resolution: 'kept_by_operator', resolvedBy: decidedBy }, runId, at)), { runId });
    const fields = decided.length > 1 ? ` (${decided.map((x) => x.field).sort().join(', ')})` : '';
    return writesAgain ? `kept the stored value${fields}; the next push writes it to ${c.provenance.instance} again` : `kept the stored value${fields}`;
  }
  const target = await store.get(c.canonicalId);
  if (!target) throw new Error(`conflict ${id}: record ${c.canonicalId} is not in the store`);
  const taken = decided;
  const patch = Object.fromEntries(taken.map((x) => [x.field, x.values[x.values.length - 1].value]));
  await store.upsertMany([...taken.map((x) => rebuild(x, { resolution: 'taken_by_operator', resolvedBy: decidedBy }, runId, at)), rebuild(target, patch, runId, at)], { runId });
  return `applied the ${from} value to ${Object.keys(patch).sort().join(', ')}`;
}
