// journal-sync: lessons, works, marks, attendance and final marks of one school for a date window.
// Orphans (a mark for a pupil the roster has not brought in) and records that fail a rule go to
// quarantine with the reason; the rest are stored. A platform that is not the school's system of record
// never overwrites its values: a disagreement becomes a `conflict` record (authority matrix).
import type { Logger } from 'pino';
import type { Connector, PlatformBatch, YearLinks } from '../connectors/contract.js';
import type { Mapper } from '../connectors/mapping.js';
import { ENTITY_ORDER, JOURNAL_ENTITIES, ROSTER_ENTITIES, type EntityName } from '../model/enums.js';
import { naturalId, sourceScopedId } from '../model/ids.js';
import { businessFields, buildRecord, type CanonicalRecord, type LessonRecord } from '../model/index.js';
import { isBlocking, validateRecords } from '../model/rules/index.js';
import { ledgerKey, type HeldLease, type Store } from '../store/index.js';
import { foldsOf } from '../connectors/registry.js';
import { foldOf } from '../model/mark-spelling.js';
import { instanceWins } from './authority.js';
import { mapResolvingCrosswalk, type RunIdentity } from './reference-resolver.js';
import { loadRuleContext } from './rule-context.js';
import { addQuarantine, addUpsert, newSummary, type RunSummary } from './run-summary.js';
import { storeSetupCache } from './setup-cache.js';
import { keepTaken, takenValues, undecidedConflicts } from './conflict-decisions.js';
import { settledConflicts } from './settled-conflicts.js';
import { inStoredSlotOrder } from './slot-order.js';
import { isEmpty, notCompared, pushedHash } from './pushed-content.js';
import { copiesOfTombstones, linksToWrite } from './link-clashes.js';
import { applyJournalDeletes, planJournalDeletes } from './journal-deletes.js';
import { readCompleteness } from './partial-read.js';
import { anyStoredRecordOfLessons } from './lesson-records.js';
import { deletedByHand } from './target-deletes.js';
import { freeRenumberedIds, keyedByLink } from './renumbered-marks.js';
import { findMovedLessons, rekeyMovedLessons, releaseMovedLessonLinks } from './moved-lessons.js';
import { heldOnMovedLessons } from './moved-held-records.js';
import { OrphanTally, rememberOrphans } from './orphan-catch-up.js';
import { mapInTheirYear } from './journal-year-links.js';
import { schoolCanonicalId } from './roster-sync.js';

const JOURNAL: ReadonlySet<string> = new Set<string>(JOURNAL_ENTITIES);
const ROSTER_REFS: ReadonlySet<string> = new Set<string>(ROSTER_ENTITIES);

export interface JournalSyncInput {
  store: Store;
  connector: Connector;
  mapper: Mapper;
  run: RunIdentity;
  school: { id: string; sourceId: string; timeZone: string };
  isSystemOfRecord: boolean;
  window: { from: string; to: string };
  /** Disjoint ranges inside `window` to read instead of all of it (the nightly's recent window and sweep slice). */
  ranges?: readonly { from: string; to: string }[];
  /** Read final marks too (default true; a nightly run reads them only around a period's end: nightlyFinalsDue). */
  finals?: boolean;
  /** The days whose periods' final marks are read, where the connector reads them per period (ReadScope.finalsWindow). */
  finalsWindow?: { from: string; to: string };
  /**
   * Read lessons, marks and attendance (default true). False with `finals`: a finals-only read — the nightly's autumn
   * re-read of last year's final marks (last-year-finals-read.ts), which must not re-read or delete last year's journal.
   */
  journal?: boolean;
  /** ReadScope.scopeYearOnly: the read is about the school year holding the window and no other. */
  scopeYearOnly?: boolean;
  /** ReadScope.yearLinks: the platform ids of the scope's year's classes, sections and terms (year-links.ts). */
  yearLinks?: YearLinks;
  /** Days per range request (default: the instance's `windowDays`); the nightly reads each window as one range. */
  windowDays?: number;
  /**
   * The system of record's scheduled or one-off read: a mark or absence of a lesson the read returned that is no
   * longer there was deleted on the platform, and is tombstoned (journal-deletes.ts), unless more than `threshold`
   * of them are missing. A migration's source read has it too (a re-run after a deletion at the source).
   */
  deletesFromSnapshot?: { threshold: number };
  /** The school's sync lease the run holds (school-sync-lease.ts): checked before each write, so a run that lost it stops. */
  lease?: HeldLease;
  /** The moment rules judge unlock orders against; defaults to now. */
  now?: string;
  logger?: Logger;
  onProgress?: (stage: string, done: number, total?: number) => void;
}

