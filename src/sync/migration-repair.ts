// A migration run again: records the target already holds are checked, not assumed. The target is read back before
// the push; what it lost is created again and what it holds otherwise (a correction in the source, a change behind
// the gateway's back) is updated (docs/migration.md, test/sync/migrate-repair.e2e.test.ts).
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { MigrationPlan, MigrationSide } from './migrate.js';
import { hasCapability } from '../connectors/contract.js';
import { MIGRATED, schoolHomework, schoolJournal, type Window } from './migration-journal.js';
import { reconcile, type Drift } from './migration-reconcile.js';
import type { RunIdentity } from './reference-resolver.js';

/**
 * Reads the target back and compares it with the source's marks and absences before the push: per entity, records
 * linked to the target but missing there count as to create again, those held with other content as to update, and
 * neither as already there. Returns them, for the push to write again.
 */
export async function driftBeforePush(
  store: Store, from: RunIdentity, to: MigrationSide, slices: Window[], schoolId: string, plan: MigrationPlan, unlinkedWritten: ReadonlySet<string> = new Set(),
): Promise<Drift[]> {
  // Homework too, where the target takes it: a homework a teacher deleted there is written again.
  const homework = hasCapability(to.connector.declaration, 'lessons.write') ? await schoolHomework(store, schoolId, from, slices) : undefined;
  const { drift } = await reconcile(store, from, to, slices, await schoolJournal(store, schoolId, from, slices), [], { from: slices[0].from, to: slices.at(-1)!.to }, homework);
  const linked = new Set<string>();
  for (const entity of MIGRATED) {
    const ids = drift.filter((d) => d.entity === entity).map((d) => d.id);
    for (const id of (await store.sourceIdsFor(to.run.system, to.run.instance, entity, ids)).keys()) linked.add(id);
  }
  // Written before but unlinked since (a repair run stopped between unlinking it and writing it again): its first write
  // is confirmed in the ledger, so only a write again puts it back. The plan counted it already (to create: not linked).
  const repair = drift.filter((d) => linked.has(d.id) || unlinkedWritten.has(d.id));
  plan.toUpdate = Object.fromEntries(MIGRATED.map((e) => [e, repair.filter((d) => d.entity === e && d.kind === 'different' && linked.has(d.id)).length]));
  const lessons = drift.filter((d) => d.entity === 'lesson');
  // A homework the target should hold but does not as written: an update where the push wrote it before (confirmed
  // in the ledger); one never written is already counted to create (a resumed run labelled those "to update").
  const writtenBefore = (await store.ledgerLastConfirmed(to.run.instance, 'lesson', lessons.map((d) => d.id))).size;
  if (writtenBefore) {
    plan.toUpdate.homework = writtenBefore;
    if (plan.alreadyThere.homework !== undefined) plan.alreadyThere.homework -= writtenBefore;
  }
  for (const d of repair) {
    if (!linked.has(d.id)) continue;
    plan.alreadyThere[d.entity]--;
    if (d.kind === 'missing') plan.toCreate[d.entity]++;
  }
  return [...repair, ...lessons];
}

/**
 * The source's marks and absences the target has no crosswalk link for though a write of them there is confirmed in the
 * ledger: a repair run unlinked them (the target lost them, or holds them under another id) and stopped before writing
 * them again. Their first operation is done in the ledger, so the push skips it: before, no later run wrote them again.
 */
export async function unlinkedButWritten(store: Store, to: RunIdentity, journal: readonly CanonicalRecord[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const entity of MIGRATED) {
    const ids = journal.filter((r) => r.entity === entity).map((r) => r.id);
    const linked = await store.sourceIdsFor(to.system, to.instance, entity, ids);
    const unlinked = ids.filter((id) => !linked.has(id));
    for (const id of (await store.ledgerLastConfirmed(to.instance, entity, unlinked)).keys()) out.add(id);
  }
  return out;
}

/**
 * Points the crosswalk at what the target holds before records are written again: a record it lost is unlinked (its
 * platform id is gone: it is created anew), one it holds under another platform id (deleted and entered again there)
 * is linked to that id (updated, not written a second time into its cell). Returns the ids to write again, per entity.
 */
export async function prepareRepair(store: Store, to: MigrationSide, repair: readonly Drift[]): Promise<Partial<Record<EntityName, string[]>>> {
  const out: Partial<Record<EntityName, string[]>> = {};
  const at = new Date().toISOString();
  for (const entity of MIGRATED) {
    const list = repair.filter((d) => d.entity === entity);
    if (!list.length) continue;
    const linked = await store.sourceIdsFor(to.run.system, to.run.instance, entity, list.map((d) => d.id));
    const links = [];
    for (const d of list) {
      const old = linked.get(d.id);
      const now = d.kind === 'different' ? d.targetSourceId : undefined;
      if (old && old !== now) await store.closeCrosswalk(to.run.system, to.run.instance, entity, old, { at });
      if (now && old !== now) links.push({ entity, canonicalId: d.id, system: to.run.system, instance: to.run.instance, sourceId: now, sourceIdKind: 'id', matchRule: 'read_back' });
    }
    if (links.length) await store.link(links, { runId: to.run.runId });
    out[entity] = list.map((d) => d.id);
  }
  // A lesson's homework is written again into the same lesson: its link stays as it is.
  const lessons = repair.filter((d) => d.entity === 'lesson').map((d) => d.id);
  if (lessons.length) out.lesson = lessons;
  return out;
}
