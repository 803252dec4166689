// The push and its ledger under the operator's and the scheduler's feet: two pushes of one school into one target at
// once (a push longer than its interval picked up by a second worker, a CLI push beside the scheduled one) send each
// operation once, not twice; and `push --dry-run` answers what a push would do now, the ledger included.
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { LeaseHeldError, openStore, type CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { formatSummary } from '../../src/sync/run-summary.js';

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

/** A target that takes its time and counts every operation it is sent; `failFirst` fails the first one (retryable). */
function target(opts: { failFirst?: boolean } = {}) {
  const sent = new Map<string, number>();
  let fail = !!opts.failFirst;
  const write = async (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
    await new Promise((r) => setTimeout(r, 20));
    for (const op of ops) sent.set(op.operationId, (sent.get(op.operationId) ?? 0) + 1);
    return ops.map((op, i) => {
      if (fail && i === 0) {
        fail = false;
        return { operationId: op.operationId, status: 'failed', reason: 'timeout', retryable: true };
      }
      return { operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` };
    });
  };
  const connector = { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: write, writeAttendance: write } as unknown as Connector;
  return { connector, sent };
}

const push = (store: CanonicalStore, connector: Connector, runId: string, extra: { dryRun?: boolean; leaseTtlMs?: number } = {}) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-09-02T12:00:00Z', chunkSize: 20, ...extra,
});

describe('grade push: one at a time, and a dry run that reads the ledger', () => {
  it('two pushes at once: every operation is sent once; the second finds the first one\'s work done', async () => {
    const store = await loaded();
    try {
      const t = target();
      const [a, b] = await Promise.all([push(store, t.connector, 'push-a'), push(store, t.connector, 'push-b')]);
      expect(t.sent.size).toBeGreaterThan(100);
      expect([...t.sent.values()].filter((n) => n > 1)).toEqual([]);
      const [first, second] = a.pushed!.applied > 0 ? [a, b] : [b, a];
      expect(first.pushed!.applied).toBe(t.sent.size);
      expect(second.pushed!.applied).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('a push that cannot get the lease in time says so (a retryable failure), sending nothing', async () => {
    const store = await loaded();
    try {
      const slow = target();
      const key = { system: 'epos', instance: 'target', name: 'lease:push:s1' };
      await store.withLease(key, 'someone-else', async () => {
        const t = target();
        await expect(push(store, t.connector, 'push-late', { leaseTtlMs: 300 })).rejects.toBeInstanceOf(LeaseHeldError);
        expect(t.sent.size).toBe(0);
      }, { ttlMs: 60_000 });
      expect((await push(store, slow.connector, 'push-after')).pushed!.applied).toBeGreaterThan(100); // given back: the next one runs
    } finally {
      await store.close();
    }
  });

  it('a holder that died stops renewing: its lease lapses and the next push runs', async () => {
    const store = await loaded();
    try {
      // A lease taken and never given back (its process was killed), with a short time-to-live.
      const { tryLease } = await import('../../src/store/leases.js');
      expect(await tryLease((store as unknown as { driver: Parameters<typeof tryLease>[0] }).driver, { system: 'epos', instance: 'target', name: 'lease:push:s1' }, 'killed-run', 200)).toBe(true);
      const t = target();
      const s = await push(store, t.connector, 'push-next', { leaseTtlMs: 200 });
      expect(s.pushed!.applied).toBe(t.sent.size);
    } finally {
      await store.close();
    }
  });

  it('--dry-run after a push with one retryable failure says one would be sent, the rest are there already', async () => {
    const store = await loaded();
    try {
      const t = target({ failFirst: true });
      const first = await push(store, t.connector, 'push-1');
      expect(first.pushed!.failed).toBe(1);
      const dry = await push(store, t.connector, 'dry', { dryRun: true });
      expect(dry.pushed).toMatchObject({ applied: 1, unchanged: first.pushed!.applied });
      // Said as what it is, in the summary and the run file: a pasted dry run must not read as a real push.
      expect(dry.dryRun).toBe(true);
      expect(formatSummary(dry)).toContain(`dry run, nothing written: would apply 1, unchanged ${first.pushed!.applied}`);
      expect(formatSummary(dry)).not.toContain('pushed:');
      const real = await push(store, t.connector, 'push-2');
      expect(real.pushed).toMatchObject({ applied: dry.pushed!.applied, unchanged: dry.pushed!.unchanged });
      expect(real.dryRun).toBeUndefined();
      expect(formatSummary(real)).toContain('pushed: applied 1');
    } finally {
      await store.close();
    }
  });
});