export async function journalSync(input: JournalSyncInput): Promise<RunSummary> {
  const { store, connector, mapper, run, school } = input;
  const summary = newSummary('journal-sync', run.runId, run.instance, school.id);
  const step = stepClock(summary);
  const batches: PlatformBatch[] = [];
  const setupCache = storeSetupCache(store, { system: run.system, instance: run.instance, schoolId: school.id, runId: run.runId });
  const scope = { schoolSourceId: school.sourceId, ...input.window, ranges: input.ranges, capabilities: journalCapabilities(connector, input.finals ?? true, input.journal ?? true), windowDays: input.windowDays, finalsWindow: input.finalsWindow, setupCache, ...(input.scopeYearOnly ? { scopeYearOnly: true } : {}), ...(input.yearLinks ? { yearLinks: input.yearLinks } : {}) };
  async function* pages() {
    for await (const b of connector.readSchool(scope)) {
      batches.push(b);
      // Pages (one platform answer each), not records: records are judged only once every page is in.
      input.onProgress?.('pages read', batches.length);
      yield b;
    }
  }
  const seed = new Map([[`organization|${school.sourceId}`, schoolCanonicalId(school.id)]]);
  // Each page is mapped as it arrives, while the platform answers the next ones (at 12 weeks of the school-year bench
  // the main thread was idle for ~45 % of the read); nothing is judged or written until the read is complete.
  let resolved = await mapResolvingCrosswalk(store, mapper, pages(), run, seed);
  step('read');
  // The read is the long part: another sync of the school may hold the lease by now.
  await input.lease?.assertHeld();
  // A lesson the system of record moved to another day keeps its platform id: re-keyed, and the read mapped again so
  // its works, marks and absences come in under the new lesson (moved-lessons.ts).
  if (input.isSystemOfRecord) {
    const moved = await findMovedLessons(store, run, resolved.mapped.flatMap((m) => m.records.filter((r) => r.entity === 'lesson')), input.ranges ?? [input.window]);
    if (moved.size) {
      summary.lessonsMoved = moved.size;
      const rekeyed = await rekeyMovedLessons(store, run, moved);
      summary.deleted += rekeyed.deleted;
      resolved = await mapResolvingCrosswalk(store, mapper, batches, run, seed);
      // What the read could not map again moves with its lesson as last read, not deleted (moved-held-records.ts).
      const { partial, held } = readCompleteness(resolved.mapped, connector.declaration.routes);
      const carried = heldOnMovedLessons({ run, moved, tombstoned: rekeyed.tombstoned, held: partial ? 'all' : held, mapped: resolved.mapped });
      for (const entity of ['work', 'mark', 'attendance_record'] as const) {
        const list = carried.filter((r) => r.entity === entity);
        if (list.length) addUpsert(summary, await store.upsertMany(list, { runId: run.runId }));
      }
    }
  } else if (await releaseMovedLessonLinks(store, run, resolved.mapped.flatMap((m) => m.records.filter((r) => r.entity === 'lesson')))) {
    // A lesson the system of record moved, moved here too: its link freed, its cells are read on the moved lesson.
    resolved = await mapResolvingCrosswalk(store, mapper, batches, run, seed);
  }
  // A kept group or term id linked to another school year's record: mapped to the record of the read's year, else held.
  const years = await mapInTheirYear(store, mapper, batches, run, seed, resolved);
  const { mapped, asked, crosswalk } = years.resolved;
  for (const m of mapped) for (const q of m.quarantine) addQuarantine(summary, q.reason);
  // A platform that numbers a pupil's marks in its column order holds the system of record's order of two marks on
  // different works only when the columns agree: its read keeps the store's order (slot-order.ts).
  if (!input.isSystemOfRecord && connector.declaration.slotsInColumnOrder) for (const m of mapped) await inStoredSlotOrder(store, m.records);

  // Ids of roster records the crosswalk does not know: records pointing at them are orphans (C.4 #6).
  const unknown = new Map<string, EntityName>();
  const platformIdOf = new Map<string, string>();
  for (const [entity, sids] of asked) {
    if (!ROSTER_REFS.has(entity)) continue;
    for (const sid of sids) {
      if (crosswalk.has(`${entity}|${sid}`)) continue;
      const id = sourceScopedId(run.system, run.instance, entity, sid);
      unknown.set(id, entity);
      platformIdOf.set(id, sid);
    }
  }
  // Structural records a journal read carries (e.g. reporting periods) are stored with it, and are not orphans.
  for (const m of mapped) for (const r of m.records) if (r.entity === 'academic_session') unknown.delete(r.id);
  const seen = new Set<string>();
  const candidates: CanonicalRecord[] = [];
  const orphans = new OrphanTally(mapped);
  for (const m of mapped) {
    for (const r of m.records) {
      if (!(JOURNAL.has(r.entity) || r.entity === 'academic_session') || seen.has(r.id)) continue;
      seen.add(r.id);
      const orphanOf = orphanReference(r, unknown);
      const held = years.held.get(r.id);
      if (orphanOf) {
        addQuarantine(summary, `orphan ${r.entity} → ${orphanOf.entity}: references a record the roster has not brought in`);
        orphans.add(r, orphanOf.entity, platformIdOf.get(orphanOf.id)!);
      } else if (held) {
        addQuarantine(summary, `held ${r.entity} — ${held.reason}`);
        orphans.add(r, held.entity, held.sourceId, held.year);
      } else candidates.push(r);
    }
  }
  // Remembered so that a scheduled read re-reads these days as soon as the roster links the reference (orphan-catch-up.ts).
  const now = new Date().toISOString();
  await rememberOrphans(store, run, school.id, orphans.entries(now), now);

  step('map');
  // Rules (inbound): blocking and quarantine violations keep a record out; warnings are only reported.
  const context = await loadRuleContext(store, schoolCanonicalId(school.id));
  step('context');
  const violations = validateRecords([...context, ...candidates], { now: input.now ?? new Date().toISOString(), direction: 'inbound' });
  const refused = new Map<string, string>();
  for (const v of violations) if (isBlocking(v) || v.severity === 'quarantine') refused.set(v.id, v.ruleId);
  let accepted: CanonicalRecord[] = [];
  const ruled: CanonicalRecord[] = [];
  for (const r of candidates) (refused.has(r.id) ? ruled : accepted).push(r);
  // Another platform's cell renumbered (ЭПОС: the first of two marks deleted there) is read under the records its
  // platform ids stand for (renumbered-marks.ts), not compared slot by slot.
  if (!input.isSystemOfRecord) accepted = await keyedByLink(store, run, accepted);
  // A platform that is not the system of record rarely holds the journal's content: a push target's or a migration
  // target's timetable has lessons without topics. Its content is refused as ever, but a record the system of
  // record already brought in is still linked to its platform id — the push writes the marks into that lesson, and
  // without the link every mark of a topicless lesson would wait for a placement that never comes.
  const known = input.isSystemOfRecord || ruled.length === 0 ? new Map<string, CanonicalRecord>() : await store.getMany(ruled.map((r) => r.id));
  const linkOnly = ruled.filter((r) => { const old = known.get(r.id); return old !== undefined && old.status !== 'deleted'; });
  const linkOnlyIds = new Set(linkOnly.map((r) => r.id));
  for (const r of ruled) {
    const key = `${refused.get(r.id)} ${r.entity}`;
    if (!linkOnlyIds.has(r.id)) addQuarantine(summary, `${key}: refused by the rule`);
    else (summary.linkedOnly ??= {})[key] = (summary.linkedOnly[key] ?? 0) + 1;
  }

  step('rules');
  await input.lease?.assertHeld();
  // A first load (a migration's source read, a school's first night) has no mark or absence of its lessons stored
  // before it: none can be missing, and the deletes need not read back the hundreds of thousands it stores.
  // The read's lessons, which the deletes judge by.
  const lessons = candidates.filter((r): r is LessonRecord => r.entity === 'lesson');
  const firstLoad = input.isSystemOfRecord && input.deletesFromSnapshot && !summary.lessonsMoved ? !(await anyStoredRecordOfLessons(store, lessons)) : false;
  // Authority matrix: another platform's differing value becomes a conflict, the stored one stays.
  const toStore: CanonicalRecord[] = [];
  const conflicts: CanonicalRecord[] = [];
  let awaitingIds: ReadonlySet<string> = new Set();
  // A deleted record's copy this platform still holds under another key: not stored, not linked; the push deletes it.
  let tombstoneCopies: ReadonlySet<string> = new Set();
  // Not `push(...accepted)`: a school-year is hundreds of thousands of records, past the call-argument limit.
  if (input.isSystemOfRecord) {
    // A value an operator took from another platform is not put back by the source still sending the old one.
    const taken = await takenValues(store);
    for (const r of accepted) toStore.push(taken.size ? keepTaken(r, taken) : r);
  } else {
    const existing = await store.getMany(accepted.map((r) => r.id));
    tombstoneCopies = await copiesOfTombstones(store, run, accepted.filter((r) => existing.get(r.id)?.status !== 'active'));
    const differing: { old: CanonicalRecord; r: CanonicalRecord }[] = [];
    for (const r of accepted) {
      if (tombstoneCopies.has(r.id)) continue;
      const old = existing.get(r.id);
      // Deleted on the system of record, still here: the push deletes it on this platform (where it can). Stored
      // again from here, it came back to life credited to this platform — no push deleted it, and no later read of
      // the system of record could delete it again, since it was no longer the system of record's.
      if (old?.status === 'deleted' && old.provenance.instance !== run.instance && !instanceWins(r.entity, false)) continue;
      if (!old || old.status === 'deleted' || old.contentHash === r.contentHash || instanceWins(r.entity, false)) toStore.push(r);
      else differing.push({ old, r });
    }
    // What this platform holds as the gateway last wrote it, a newer version waiting for the next push: no conflict.
    const awaiting = await awaitingPush(store, run, differing);
    for (const { old, r } of differing) {
      if (awaiting.has(r.id)) continue;
      conflicts.push(...conflictRecords(old, r, run, schoolCanonicalId(school.id)));
    }
    if (awaiting.size) summary.awaitingPush = awaiting.size;
    awaitingIds = awaiting;
  }
  for (const entity of ENTITY_ORDER) {
    const list = toStore.filter((r) => r.entity === entity);
    if (list.length) addUpsert(summary, await store.upsertMany(list, { runId: run.runId }));
  }
  // The same disagreement an operator already decided is not opened again.
  const undecided = await undecidedConflicts(store, conflicts);
  if (undecided.length) await store.upsertMany(undecided, { runId: run.runId });
  // A disagreement this platform raised before and no longer holds is closed.
  if (!input.isSystemOfRecord) {
    // A record awaiting its push was not judged tonight: a conflict about it stays as it is.
    const judged = new Set(accepted.map((r) => r.id).filter((id) => !awaitingIds.has(id)));
    const settled = await settledConflicts(store, run, schoolCanonicalId(school.id), judged, new Set(conflicts.map((c) => c.id)));
    if (settled.length) {
      await store.upsertMany(settled, { runId: run.runId });
      summary.conflictsSettled = settled.length;
    }
  }
  // A record the push wrote here that this read no longer holds was deleted here by hand: the system of record's
  // stands, and the next push writes it here again (target-deletes.ts).
  if (!input.isSystemOfRecord && input.deletesFromSnapshot) {
    const found = await deletedByHand(store, { run, schoolId: school.id, mapped, routes: connector.declaration.routes, lessons, held: [...accepted, ...ruled], ranges: input.ranges ?? [input.window], threshold: input.deletesFromSnapshot.threshold });
    if (found.refused) summary.deletesRefused = found.refused;
    if (found.deletedOnTarget) summary.deletedOnTarget = found.deletedOnTarget;
    // An operator who kept the same deletion before is not asked again; the record is written again all the same.
    const open = await undecidedConflicts(store, found.conflicts);
    if (open.length) await store.upsertMany(open, { runId: run.runId });
    summary.forReview += open.length;
  }
  step('store');
  await input.lease?.assertHeld();
  // Deletes the read proves, before the links: a platform id re-used by another record (ЭПОС: a cell's second mark
  // become its first) is freed with the record it stood for.
  if (input.isSystemOfRecord && input.deletesFromSnapshot) {
    const { partial, held } = readCompleteness(mapped, connector.declaration.routes);
    if (partial) summary.deletesRefused = `partial read (${partial}): no journal deletes this run`;
    // A held record is not missing: what it stands for in the store is under the id of another year's group or term.
    else if (years.held.size) summary.deletesRefused = 'partial read (records held for a kept group or term id of another school year): no journal deletes this run';
    else if (!firstLoad) {
      const plan = await planJournalDeletes(store, { run, schoolId: school.id, lessons, readIds: seen, held, ranges: input.ranges ?? [input.window], threshold: input.deletesFromSnapshot.threshold });
      if (plan.refused) summary.deletesRefused = plan.refused;
      else summary.deleted += await applyJournalDeletes(store, plan, run);
    }
  }
  // The platform's own ids of lessons, works and marks go to the crosswalk: a later push to this
  // platform finds the lesson column to write into, and never creates a second one.
  // A record's first own source ref is its primary platform id (later refs may name related objects).
  const links = [...accepted, ...linkOnly].filter((r) => !tombstoneCopies.has(r.id)).flatMap((r) => {
    const ref = r.sourceRefs.find((x) => x.system === run.system && x.instance === run.instance);
    return ref ? [{ entity: r.entity, canonicalId: r.id, system: run.system, instance: run.instance, sourceId: ref.sourceId, sourceIdKind: ref.kind, matchRule: 'natural_key' }] : [];
  });
  // The system of record renumbered a pupil's marks on a lesson (a mark added in an earlier column): its read says which
  // record each of its platform ids stands for now (renumbered-marks.ts).
  if (input.isSystemOfRecord) await freeRenumberedIds(store, run, links);
  // A platform id already linked to another record (the platform re-numbered a cell, say) is reported, not re-pointed.
  const clear = await linksToWrite(store, run, links, (l) => addQuarantine(summary, `crosswalk conflict ${l.entity}: the platform id already stands for another record`));
  await store.link(clear, { runId: run.runId });
  step('link');
  summary.forReview += conflicts.length;
  summary.finishedAt = new Date().toISOString();
  summary.finals = journalCapabilities(connector, input.finals ?? true, input.journal ?? true).includes('finals.read');
  input.logger?.info({ summary: { ...summary } }, 'journal-sync finished');
  return summary;
}

