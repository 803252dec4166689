// An unlock order (приказ о разблокировке, R-22/R-24) recorded by an operator on the administration's instruction
// (seed 000: «только по указанию администрации … может открыть доступ к редактированию закрытого ранее периода»).
// It names the sections, optionally the pupils, the days and how long it is valid; R-22 then lets the changes it
// covers through, and the next grade push sends the ones it held. Checked before it is stored: sections and pupils of
// this school, a director or deputy as the issuer (R-24). Ids only — no names reach the record or the messages.
import { zonedToInstant } from '../model/dates.js';
import { naturalId } from '../model/ids.js';
import { buildRecord, type UnlockOrderRecord } from '../model/index.js';
import { validateRecords } from '../model/rules/index.js';
import type { Store } from '../store/index.js';
import { loadRuleContext } from './rule-context.js';

export class UnlockOrderError extends Error {}

export interface UnlockOrderInput {
  organizationId: string;
  timeZone: string;
  orderNumber: string;
  orderDate: string;
  issuedBy: string;
  sectionIds: string[];
  studentIds: string[];
  from: string;
  to: string;
  /** The last day the order is valid (through its end, in the school's zone). */
  validThrough: string;
  reason: string;
  /**
   * The issuer's role as the operator states it (`--issuer-role`): recorded as the issuer's role assignment at the
   * school from the order's date. None of the four platforms' public APIs lists a school's administration, so without
   * it R-24 could only pass for a role some other source brought in.
   */
  issuerRole?: 'director' | 'deputy_academic';
  runId: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function recordUnlockOrder(store: Store, input: UnlockOrderInput): Promise<UnlockOrderRecord> {
  for (const [name, d] of [['--order-date', input.orderDate], ['--from', input.from], ['--to', input.to], ['--valid-through', input.validThrough]] as const) {
    if (!DATE.test(d) || Number.isNaN(Date.parse(d))) throw new UnlockOrderError(`${name} ${d}: expected a date YYYY-MM-DD`);
  }
  if (input.from > input.to) throw new UnlockOrderError(`--from ${input.from} is after --to ${input.to}`);
  if (input.validThrough < input.orderDate) throw new UnlockOrderError(`--valid-through ${input.validThrough} is before the order's date ${input.orderDate}`);
  if (input.sectionIds.length === 0) throw new UnlockOrderError('an unlock order names at least one section (--section ID)');
  const context = await loadRuleContext(store, input.organizationId);
  const sections = new Set(context.filter((r) => r.entity === 'section').map((r) => r.id));
  const pupils = new Set(context.filter((r) => r.entity === 'enrollment').map((r) => (r as unknown as { personId: string }).personId));
  const foreignSections = input.sectionIds.filter((id) => !sections.has(id));
  if (foreignSections.length) throw new UnlockOrderError(`no section ${foreignSections.join(', ')} in this school`);
  const foreignPupils = input.studentIds.filter((id) => !pupils.has(id));
  if (foreignPupils.length) throw new UnlockOrderError(`no pupil ${foreignPupils.join(', ')} enrolled in this school`);
  const at = new Date().toISOString();
  const provenance = { system: 'gateway' as const, instance: 'operator', fetchedAt: at, payloadHash: 'n/a', runId: input.runId, mapperVersion: 'gateway' };
  const issuerRole = input.issuerRole && buildRecord('role_assignment', {
    personId: input.issuedBy, organizationId: input.organizationId, role: input.issuerRole, isPrimary: false, beginDate: input.orderDate,
  }, { id: naturalId('role_assignment', input.organizationId, input.issuedBy, input.issuerRole, 'operator'), sourceRefs: [], provenance });
  if (issuerRole && !(await store.get(input.issuedBy))) throw new UnlockOrderError(`--issued-by ${input.issuedBy}: no such person in the store`);
  const order = buildRecord('unlock_order', {
    orderNumber: input.orderNumber, orderDate: input.orderDate, issuedBy: input.issuedBy,
    scope: { sectionIds: input.sectionIds, studentIds: input.studentIds, from: input.from, to: input.to },
    validUntil: zonedToInstant(`${input.validThrough}T23:59:59`, input.timeZone), reason: input.reason,
  }, {
    // The same order recorded again (a typo fixed) replaces itself.
    id: naturalId('unlock_order', input.organizationId, input.orderNumber, input.orderDate), sourceRefs: [], provenance,
  }) as UnlockOrderRecord;
  const refused = validateRecords([...context, ...(issuerRole ? [issuerRole] : []), order], { now: at, only: ['R-24'] });
  if (refused.length) {
    throw new UnlockOrderError(`R-24: ${input.issuedBy} is not on record as a director or a deputy director (УВР) of this school on ${input.orderDate}: the order is not recorded (--issuer-role director|deputy_academic records the role, as the administration's instruction states it)`);
  }
  if (issuerRole) await store.upsert(issuerRole, { runId: input.runId });
  await store.upsert(order, { runId: input.runId });
  return order;
}

/** One recorded order of a school as `unlock --list` shows it: ids and dates only. */
export interface UnlockOrderListing {
  id: string; orderNumber: string; orderDate: string; status: 'active' | 'revoked';
  scope: UnlockOrderRecord['scope']; validUntil: string;
}

/**
 * The school's unlock orders, revoked ones included, oldest order first. An order names no organization: it is the
 * school's when it names one of its sections or pupils or was issued by one of its people (as R-22 judges it).
 */
export async function listUnlockOrders(store: Store, organizationId: string): Promise<UnlockOrderListing[]> {
  const context = await loadRuleContext(store, organizationId);
  const sections = new Set(context.filter((r) => r.entity === 'section' || r.entity === 'homeroom_class').map((r) => r.id));
  const people = new Set(context.filter((r) => r.entity === 'enrollment').map((r) => (r as unknown as { personId: string }).personId));
  const issuers = new Set(context.filter((r) => r.entity === 'role_assignment').map((r) => (r as unknown as { personId: string }).personId));
  const out: UnlockOrderListing[] = [];
  for (const status of ['active', 'deleted'] as const) {
    for await (const r of store.iterate('unlock_order', { status })) {
      const o = r as UnlockOrderRecord;
      const ours = o.scope.sectionIds.some((id) => sections.has(id)) || o.scope.studentIds.some((id) => people.has(id)) || people.has(o.issuedBy) || issuers.has(o.issuedBy);
      if (ours) out.push({ id: o.id, orderNumber: o.orderNumber, orderDate: o.orderDate, status: status === 'active' ? 'active' : 'revoked', scope: o.scope, validUntil: o.validUntil });
    }
  }
  return out.sort((a, b) => a.orderDate.localeCompare(b.orderDate) || a.orderNumber.localeCompare(b.orderNumber));
}

/**
 * Revokes an order recorded by mistake (a wrong number, section or period): it is tombstoned, never erased, so the
 * store still shows it was recorded and when it was revoked; R-22 stops letting its changes through from the next
 * push on. What a push already sent under it stays sent.
 */
export async function revokeUnlockOrder(store: Store, input: { organizationId: string; orderNumber: string; orderDate: string; runId: string }): Promise<UnlockOrderListing> {
  if (!DATE.test(input.orderDate) || Number.isNaN(Date.parse(input.orderDate))) throw new UnlockOrderError(`--order-date ${input.orderDate}: expected a date YYYY-MM-DD`);
  // An order's id is minted from the school, its number and its date: one recorded for another school is not found.
  const id = naturalId('unlock_order', input.organizationId, input.orderNumber, input.orderDate);
  const stored = await store.get(id);
  if (!stored || stored.entity !== 'unlock_order') {
    const known = (await listUnlockOrders(store, input.organizationId)).filter((o) => o.status === 'active').map((o) => `${o.orderNumber} of ${o.orderDate}`);
    throw new UnlockOrderError(`no unlock order ${input.orderNumber} of ${input.orderDate} is recorded for this school (${known.length ? `recorded: ${known.join(', ')}` : 'none is recorded'})`);
  }
  const o = stored as UnlockOrderRecord;
  const found: UnlockOrderListing = { id, orderNumber: o.orderNumber, orderDate: o.orderDate, status: o.status === 'deleted' ? 'revoked' : 'active', scope: o.scope, validUntil: o.validUntil };
  if (found.status === 'revoked') throw new UnlockOrderError(`unlock order ${input.orderNumber} of ${input.orderDate} is already revoked`);
  await store.deleteRecord('unlock_order', id, { reason: 'manual', evidence: input.runId, runId: input.runId });
  return { ...found, status: 'revoked' };
}
