// A push reads, checks and sends its records a slice of whole lessons at a time, so a school-year's marks are never
// all in memory: the slice size changes nothing the target sees — the same operations, each written once, a
// lesson's marks in one write call, and a cell's first mark before its second.
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord, MarkRecord } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 2 });
// The generated school is the configured school `s1`.
const records = school.records.map((r) => (r.entity === 'homeroom_class' ? { ...r, organizationId: schoolCanonicalId('s1') } : r)) as CanonicalRecord[];
const source = records.find((r) => r.entity === 'mark')!.provenance;

async function push(sliceSize?: number) {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
  try {
    await store.upsertMany(records, { runId: 'load' });
    // The target knows every pupil and lesson (by the canonical id, for the test).
    const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson');
    await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
    const calls: (MarkWriteOp | AttendanceWriteOp)[][] = [];
    const written = (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
      calls.push([...ops]);
      return Promise.resolve(ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` })));
    };
    const connector = { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: written, writeAttendance: written } as unknown as Connector;
    const summary = await gradePush({
      store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
      school: { id: 's1' }, runId: 'push', now: '2025-09-02T12:00:00Z', chunkSize: 20, ...(sliceSize ? { sliceSize } : {}),
    });
    return { summary, calls };
  } finally {
    await store.close();
  }
}

describe('grade push slice by slice', () => {
  it('writes the same operations whatever the slice size: each once, a lesson in one call, slot 1 before slot 2', async () => {
    const whole = await push();
    const sliced = await push(15);
    const ids = (calls: typeof whole.calls) => calls.flat().map((op) => op.operationId).sort();
    expect(whole.summary.pushed!.applied).toBeGreaterThan(100);
    expect(sliced.summary.pushed).toEqual(whole.summary.pushed);
    expect(ids(sliced.calls)).toEqual(ids(whole.calls));
    expect(new Set(ids(sliced.calls)).size).toBe(ids(sliced.calls).length);
    expect(sliced.calls.length).toBeGreaterThan(whole.calls.length);

    const callOfLesson = new Map<string, number>();
    let retakes = 0;
    sliced.calls.forEach((call, i) => {
      const slotSeen = new Map<string, number>();
      for (const op of call) {
        const r = op.record as MarkRecord;
        expect(callOfLesson.get(`${r.entity}|${r.lessonId}`) ?? i).toBe(i);
        callOfLesson.set(`${r.entity}|${r.lessonId}`, i);
        if (r.entity !== 'mark') continue;
        const cell = `${r.lessonId}|${r.studentId}`;
        expect(r.slot).toBeGreaterThanOrEqual(slotSeen.get(cell) ?? 1);
        if (r.slot === 2 && slotSeen.get(cell) === 1) retakes++;
        slotSeen.set(cell, r.slot);
      }
    });
    expect(retakes).toBeGreaterThan(0);
  }, 120_000);
});