/** Records the seconds since the previous step under `name` in the summary. */
function stepClock(summary: RunSummary): (name: string) => void {
  let last = performance.now();
  summary.seconds = {};
  return (name) => {
    const now = performance.now();
    summary.seconds![name] = Math.round((now - last) / 10) / 100;
    last = now;
  };
}

/** The journal reads a platform has: final marks only where the connector declares them (АСУ РСО does not yet). */
function journalCapabilities(connector: { declaration: { capabilities: readonly string[] } }, finals: boolean, journal: boolean): ('journal.read' | 'finals.read')[] {
  return (['journal.read', 'finals.read'] as const).filter((c) => connector.declaration.capabilities.includes(c) && (finals || c !== 'finals.read') && (journal || c !== 'journal.read'));
}

/**
 * Who entered a record is a stamp, not what the record is about: a platform stamps its own accounts there — an
 * administrator, or the gateway's profile on a mark it pushed (ЭПОС) — which no roster lists. An unknown person in
 * it leaves the record whole; an unknown pupil, lesson, section or work makes it an orphan.
 */
const STAMPS: ReadonlySet<string> = new Set(['recordedBy']);

function orphanReference(r: CanonicalRecord, unknown: ReadonlyMap<string, EntityName>): { entity: EntityName; id: string } | undefined {
  if (unknown.size === 0) return undefined;
  for (const [k, v] of Object.entries(businessFields(r))) if (typeof v === 'string' && !STAMPS.has(k) && unknown.has(v)) return { entity: unknown.get(v)!, id: v };
  return undefined;
}


