// A migration's push (GradePushInput.window, src/sync/push-window.ts) sends only records whose lesson lies in the
// migration's window: before, it sent every change since the push cursor, beyond what the migration planned and
// reconciled. What it leaves out is not lost: it moves no cursor, so the next scheduled push (no window) sends the rest
// — and, through the ledger, nothing the windowed push sent a second time.
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord, LessonRecord } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 2 });
const records = school.records.map((r) => (r.entity === 'homeroom_class' ? { ...r, organizationId: schoolCanonicalId('s1') } : r)) as CanonicalRecord[];
const source = records.find((r) => r.entity === 'mark')!.provenance;
const FIRST_WEEK = { from: '2025-09-01', to: '2025-09-05' };

describe('grade push with a migration window', () => {
  it('sends the window only and leaves the rest for the next scheduled push', async () => {
    const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await store.upsertMany(records, { runId: 'load' });
      const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson');
      await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
      const sent: string[][] = [];
      let batch: string[] = [];
      const written = (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
        batch.push(...ops.map((op) => op.record.id));
        return Promise.resolve(ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` })));
      };
      const connector = { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: written, writeAttendance: written } as unknown as Connector;
      const run = async (runId: string, window?: typeof FIRST_WEEK) => {
        batch = [];
        const summary = await gradePush({
          store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
          school: { id: 's1' }, runId, now: '2025-09-02T12:00:00Z', ...(window ? { window } : {}),
        });
        sent.push(batch);
        return summary;
      };
      const dateOf = new Map(records.filter((r) => r.entity === 'lesson').map((l) => [l.id, (l as LessonRecord).date]));
      const journal = records.filter((r) => r.entity === 'mark' || r.entity === 'attendance_record') as (CanonicalRecord & { lessonId: string })[];
      const inWeek = journal.filter((r) => { const d = dateOf.get(r.lessonId)!; return d >= FIRST_WEEK.from && d <= FIRST_WEEK.to; });
      expect(inWeek.length).toBeGreaterThan(0);
      expect(inWeek.length).toBeLessThan(journal.length);

      const windowed = await run('migrate', FIRST_WEEK);
      expect(sent[0].sort()).toEqual(inWeek.map((r) => r.id).sort());
      expect(windowed.pushed!.applied).toBe(inWeek.length);
      expect(await store.getCursor('epos', 'target', 'push:s1')).toBeNull();

      // The scheduled push: the second week, and none of the first again (the ledger holds it confirmed).
      const scheduled = await run('nightly');
      const firstWeek = new Set(inWeek.map((r) => r.id));
      expect(sent[1].filter((id) => firstWeek.has(id))).toEqual([]);
      expect(sent[1].length).toBe(journal.length - inWeek.length);
      expect(scheduled.pushed!.unchanged).toBe(inWeek.length);
      expect((await store.getCursor('epos', 'target', 'push:s1'))?.value).toBeDefined();
    } finally {
      await store.close();
    }
  }, 120_000);
});
