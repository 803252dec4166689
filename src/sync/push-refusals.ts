// What a push counts as refused, and why: the target's answers, and — for a dry run, which sends nothing — the
// refusals its connector declares up front (contract.ts `refusesWrites`), so "would be refused" is what the push that
// follows will be refused, with the same reason.
import { declaredRefusal, type Connector, type WriteOp } from '../connectors/contract.js';
import type { EntityName } from '../model/enums.js';
import type { RunSummary } from './run-summary.js';

/**
 * Counts one refused operation under its reason (the reason's first clause, as quarantine reasons): an operator sees
 * why without the ledger.
 */
export function countRefusal(summary: RunSummary, entity: EntityName, reason: string | undefined): void {
  summary.pushed!.refused++;
  const key = `${entity}: ${(reason ?? 'refused by the target').split(';')[0].slice(0, 120)}`;
  summary.refusedReasons = { ...summary.refusedReasons, [key]: (summary.refusedReasons?.[key] ?? 0) + 1 };
}

/** Why the target will refuse `op` whatever it holds (a write action it has no route for), or undefined. */
export function refusalDeclared(connector: Connector, entity: EntityName, op: Pick<WriteOp<unknown>, 'action'>): string | undefined {
  return declaredRefusal(connector.declaration, entity, op.action);
}

/** Counts a record a write left on the target (contract.ts `leftOnTarget`) under its reason's first clause. */
export function countLeftOnTarget(summary: RunSummary, entity: EntityName, reason: string): void {
  const key = `${entity}: ${reason.split(';')[0].slice(0, 120)}`;
  summary.leftOnTarget = { ...summary.leftOnTarget, [key]: (summary.leftOnTarget?.[key] ?? 0) + 1 };
}