function conflictRecords(stored: CanonicalRecord, incoming: CanonicalRecord, run: RunIdentity, organizationId: string): CanonicalRecord[] {
  const a = businessFields(stored);
  const b = businessFields(incoming);
  // Only a value both platforms can carry, and that the incoming one actually holds, is evidence of a
  // disagreement: a field one side cannot carry holds a default, and an empty value is data not yet entered
  // there (what grade push will fill), not a competing value.
  // Nor is what the incoming platform stamps on a record the gateway wrote there (who wrote it, when: `unwritable`).
  const ignore = notCompared(stored.provenance.system, run.system, stored.entity);
  const fields = Object.keys({ ...a, ...b }).filter((f) => !ignore.has(f) && !isEmpty(b[f]) && JSON.stringify(a[f]) !== JSON.stringify(b[f]));
  // A value held in the reading platform's own spelling (5- as 5 on АСУ РСО) is the same value, not a disagreement.
  if (foldOf(foldsOf(run.system), stored, incoming, fields)) return [];
  const out: CanonicalRecord[] = [];
  for (const field of fields) {
    out.push(buildRecord('conflict', {
      conflictEntity: stored.entity, canonicalId: stored.id, field,
      values: [
        { system: stored.provenance.system, value: a[field] },
        { system: run.system, value: b[field] },
      ],
      resolution: 'system_of_record_kept', organizationId,
    }, {
      id: naturalId('conflict', stored.id, field, run.system, run.instance),
      sourceRefs: [{ system: run.system, instance: run.instance, sourceId: stored.id, kind: 'conflict' }],
      provenance: incoming.provenance,
    }));
  }
  return out;
}

