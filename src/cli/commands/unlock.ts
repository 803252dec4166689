// `journal-gateway unlock`: records an unlock order (приказ) the school's administration issued for a closed journal
// period (R-22, R-24), lists the school's orders (`--list`), or revokes one recorded by mistake (`--revoke`). Prints
// ids and dates only; the next grade push sends the changes an order covers, and stops sending them once revoked.
import { randomUUID } from 'node:crypto';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { UsageError } from '../../infra/operator-errors.js';
import { openConfiguredStore, schoolById } from '../../jobs/job-context.js';
import type { Store } from '../../store/index.js';
import { schoolCanonicalId } from '../../sync/roster-sync.js';
import { listUnlockOrders, recordUnlockOrder, revokeUnlockOrder, UnlockOrderError } from '../../sync/unlock-order.js';

export interface UnlockOptions {
  config: string; school: string; list?: boolean; revoke?: boolean; order?: string; orderDate?: string; issuedBy?: string;
  section?: string[]; student?: string[]; from?: string; to?: string; validThrough?: string; reason?: string; issuerRole?: string;
}

/** The options an action needs, checked before the store is opened: one line naming every one missing. */
function need<K extends keyof UnlockOptions>(opts: UnlockOptions, action: string, keys: readonly K[]): asserts opts is UnlockOptions & Required<Pick<UnlockOptions, K>> {
  const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const missing = keys.filter((k) => opts[k] === undefined || (Array.isArray(opts[k]) && (opts[k] as unknown[]).length === 0));
  if (missing.length) throw new UsageError(`${action} needs ${missing.map(flag).join(', ')}`);
}

export async function run(opts: UnlockOptions): Promise<number> {
  if (opts.list && opts.revoke) throw new UsageError('unlock: --list and --revoke are two different actions; give one');
  if (opts.revoke) need(opts, 'unlock --revoke', ['order', 'orderDate']);
  else if (!opts.list) need(opts, 'unlock', ['order', 'orderDate', 'issuedBy', 'section', 'from', 'to', 'validThrough', 'reason']);
  if (opts.issuerRole !== undefined && opts.issuerRole !== 'director' && opts.issuerRole !== 'deputy_academic') {
    throw new UsageError(`--issuer-role ${opts.issuerRole}: director or deputy_academic (R-24)`);
  }
  const cfg = loadCheckedConfig(opts.config);
  const school = schoolById(cfg, opts.school);
  const organizationId = schoolCanonicalId(school.id);
  const store = await openConfiguredStore(cfg);
  try {
    // A wrong id or date is the operator's to fix: one line, exit 64, nothing stored.
    return await act(store, opts, organizationId, school).catch((e: unknown) => {
      throw e instanceof UnlockOrderError ? new UsageError(e.message) : e;
    });
  } finally {
    await store.close();
  }
}

async function act(store: Store, opts: UnlockOptions, organizationId: string, school: { id: string; timeZone: string }): Promise<number> {
  const line = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  if (opts.list) {
    const orders = await listUnlockOrders(store, organizationId);
    for (const o of orders) line({ kind: 'unlock_order', ...o });
    process.stderr.write(`${orders.length} unlock order(s) recorded for school ${school.id} (${orders.filter((o) => o.status === 'active').length} in force or expired, ${orders.filter((o) => o.status === 'revoked').length} revoked)\n`);
    return 0;
  }
  if (opts.revoke) {
    const o = await revokeUnlockOrder(store, { organizationId, orderNumber: opts.order!, orderDate: opts.orderDate!, runId: `unlock-revoke-${randomUUID()}` });
    line({ kind: 'unlock_order', ...o });
    process.stderr.write(`order ${o.orderNumber} of ${o.orderDate} revoked: from the next push of school ${school.id} on, R-22 holds the changes it covered again (what was already sent stays sent)\n`);
    return 0;
  }
  const order = await recordUnlockOrder(store, {
    organizationId, timeZone: school.timeZone, orderNumber: opts.order!, orderDate: opts.orderDate!,
    issuedBy: opts.issuedBy!, sectionIds: opts.section!, studentIds: opts.student ?? [], from: opts.from!, to: opts.to!,
    validThrough: opts.validThrough!, reason: opts.reason!, runId: `unlock-${randomUUID()}`,
    ...(opts.issuerRole ? { issuerRole: opts.issuerRole as 'director' | 'deputy_academic' } : {}),
  });
  line({ kind: 'unlock_order', id: order.id, orderNumber: order.orderNumber, scope: order.scope, validUntil: order.validUntil });
  process.stderr.write(`order ${order.orderNumber} recorded: the next push of school ${school.id} sends the changes it covers\n`);
  return 0;
}
