// A push that can no longer renew its lease (its renewals fail past the lease's time-to-live: a database hiccup, a
// stalled process) must stop writing before a second push takes the lapsed lease over. Before, `withLease` ignored
// what `renewLease` answered and the push never checked that it still held the lease, so both pushes sent the same
// pending operations: the target was sent 701 marks twice (on ЭПОС a second POST of a mark whose first write has not
// been recorded yet is a second mark). Now the push checks its lease before every write call (lease-keeper.ts).
import { describe, expect, it, vi } from 'vitest';

// Renewals of the first push's lease fail (the statement errors), as during a database hiccup.
vi.mock('../../src/store/leases.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/store/leases.js')>();
  return {
    ...orig,
    renewLease: async (...args: Parameters<typeof orig.renewLease>) => {
      if (args[2] === 'push-a') throw new Error('connection terminated unexpectedly');
      return orig.renewLease(...args);
    },
  };
});

import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { LeaseHeldError, LeaseLostError } from '../../src/store/errors.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 1 });
const records = school.records.map((r) => (r.entity === 'homeroom_class' ? { ...r, organizationId: schoolCanonicalId('s1') } : r)) as CanonicalRecord[];
const source = records.find((r) => r.entity === 'mark')!.provenance;

async function loaded(): Promise<CanonicalStore> {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
  await store.upsertMany(records, { runId: 'load' });
  const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson');
  await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
  return store;
}

/** A slow target (each write call takes a while) counting every operation it is sent. */
function target() {
  const sent = new Map<string, number>();
  const write = async (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
    await new Promise((r) => setTimeout(r, 120));
    for (const op of ops) sent.set(op.operationId, (sent.get(op.operationId) ?? 0) + 1);
    return ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` }));
  };
  const connector = { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: write, writeAttendance: write } as unknown as Connector;
  return { connector, sent };
}

const push = (store: CanonicalStore, connector: Connector, runId: string) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-09-02T12:00:00Z', chunkSize: 20, parallelCalls: 1, leaseTtlMs: LEASE_TTL_MS,
});

/**
 * Long enough next to a write call (120 ms) that a call the first push starts just before it stops trusting its lease
 * (half the time-to-live) ends before the lease lapses, even on a loaded machine: the test is of the push's checks, not
 * of the margin.
 */
const LEASE_TTL_MS = 2_000;

/** The second push as a scheduler runs it: tried again while the lease is another run's (a queued job is retried). */
async function pushUntilDone(store: CanonicalStore, connector: Connector, runId: string): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await push(store, connector, `${runId}-${attempt}`);
    } catch (e) {
      if (attempt >= 20 || !(e instanceof LeaseHeldError || e instanceof LeaseLostError)) throw e;
    }
  }
}

describe('grade push: a push whose lease lapsed under it', () => {
  it('stops writing once it no longer holds the lease: no operation reaches the target twice', async () => {
    const store = await loaded();
    try {
      const t = target();
      const a = push(store, t.connector, 'push-a').catch((e: unknown) => e);
      // A second push (the next scheduled one, a CLI push) a moment later: it waits for the lease, then takes it over
      // once the first push's lease lapsed.
      await new Promise((r) => setTimeout(r, 50));
      const b = pushUntilDone(store, t.connector, 'push-b');
      expect(await a).toBeInstanceOf(LeaseLostError);
      await b;
      expect(t.sent.size).toBeGreaterThan(100);
      const twice = [...t.sent.values()].filter((n) => n > 1).length;
      expect(twice).toBe(0);
    } finally {
      await store.close();
    }
  }, 120_000);
});
