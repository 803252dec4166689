// One pupil refused alone (403 for the account there) holds back no other pupil of their group, whatever the slice
// size: a group judged on one pupil in one slice is asked with another pupil in the next (refused-groups.ts `asked`).
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 2 });
const records = school.records.map((r) => (r.entity === 'homeroom_class' ? { ...r, organizationId: schoolCanonicalId('s1') } : r)) as CanonicalRecord[];
const source = records.find((r) => r.entity === 'mark')!.provenance;

async function push(sliceSize: number | undefined, refusedPupil?: string) {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
  try {
    await store.upsertMany(records, { runId: 'load' });
    const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson');
    await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
    // The target refuses one pupil alone (403 for the account there, as the e2e test's "one pupil refused alone").
    const refused = refusedPupil;
    const seen = { refused: 0 };
    const calls: MarkWriteOp[][] = [];
    const marks = (ops: readonly MarkWriteOp[]): Promise<WriteResult[]> => {
      calls.push([...ops]);
      return Promise.resolve(ops.map((op) => {
        if (op.record.studentId !== refused) return { operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` };
        seen.refused++;
        return { operationId: op.operationId, status: 'failed', reason: 'forbidden', retryable: true, accountRefused: true };
      }));
    };
    const attendance = (ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]> =>
      Promise.resolve(ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` })));
    const connector = { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: marks, writeAttendance: attendance } as unknown as Connector;
    const summary = await gradePush({
      store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
      school: { id: 's1' }, runId: 'push', now: '2025-09-02T12:00:00Z', chunkSize: 20, ...(sliceSize ? { sliceSize } : {}),
    }).catch((e: { summaries?: unknown[] }) => (e.summaries?.[0] ?? Promise.reject(e)) as never);
    return { summary, calls, refused, pupilOps: records.filter((r) => r.entity === 'mark' && (r as { studentId?: string }).studentId === refused).length };
  } finally {
    await store.close();
  }
}

describe('one pupil refused alone, slice by slice', () => {
  it('only that pupil\'s writes fail, with the default slice and with small slices', async () => {
    // A pupil whose group's first lesson (as a push of one lesson a slice sends them) holds their marks alone.
    const probe = await push(1);
    const lessons = new Map(records.filter((r) => r.entity === 'lesson').map((l) => [l.id, (l as { sectionId: string }).sectionId]));
    const firstOfGroup = new Map<string, MarkWriteOp[]>();
    for (const call of probe.calls) {
      const g = lessons.get(call[0].record.lessonId)!;
      if (!firstOfGroup.has(g)) firstOfGroup.set(g, call);
    }
    const alone = [...firstOfGroup.values()].find((call) => new Set(call.map((op) => op.record.studentId)).size === 1)!;
    expect(alone).toBeDefined();
    const pupil = alone[0].record.studentId;
    for (const size of [undefined, 1]) {
      const { summary, pupilOps } = await push(size, pupil);
      expect({ size, accountRefused: summary.accountRefused, failed: summary.pushed!.failed }).toEqual({ size, accountRefused: undefined, failed: pupilOps });
    }
  }, 120_000);
});
