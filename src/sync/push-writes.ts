// What a push does with one write call: sends it through the connector, then records each answer in the outbound
// ledger (confirmed, refused for good, or failed and due again), links what the target created, and counts it all in
// the run's summary. A call that throws fails each of its operations, so none is lost from the count.
import type { Connector, WriteOp, WriteResult } from '../connectors/contract.js';
import { isAccountRefusal } from '../connectors/write-results.js';
import type { EntityName } from '../model/enums.js';
import type { CanonicalRecord } from '../model/index.js';
import type { CrosswalkLink, LedgerMarkInput, Store } from '../store/index.js';
import type { PushTarget } from './grade-push.js';
import { linksToWrite } from './link-clashes.js';
import { countLeftOnTarget, countRefusal } from './push-refusals.js';
import { addQuarantine, type RunSummary } from './run-summary.js';

export async function write(connector: Connector, entity: EntityName, ops: WriteOp<CanonicalRecord>[]): Promise<WriteResult[]> {
  try {
    if (entity === 'mark') return await connector.writeMarks!(ops as never);
    if (entity === 'lesson') return await connector.writeLessons!(ops as never);
    return await connector.writeAttendance!(ops as never);
  } catch (e) {
    const err = e as { message?: string; retryable?: boolean; retryAfterMs?: number };
    return ops.map((op) => ({
      operationId: op.operationId, status: 'failed', reason: err.message ?? String(e), retryable: err.retryable ?? true, ...(isAccountRefusal(e) ? { accountRefused: true } : {}),
      ...(typeof err.retryAfterMs === 'number' ? { retryAfterMs: err.retryAfterMs } : {}),
    }));
  }
}

/**
 * Records a write call's answers; true when any of them failed, so the push keeps its cursor and sends them again.
 * Every failed write stays due, whether or not a retry of the job soon may help (`pushFailures.retryable` counts
 * those): before, a call that threw an account refusal (403) or a 4xx as a whole let the cursor move past its
 * changes, and they were never sent again.
 */
export async function recordResults(
  store: Store, target: PushTarget, entity: EntityName, ops: WriteOp<CanonicalRecord>[], results: WriteResult[],
  summary: RunSummary, runId: string,
): Promise<boolean> {
  const pushed = summary.pushed!;
  const byOp = new Map(results.map((r) => [r.operationId, r]));
  let due = false;
  const links: CrosswalkLink[] = [];
  const marks: { key: string; mark: LedgerMarkInput }[] = [];
  const mark = (key: string, m: LedgerMarkInput) => marks.push({ key, mark: m });
  for (const op of ops) {
    const r = byOp.get(op.operationId) ?? { operationId: op.operationId, status: 'failed' as const, reason: 'no result from the connector', retryable: true };
    if (r.status === 'applied' || r.status === 'unchanged') {
      mark(op.operationId, { state: 'confirmed', ...(r.sourceId ? { targetId: r.sourceId } : {}) });
      if (r.status === 'applied') pushed.applied++;
      else pushed.unchanged++;
      if (r.leftOnTarget) countLeftOnTarget(summary, entity, r.leftOnTarget);
      // Deleted there (or its cell taken by another mark): the platform id no longer stands for it. Left open, it
      // refused the mark now written into that cell (a crosswalk conflict that failed the push).
      if (op.action === 'delete') {
        if (op.existingSourceId) await store.closeCrosswalk(target.system, target.instance, entity, op.existingSourceId, { at: new Date().toISOString() });
        continue;
      }
      if (r.sourceId && r.sourceId !== op.existingSourceId) {
        // Written anew (the target had removed the one the gateway knew): the old platform id is closed, the new one
        // linked, or every later push would address a mark that is gone and write it once more.
        if (op.existingSourceId) await store.closeCrosswalk(target.system, target.instance, entity, op.existingSourceId, { at: new Date().toISOString() });
        links.push({ entity, canonicalId: op.record.id, system: target.system, instance: target.instance, sourceId: r.sourceId, sourceIdKind: 'id', matchRule: 'pushed' });
      }
    } else if (r.status === 'refused') {
      mark(op.operationId, { state: 'refused', lastError: r.reason ?? 'refused by the target' });
      countRefusal(summary, entity, r.reason);
    } else {
      mark(op.operationId, { state: 'failed', lastError: r.reason ?? 'failed' });
      pushed.failed++;
      due = true;
      const failures = (summary.pushFailures ??= { retryable: 0, first: r.reason ?? 'failed' });
      if (r.accountRefused) failures.accountRefused = (failures.accountRefused ?? 0) + 1;
      if (r.retryable !== false) {
        failures.retryable++;
        // The longest wait the target asked for: the job's next attempt comes after it (src/jobs/job-backoff.ts).
        if (r.retryAfterMs !== undefined) failures.retryAfterMs = Math.max(failures.retryAfterMs ?? 0, r.retryAfterMs);
      }
    }
  }
  await store.ledgerMarkMany(marks);
  // A target id already standing for another record is counted, not re-pointed: the write itself is done and confirmed.
  if (links.length) {
    const clear = await linksToWrite(store, { system: target.system, instance: target.instance, runId }, links,
      (l) => addQuarantine(summary, `crosswalk conflict ${l.entity}: the target's id of a written record already stands for another record`));
    await store.link(clear, { runId });
  }
  return due;
}
