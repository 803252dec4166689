// grade-push (issue 7; DECISIONS.md §7): marks, attendance and lesson topics/homework changed in the
// school's system of record go to every writable target through the outbound ledger, keyed
// `target|entity|canonicalId|version`: a retry, a crash mid-push or a second run never creates a
// duplicate. Pushes into a locked period are refused with R-22 and listed, not retried forever.
import { schoolSectionIds } from './school-records.js';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import type { Capability, Connector, WriteOp, WriteResult } from '../connectors/contract.js';
import type { EntityName, SourceSystem } from '../model/enums.js';
import type { CanonicalRecord, LessonRecord } from '../model/index.js';
import { pushAgainList, settlePushAgain } from './push-again.js';
import { REVIEW_INSTANCE } from './review.js';
import { validateRecords } from '../model/rules/index.js';
import type { HeldLease, Store } from '../store/index.js';
import { loadRuleContext } from './rule-context.js';
import { heldAs } from '../model/mark-spelling.js';
import { notCompared, pushedHash } from './pushed-content.js';
import { lessonChunks, wholeLessons } from './push-chunks.js';
import { groupAnswers, sendAskingGroups, type GroupAnswers } from './refused-groups.js';
import { recordResults, write } from './push-writes.js';
import { newSummary, type RunSummary } from './run-summary.js';
import { movedReplacements, replacementMissing, settleInPlace, writtenInPlace } from './moved-deletes.js';
import { countRefusal, refusalDeclared } from './push-refusals.js';
import { schoolCanonicalId } from './roster-sync.js';
import { withoutSameAsPushed } from './same-as-pushed.js';
import { buildOps, lessonIdOf } from './push-ops.js';
import { inPushWindow, type PushWindow } from './push-window.js';

const WRITABLE: { entity: EntityName; capability: Capability }[] = [
  { entity: 'mark', capability: 'marks.write' },
  { entity: 'attendance_record', capability: 'attendance.write' },
  // A lesson's homework (no platform has a route for its topic): only Дневник.ру declares it (homework-writer.ts).
  { entity: 'lesson', capability: 'lessons.write' },
];

type PushOp = WriteOp<CanonicalRecord & { lessonId?: string; studentId?: string }>;

export interface PushTarget {
  connector: Connector;
  system: SourceSystem;
  instance: string;
  /** The school's id on this target (the config's): an account that sees several schools writes into this one. */
  schoolSourceId?: string;
}

export interface GradePushInput {
  store: Store;
  /** The school's system of record: only its values are pushed (authority matrix). */
  source: { system: SourceSystem; instance: string };
  target: PushTarget;
  school: { id: string };
  dryRun?: boolean;
  now?: string;
  runId: string;
  /** Operations per write call (whole lessons, so a call may hold a few more). */
  chunkSize?: number;
  /** Write calls in flight at once (default 4). */
  parallelCalls?: number;
  /** Records read, checked and sent at a time, whole lessons (default {@link SLICE}). */
  sliceSize?: number;
  logger?: Logger;
  onProgress?: (stage: string, done: number, total?: number) => void;
  /** The push's lease on (school, target) lapses this long after its holder stops renewing it (default 60 s). */
  leaseTtlMs?: number;
  /**
   * Records to write again though the ledger holds them as sent (a migration found the target lost them or holds
   * them otherwise, migrate.ts): their operations take `|again:<tag>` on the ledger key, so they are sent once more —
   * once per tag, never twice for one run.
   */
  again?: { ids: Partial<Record<EntityName, string[]>>; tag: string };
  /**
   * A migration's days (push-window.ts): only records whose lesson lies in it are sent, and the push moves no cursor
   * nor list, so what it leaves out stays pending for the next scheduled push. Absent: every change, as ever.
   */
  window?: PushWindow;
}

/**
 * Records of a push read, checked and sent at a time (whole lessons): holding a school-year's marks, their
 * ledger rows and operations at once kept ~2 GB live in a 1,000-pupil migration (bench/migrate.ts), and the
 * garbage collector's work grew with it.
 */
