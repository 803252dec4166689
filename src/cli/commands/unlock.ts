// `journal-gateway unlock`: records an unlock order (приказ) the school's administration issued for a closed journal
// period. Prints the order's id and scope (ids only); the next grade push sends the changes it covers.
import { randomUUID } from 'node:crypto';
import { loadConfigFile } from '../../config/load.js';
import { UsageError } from '../../infra/operator-errors.js';
import { openConfiguredStore, schoolById } from '../../jobs/job-context.js';
import { schoolCanonicalId } from '../../sync/roster-sync.js';
import { recordUnlockOrder, UnlockOrderError } from '../../sync/unlock-order.js';

export interface UnlockOptions {
  config: string; school: string; order: string; orderDate: string; issuedBy: string; section: string[]; student?: string[];
  from: string; to: string; validThrough: string; reason: string; issuerRole?: string;
}

export async function run(opts: UnlockOptions): Promise<number> {
  const cfg = loadConfigFile(opts.config);
  const school = schoolById(cfg, opts.school);
  if (opts.issuerRole !== undefined && opts.issuerRole !== 'director' && opts.issuerRole !== 'deputy_academic') {
    throw new UsageError(`--issuer-role ${opts.issuerRole}: director or deputy_academic (R-24)`);
  }
  const store = await openConfiguredStore(cfg);
  try {
    const order = await recordUnlockOrder(store, {
      organizationId: schoolCanonicalId(school.id), timeZone: school.timeZone, orderNumber: opts.order, orderDate: opts.orderDate,
      issuedBy: opts.issuedBy, sectionIds: opts.section, studentIds: opts.student ?? [], from: opts.from, to: opts.to,
      validThrough: opts.validThrough, reason: opts.reason, runId: `unlock-${randomUUID()}`,
      ...(opts.issuerRole ? { issuerRole: opts.issuerRole as 'director' | 'deputy_academic' } : {}),
    }).catch((e: unknown) => {
      // A wrong id or date is the operator's to fix: one line, exit 64, nothing stored.
      throw e instanceof UnlockOrderError ? new UsageError(e.message) : e;
    });
    process.stdout.write(`${JSON.stringify({ kind: 'unlock_order', id: order.id, orderNumber: order.orderNumber, scope: order.scope, validUntil: order.validUntil })}\n`);
    process.stderr.write(`order ${order.orderNumber} recorded: the next push of school ${school.id} sends the changes it covers\n`);
    return 0;
  } finally {
    await store.close();
  }
}
