// The school's journal closes every N days (R-23; seed 000: «закрывает доступ к редактированию оценок и посещаемости
// каждые две недели»). Before each grade push the gateway moves its JournalLock of the school to the end of the last
// whole N-day block since 1 September, so R-22 refuses pushes into a closed period without an unlock order. The lock
// only ever moves forward: a new school year's first block is open, and last year's lock stays as it was.
import { addDays, schoolYearStart } from '../model/dates.js';
import { naturalId } from '../model/ids.js';
import { buildRecord, type JournalLockRecord } from '../model/index.js';
import type { Store } from '../store/index.js';


const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The last day of the last whole `everyDays`-day block since 1 September before `today`; null in the first block. */
export function lockedThroughOn(today: string, everyDays: number): string | null {
  const start = schoolYearStart(today);
  const blocks = Math.floor((dayNumber(today) - dayNumber(start)) / everyDays);
  return blocks === 0 ? null : addDays(start, blocks * everyDays - 1);
}

/** The id of the gateway's lock of a school: one record, moved forward. */
export const gatewayLockId = (organizationId: string) => naturalId('journal_lock', organizationId, 'school', 'gateway');

export interface LockAdvance {
  lockedThrough: string | null;
  moved: boolean;
}

export async function advanceJournalLock(store: Store, input: { organizationId: string; today: string; everyDays: number; runId: string; now?: string }): Promise<LockAdvance> {
  const id = gatewayLockId(input.organizationId);
  const existing = (await store.get(id)) as JournalLockRecord | undefined;
  const current = existing && existing.status === 'active' ? existing.lockedThrough : null;
  const due = lockedThroughOn(input.today, input.everyDays);
  if (due === null || (current !== null && due <= current)) return { lockedThrough: current, moved: false };
  const at = input.now ?? new Date().toISOString();
  await store.upsert(buildRecord('journal_lock', {
    organizationId: input.organizationId, scope: 'school', lockedThrough: due, rule: input.everyDays === 14 ? 'biweekly' : `every_${input.everyDays}_days`, createdAt: at,
  }, {
    id, sourceRefs: [],
    provenance: { system: 'gateway', instance: 'journal-lock', fetchedAt: at, payloadHash: 'n/a', runId: input.runId, mapperVersion: 'gateway' },
  }), { runId: input.runId });
  return { lockedThrough: due, moved: true };
}