const SLICE = 10_000;
/** Ids per store read of the first pass (which records are the school's, and their lessons). */
const READ_CHUNK = 5_000;

/**
 * One push at a time per school and target, across every process sharing the store: two at once (a push longer than
 * its schedule's interval picked up by a second worker, a CLI `push` beside the scheduled one) would each send every
 * pending operation. A second push waits for the first (up to one lease time-to-live), then finds its work done in the
 * ledger. A dry run sends nothing and takes no lease. A push that can no longer count on its lease (renewals failing,
 * or taken over after it lapsed) stops before its next write call and moves no cursor (LeaseLostError): the push
 * that took over sends what is left.
 */
export function gradePush(input: GradePushInput): Promise<RunSummary> {
  if (input.dryRun) return pushOnce(input);
  const key = { system: input.target.system, instance: input.target.instance, name: `lease:push:${input.school.id}` };
  return input.store.withLease(key, input.runId, (lease) => pushOnce(input, lease), { ...(input.leaseTtlMs ? { ttlMs: input.leaseTtlMs } : {}) });
}

async function pushOnce(input: GradePushInput, lease?: HeldLease): Promise<RunSummary> {
  const { store, target, source, school } = input;
  /** Before every write call and cursor move: once the lease is lost another push may be sending the same operations. */
  const stillHeld = async () => { await lease?.assertHeld(); };
  const summary = newSummary('grade-push', input.runId, target.instance, school.id);
  const pushed = { applied: 0, unchanged: 0, refused: 0, failed: 0, skipped: 0 };
  summary.pushed = pushed;
  if (input.dryRun) summary.dryRun = true;
  const cursorKey = `push:${school.id}`;
  const cursor = await store.getCursor(target.system, target.instance, cursorKey);
  const since = Number(cursor?.value ?? 0);
  const upTo = await store.currentVersion();

  const changed = new Map<EntityName, Set<string>>(WRITABLE.map((w) => [w.entity, new Set<string>()]));
  for await (const c of store.changesSince(since, { maxVersion: upTo })) changed.get(c.entity as EntityName)?.add(c.canonicalId);
  // Records an earlier push could not place yet (their pupil or lesson not linked on the target) are tried again
  // from their own list: the cursor does not wait for them. A pupil the target never lists kept it at their first
  // mark for good, and every push re-read every change since — a school-year's by June.
  const pendingKey = `push-pending:${school.id}`;
  const pendingBefore = parsePending((await store.getCursor(target.system, target.instance, pendingKey))?.value);
  // Changes R-22 held back (a closed period, no unlock order yet) are checked again by every push, so an order
  // recorded after the refusal lets them through; they are never marked refused in the ledger for good.
  const lockedKey = `push-locked:${school.id}`;
  const lockedBefore = parsePending((await store.getCursor(target.system, target.instance, lockedKey))?.value);
  // Never lose a waiting or held mark: an unreadable list means every change is read again (the ledger keeps it
  // harmless). Before, an unreadable locked list was read as empty, and its held changes were never checked again.
  const unreadable = [pendingBefore === null ? 'pending' : '', lockedBefore === null ? 'locked' : ''].filter(Boolean);
  if (unreadable.length > 0) {
    input.logger?.warn({ school: school.id, target: target.instance, lists: unreadable }, 'grade-push: list of waiting changes unreadable; reading every change again');
    for await (const c of store.changesSince(0, { maxVersion: upTo })) changed.get(c.entity as EntityName)?.add(c.canonicalId);
  }
  for (const [entity, ids] of [...Object.entries(pendingBefore ?? {}), ...Object.entries(lockedBefore ?? {})]) {
    for (const id of ids) changed.get(entity as EntityName)?.add(id);
  }
  // Written again though sent before: a migration's repair (input.again), or an operator's `review keep` (push-again.ts).
  const againTag = new Map<string, string>();
  for (const [entity, ids] of Object.entries(input.again?.ids ?? {})) {
    for (const id of ids) {
      changed.get(entity as EntityName)?.add(id);
      againTag.set(id, input.again!.tag);
    }
  }
  // Read by a dry run too, which counts them as it counts any write (it settles nothing).
  const keptList = await pushAgainList(store, target);
  for (const [id, { entity, tag }] of Object.entries(keptList)) {
    changed.get(entity)?.add(id);
    if (!againTag.has(id)) againTag.set(id, tag);
  }
  const pendingNow: Partial<Record<EntityName, string[]>> = {};
  const lockedNow: Partial<Record<EntityName, string[]>> = {};
  const sections = await schoolSectionIds(store, schoolCanonicalId(school.id));
  // a change inside a locked period needs an open unlock order.
  const context = await loadRuleContext(store, schoolCanonicalId(school.id));
  const now = input.now ?? new Date().toISOString();

  let writesLeftDue = false;
  /** Per entity, the groups this push found the account may not write into, and how many writes were not sent there. */
  const pushGroups: GroupAnswers[] = [];
  let notSentForAccount = 0;
  for (const { entity, capability } of WRITABLE) {
    const writable = target.connector.declaration.capabilities.includes(capability);
    // A lesson is pushed for its homework alone: a target that cannot be given homework has none waiting (a migration's
    // plan names homework NOT carried). Counted as skipped, every lesson whose topic was typed looked like a record
    // waiting to be linked on the target, night after night.
    if (!writable && entity === 'lesson') continue;
    const byLesson = await schoolRecordsByLesson(store, source, sections, [...changed.get(entity)!], input.window);
    if (byLesson.length === 0) continue;
    if (!writable) {
      pushed.skipped += byLesson.length;
      continue;
    }
    let done = 0;
    // What each write puts there, as a read of the target will hash it (pushed-content.ts): a read finding exactly
    // this while a newer version waits for the next push raises no conflict.
    // In the target's own spelling where it has one (5- is held as 5 on АСУ РСО): a correction of such a value read
    // there before its push otherwise matched nothing the ledger kept and opened a conflict for a night.
    const compared = notCompared(source.system, target.system, entity);
    const folds = target.connector.declaration.folds ?? [];
    const hashOf = (r: CanonicalRecord) => pushedHash(target.system, heldAs(folds, r), compared, r);
    // Deletes on a moved lesson's old day wait for the records replacing them on the new day (moved-deletes.ts): they
    // are checked once every slice of the entity has been sent, so a replacement written tonight lets its delete go
    // tonight; one not on the target yet keeps the old day's record there and says so.
    const movedHeld: { op: WriteOp<CanonicalRecord>; replacement: string; date?: string }[] = [];
    /** A dry run's records it would write (no platform id to show for them): their moved deletes would go too. */
    const dryWritten = new Set<string>();
    /** The target's answers per group (section) so far this push, and the section of each lesson read. */
    const groups = groupAnswers();
    pushGroups.push(groups);
    const sectionOfLesson = new Map<string, string>();
    /** What a dry run would do with operations, ledger included (read only): confirmed ones would not be sent again. */
    const countDry = async (ops: WriteOp<CanonicalRecord>[]) => {
      const known = await store.ledgerGetMany(ops.map((op) => op.operationId));
      for (const op of ops) {
        const state = known.get(op.operationId)?.state;
        // A write the target has no route for (Дневник.ру: a mark's delete) is refused whatever the ledger says:
        // counted as refused with the connector's own reason, as the push will be. Before, it counted as "would apply".
        const declared = state === 'confirmed' ? undefined : refusalDeclared(target.connector, entity, op);
        if (declared) countRefusal(summary, entity, declared);
        else if (state === 'confirmed') pushed.unchanged++;
        else if (state === 'refused') pushed.refused++;
        else {
          pushed.applied++;
          dryWritten.add(op.record.id);
        }
      }
    };
    /** Sends operations through the outbound ledger: what it holds as confirmed or refused is not sent again. */
    const send = async (ops: WriteOp<CanonicalRecord>[]) => {
      // The ledger is read and written in batches (one round trip per operation was most of a migration's
      // time, bench/migrate.ts).
      const entries = await store.ledgerBeginMany(ops.map((op) => ({
        target: target.instance, entity, canonicalId: op.record.id, canonicalVersion: op.record.version, idempotencyKey: op.operationId,
        op: op.record.status === 'deleted' ? 'delete' : op.existingSourceId ? 'update' : 'create',
        ...(op.record.status === 'deleted' ? {} : { pushedHash: hashOf(op.record) }),
      })));
      const due: WriteOp<CanonicalRecord>[] = [];
      for (const op of ops) {
        const state = entries.get(op.operationId)!.state;
        if (state === 'confirmed') pushed.unchanged++;
        else if (state === 'refused') pushed.refused++;
        else due.push(op);
      }
      // Several write calls at once, each holding whole lessons (push-chunks.ts): one call after another left the
      // push waiting on one answer at a time. The instance's concurrency and rate limits still apply per request.
      const sendCalls = async (list: PushOp[]) => {
        const sent: WriteResult[] = [];
        const calls = new PQueue({ concurrency: input.parallelCalls ?? 4 });
        const outcomes = await Promise.allSettled(lessonChunks(list, input.chunkSize ?? 200).map((part) => calls.add(async () => {
          // Marked sent before the call: after a crash, the ledger shows what may have reached the target.
          await stillHeld();
          await store.ledgerMarkMany(part.map((op) => ({ key: op.operationId, mark: { state: 'sent' } })));
          await stillHeld();
          const results = await write(target.connector, entity, part);
          sent.push(...results);
          writesLeftDue = (await recordResults(store, target, entity, part, results, summary, input.runId)) || writesLeftDue;
          done += part.length;
          input.onProgress?.(`pushed ${entity}`, done, byLesson.length);
        })));
        const broken = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (broken) throw broken.reason;
        return sent;
      };
      // Each group's first lesson before the rest: a group the account may not write into gets no more (refused-groups.ts).
      const { notSent, results } = await sendAskingGroups(due as PushOp[], (op) => sectionOfLesson.get(lessonIdOf(op.record) ?? ''), sendCalls, groups);
      if (notSent.length > 0) {
        writesLeftDue = (await recordResults(store, target, entity, notSent, results, summary, input.runId)) || writesLeftDue;
        notSentForAccount += notSent.length;
        done += notSent.length;
        input.onProgress?.(`pushed ${entity}`, done, byLesson.length);
      }
    };
    for (const slice of wholeLessons(byLesson, (r) => r.lessonId, input.sliceSize ?? SLICE)) {
      // Every first mark of a cell before any second one: platforms without a slot field (ЭПОС) order a
      // cell's marks by creation, and a retake written before its original would read back as slot 1.
      const list = [...(await store.getMany(slice.map((r) => r.id))).values()]
        .sort((a, b) => ((a as { slot?: number }).slot ?? 1) - ((b as { slot?: number }).slot ?? 1));
      const lessons = [...(await store.getMany([...new Set(slice.map((r) => r.lessonId))])).values()];
      for (const l of lessons) sectionOfLesson.set(l.id, (l as LessonRecord).sectionId);
      const writes = new Set(list.map((r) => r.id));
      // A pushed lesson is its own lesson: judged once.
      const violations = validateRecords([...context, ...lessons.filter((l) => !writes.has(l.id)), ...list], { now, direction: 'outbound', writes, only: ['R-22'] });
      const locked = new Set(violations.map((v) => v.id));
      const { ops: placeable, nothingToDo } = await buildOps(store, target, list, againTag);
      // Before R-22: a new version the target would hold exactly as last pushed writes nothing, so it is no write
      // into a closed period either (same-as-pushed.ts).
      const writing = await withoutSameAsPushed({ store, target: target.instance, entity, hashOf, again: againTag, summary, ...(input.dryRun ? { dryRun: true } : {}) }, placeable);
      // Held back by R-22: already sent as it is (confirmed) is nothing to do; anything else waits for an order.
      const lockedOps = writing.filter((op) => locked.has(op.record.id));
      const unlocked = writing.filter((op) => !locked.has(op.record.id));
      const lessonDate = new Map(lessons.map((l) => [l.id, (l as LessonRecord).date]));
      const replacements = await movedReplacements(store, source, unlocked);
      const ops = unlocked.filter((op) => !replacements.has(op.operationId));
      for (const op of unlocked) {
        const replacement = replacements.get(op.operationId);
        const date = lessonDate.get(lessonIdOf(op.record) ?? '');
        if (replacement) movedHeld.push({ op, replacement, ...(date ? { date } : {}) });
      }
      const confirmedBefore = await store.ledgerGetMany(lockedOps.map((op) => op.operationId));
      for (const op of lockedOps) {
        if (confirmedBefore.get(op.operationId)?.state === 'confirmed') {
          pushed.unchanged++;
          continue;
        }
        pushed.refused++;
        (lockedNow[entity] ??= []).push(op.record.id);
        const held = (summary.refusedByLock ??= { rule: 'R-22', count: 0, sample: [] });
        held.count++;
        const date = lessonDate.get(lessonIdOf(op.record) ?? '');
        if (held.sample.length < 10) held.sample.push({ entity, id: op.record.id, ...(date ? { date } : {}) });
      }
      // Not placeable yet (the target has not linked the pupil or the lesson): pending, tried again by every push
      // until roster or timetable sync has linked them.
      // Held by R-22 is placeable, and waits in its own list: not counted as skipped, nor listed as pending too.
      const placed = new Set(placeable.map((op) => op.record.id));
      const unplaced = list.filter((r) => !placed.has(r.id) && !nothingToDo.has(r.id));
      pushed.skipped += unplaced.length;
      if (unplaced.length) (pendingNow[entity] ??= []).push(...unplaced.map((r) => r.id));
      if (input.dryRun) await countDry(ops);
      else await send(ops);
    }
    if (movedHeld.length) {
      const missing = await replacementMissing(store, target, entity, new Map(movedHeld.map((h) => [h.op.operationId, h.replacement])), dryWritten);
      const ready = movedHeld.filter((h) => !missing.has(h.op.operationId)).map((h) => h.op);
      const inPlace = input.dryRun ? new Set<string>() : await writtenInPlace(store, target, entity, ready);
      if (inPlace.size) await settleInPlace(store, target, entity, ready.filter((op) => inPlace.has(op.operationId)));
      pushed.unchanged += inPlace.size;
      if (input.dryRun) await countDry(ready);
      else await send(ready.filter((op) => !inPlace.has(op.operationId)));
      for (const h of movedHeld.filter((x) => missing.has(x.op.operationId))) {
        (pendingNow[entity] ??= []).push(h.op.record.id);
        const waiting = (summary.movedWaiting ??= { count: 0, sample: [] });
        waiting.count++;
        if (waiting.sample.length < 10) waiting.sample.push({ entity, id: h.op.record.id, ...(h.date ? { date: h.date } : {}) });
      }
    }
  }
  const refusedGroups = new Set(pushGroups.flatMap((g) => [...g.refused.keys()]));
  if (refusedGroups.size > 0) {
    // A few of them by class and subject, so the operator knows where to look. Not the group's own title: a platform's
    // subgroup may be named after its teacher, and summaries go into logs and job failure reasons.
    const some = [...(await store.getMany([...refusedGroups].slice(0, 5))).values()] as (CanonicalRecord & { homeroomClassId?: string; subjectId?: string })[];
    const named = await store.getMany(some.flatMap((g) => [g.homeroomClassId, g.subjectId].filter((x): x is string => !!x)));
    const title = (id?: string) => (named.get(id ?? '') as { title?: string } | undefined)?.title;
    summary.accountRefused = { groups: refusedGroups.size, notSent: notSentForAccount, sample: some.map((g) => [title(g.homeroomClassId), title(g.subjectId)].filter(Boolean).join(' ') || g.id) };
  }
  await stillHeld();
  if (!input.dryRun) await settlePushAgain(store, target, keptList, input.runId);
  // The cursor moves only when nothing is left to retry (the ledger makes the re-send harmless); what waits to be
  // placed is kept in its own list, written first so a crash between the two writes loses nothing.
  // A windowed push (a migration's) moves none of them: it left out what lies outside its window, and moving the cursor
  // past those changes (or rewriting the lists without them) would lose them for good. The next scheduled push reads
  // them again from the unmoved cursor; what this push sent is confirmed in the ledger and not sent twice.
  if (!input.dryRun && !writesLeftDue && !input.window) {
    await stillHeld();
    await store.setCursor({ system: target.system, instance: target.instance, entity: pendingKey, kind: 'none', value: JSON.stringify(pendingNow), runId: input.runId });
    await store.setCursor({ system: target.system, instance: target.instance, entity: lockedKey, kind: 'none', value: JSON.stringify(lockedNow), runId: input.runId });
    await store.setCursor({ system: target.system, instance: target.instance, entity: cursorKey, kind: 'change_version', value: String(upTo), runId: input.runId, lastSuccessAt: new Date().toISOString() });
  }
  summary.finishedAt = new Date().toISOString();
  input.logger?.info({ summary: { ...summary } }, 'grade-push finished');
  return summary;
}