/**
 * Of the records this platform holds otherwise than the store, those it holds exactly as the gateway's last confirmed
 * push wrote them there while the store has a newer version (a correction at the system of record, read tonight before
 * tonight's push): the push is about to write it, nobody has anything to decide. A value changed on the platform
 * itself, or one the gateway never wrote there, is still a conflict.
 */
async function awaitingPush(store: Store, run: RunIdentity, differing: readonly { old: CanonicalRecord; r: CanonicalRecord }[]): Promise<Set<string>> {
  const out = new Set<string>();
  const byEntity = new Map<string, { old: CanonicalRecord; r: CanonicalRecord }[]>();
  for (const d of differing) (byEntity.get(d.r.entity) ?? byEntity.set(d.r.entity, []).get(d.r.entity)!).push(d);
  for (const [entity, list] of byEntity) {
    const last = await store.ledgerLastConfirmed(run.instance, entity, list.map((d) => d.r.id));
    // The newer version's own operation, where a push has tried it: refused for good (a change the platform does not
    // take, ЭПОС's absences) means nothing is on its way — that disagreement is the operator's to see.
    const tried = await store.ledgerGetMany(list.map(({ old }) => ledgerKey(run.instance, entity, old.id, old.version)));
    for (const { old, r } of list) {
      const pushed = last.get(r.id);
      if (!pushed?.pushedHash || pushed.op === 'delete' || pushed.canonicalVersion >= old.version) continue;
      if (tried.get(ledgerKey(run.instance, entity, old.id, old.version))?.state === 'refused') continue;
      if (pushed.pushedHash === pushedHash(run.system, r, notCompared(old.provenance.system, run.system, entity))) out.add(r.id);
    }
  }
  return out;
}
