// A new version whose content, as the target holds it, is what the last confirmed push wrote there: nothing to send.
// A change to a field no target carries (who recorded a mark — a teacher merge re-stamps every record the merged-away
// teacher ever stamped, merged-teacher.ts; a lesson's scheduled teacher, when its write carries its homework alone) gives
// a record a new version; sending it wrote the same value again, and in
// a closed period R-22 held it and listed it on every push until an unlock order covered it. Such an operation is
// recorded in the ledger as confirmed without a request (its own key `target|entity|canonicalId|version`, the same
// `pushed_hash`, no attempt counted), so a second push finds it done, and a later read of the target compares with it
// (journal-sync.ts `awaitingPush`). docs/sync.md "A teacher merge".
import type { WriteOp } from '../connectors/contract.js';
import type { CanonicalRecord } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { RunSummary } from './run-summary.js';

/**
 * Entities whose `pushed_hash` covers what their write carries: a mark's and an absence's compared fields, a lesson's
 * homework as written (pushed-content.ts `pushedHash`; a lesson row recorded before that hash never equals it).
 */
const COMPARED: ReadonlySet<string> = new Set(['mark', 'attendance_record', 'lesson']);

/** What one of these operations would write, hashed as grade push keeps it in the ledger (`pushed_hash`). */
export type PushedHashOf = (record: CanonicalRecord) => string;

/**
 * The update operations of `ops` (marks, absences, lessons) whose hash equals the `pushed_hash` of the record's last confirmed operation on this
 * target, written to the very platform id the update addresses now — operation id → that platform id. Not: a create
 * or a delete; a record written again on purpose (`again`: its key `…|again:<tag>`, push-again.ts — the target lost it
 * or holds another value, and the same content is what is to be sent); one whose own operation a push already
 * confirmed or the target refused; a last write that was a delete, has no hash (ledger rows before store migration
 * 005) or no platform id, or went to another platform id than the crosswalk's now. A read only (a dry run counts them
 * too).
 */
export async function sameAsPushed(
  store: Store, target: string, entity: string, ops: readonly WriteOp<CanonicalRecord>[], hashOf: PushedHashOf,
  again: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  if (!COMPARED.has(entity)) return new Map();
  const candidates = ops.filter((op) => op.action === 'upsert' && op.existingSourceId && op.record.status !== 'deleted' && !again.has(op.record.id));
  const out = new Map<string, string>();
  if (candidates.length === 0) return out;
  const ids = candidates.map((op) => op.record.id);
  const [last, own, unsettled] = await Promise.all([
    store.ledgerLastConfirmed(target, entity, ids),
    store.ledgerGetMany(candidates.map((op) => op.operationId)),
    store.ledgerUnsettledVersions(target, entity, ids),
  ]);
  for (const op of candidates) {
    // Its own operation done or refused already: the push counts it the usual way, and the ledger keeps its outcome.
    const state = own.get(op.operationId)?.state;
    if (state === 'confirmed' || state === 'refused') continue;
    const row = last.get(op.record.id);
    if (!row || row.op === 'delete' || !row.pushedHash || !row.targetId || row.targetId !== op.existingSourceId) continue;
    // A later write whose answer never came (sent, or failed on a timeout) may have changed the target since: what it
    // holds is not known to be the confirmed content, so this version is sent (a teacher's «4» → «5» → «4»).
    const pending = unsettled.get(op.record.id);
    if (pending !== undefined && pending > row.canonicalVersion) continue;
    if (row.pushedHash === hashOf(op.record)) out.set(op.operationId, row.targetId);
  }
  return out;
}

/** Records the operations {@link sameAsPushed} found as confirmed on the target, with their hash and platform id. */
export async function recordSameAsPushed(
  store: Store, target: string, entity: string, ops: readonly WriteOp<CanonicalRecord>[], found: ReadonlyMap<string, string>,
  hashOf: PushedHashOf,
): Promise<void> {
  const done = ops.filter((op) => found.has(op.operationId));
  if (done.length === 0) return;
  await store.ledgerBeginMany(done.map((op) => ({
    target, entity, canonicalId: op.record.id, canonicalVersion: op.record.version, idempotencyKey: op.operationId,
    op: 'update' as const, pushedHash: hashOf(op.record),
  })));
  await store.ledgerMarkMany(done.map((op) => ({ key: op.operationId, mark: { state: 'confirmed' as const, targetId: found.get(op.operationId)!, countAttempt: false } })));
}

/**
 * `ops` without those whose content the target holds as last pushed: these are recorded as done (not by a dry run)
 * and counted — in `pushed.unchanged`, as any operation already done, and on their own in `sameAsPushed`.
 */
export async function withoutSameAsPushed(
  ctx: { store: Store; target: string; entity: string; hashOf: PushedHashOf; again: ReadonlyMap<string, string>; dryRun?: boolean; summary: RunSummary },
  ops: WriteOp<CanonicalRecord>[],
): Promise<WriteOp<CanonicalRecord>[]> {
  const found = await sameAsPushed(ctx.store, ctx.target, ctx.entity, ops, ctx.hashOf, ctx.again);
  if (found.size === 0) return ops;
  if (!ctx.dryRun) await recordSameAsPushed(ctx.store, ctx.target, ctx.entity, ops, found, ctx.hashOf);
  ctx.summary.pushed!.unchanged += found.size;
  ctx.summary.sameAsPushed = (ctx.summary.sameAsPushed ?? 0) + found.size;
  return ops.filter((op) => !found.has(op.operationId));
}