/**
 * A record the push carries: the system of record's, or one an operator decided (`review take`: the other platform's
 * value applied, stamped gateway/review). Before, a taken value never reached the other targets: the push left out
 * anything not stamped by the system of record, and the next read of it keeps the decision, so the stamp stayed.
 */
function fromSource(r: CanonicalRecord, source: GradePushInput['source']): boolean {
  return (r.provenance.system === source.system && r.provenance.instance === source.instance)
    || (r.provenance.system === 'gateway' && r.provenance.instance === REVIEW_INSTANCE);
}

/**
 * The changed records the push is for — the system of record's or decided in review (`fromSource`), in one of the
 * school's sections — as ids with their lesson only: the records themselves are read again slice by slice.
 */
async function schoolRecordsByLesson(
  store: Store, source: GradePushInput['source'], sections: ReadonlySet<string>, ids: string[], window?: PushWindow,
): Promise<{ id: string; lessonId: string }[]> {
  const sectionOf = new Map<string, string | undefined>();
  /** Each lesson's day, for a migration's window (a mark's or absence's lesson; a lesson's own). */
  const dateOf = new Map<string, string | undefined>();
  const out: { id: string; lessonId: string }[] = [];
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const records = [...(await store.getMany(ids.slice(i, i + READ_CHUNK))).values()].filter((r) => fromSource(r, source));
    for (const r of records) {
      if (r.entity !== 'lesson') continue;
      sectionOf.set(r.id, (r as LessonRecord).sectionId);
      dateOf.set(r.id, (r as LessonRecord).date);
    }
    const unknown = [...new Set(records.map(lessonIdOf).filter((l): l is string => !!l && !sectionOf.has(l)))];
    const lessons = await store.getMany(unknown);
    for (const l of unknown) {
      sectionOf.set(l, (lessons.get(l) as LessonRecord | undefined)?.sectionId);
      dateOf.set(l, (lessons.get(l) as LessonRecord | undefined)?.date);
    }
    for (const r of records) {
      const lessonId = lessonIdOf(r);
      const section = lessonId ? sectionOf.get(lessonId) : undefined;
      if (lessonId && section && sections.has(section) && inPushWindow(dateOf.get(lessonId), window)) out.push({ id: r.id, lessonId });
    }
  }
  return out;
}

/** The pending list of a push (`entity → record ids`): empty when there is none, null when it cannot be read. */
function parsePending(value: string | null | undefined): Partial<Record<EntityName, string[]>> | null {
  if (!value) return {};
  try {
    const v = JSON.parse(value) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(Array.isArray) ? (v as Partial<Record<EntityName, string[]>>) : null;
  } catch {
    return null;
  }
}

