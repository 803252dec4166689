// Grade push of a new version the target would hold exactly as the last confirmed push wrote it: a change to a field
// the target does not carry (who recorded a mark; ЭПОС stamps that itself) writes nothing there. The version is
// recorded in the ledger as done without a request, counted, and never held by R-22 in a closed period. A changed
// value or carried field, a delete and a "push again" request (the same content sent once more on purpose) still go.
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { ledgerKey, type CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { requestPushAgain } from '../../src/sync/push-again.js';
import { formatSummary } from '../../src/sync/run-summary.js';
import { change, linkedSchool as linkedOn, records, S1, source, teacher } from '../support/pushed-school.js';

type Mark = CanonicalRecord & { raw: string; recordedBy: string; comment?: string };
const marks = records.filter((r) => r.entity === 'mark' && r.provenance.system === source.system) as Mark[];
const [mark, other] = [marks[0], marks.find((m) => m.raw !== marks[0].raw)!];
const lastDate = (records.filter((r) => r.entity === 'lesson') as (CanonicalRecord & { date: string })[]).map((l) => l.date).sort().at(-1)!;
const gatewayProvenance = { ...source, system: 'gateway' as const, instance: 'ops' };
const linkedSchool = () => linkedOn('epos');
const closeWeek = (store: CanonicalStore) => store.upsertMany([buildRecord('journal_lock', {
  organizationId: S1, scope: 'school', lockedThrough: lastDate, rule: 'biweekly', createdAt: '2025-09-01T00:00:00Z',
}, { id: '0190a000-0000-7000-8000-000000000011', sourceRefs: [], provenance: gatewayProvenance })], { runId: 'lock' });

/** A target that takes every write and keeps each operation it was sent. */
function target() {
  const sent: (MarkWriteOp | AttendanceWriteOp)[] = [];
  const write = async (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
    sent.push(...ops);
    return ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` }));
  };
  return { connector: { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: write, writeAttendance: write } as unknown as Connector, sent };
}
const push = (store: CanonicalStore, connector: Connector, runId: string, dryRun = false) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-12-20T12:00:00Z', chunkSize: 20, dryRun,
});
const keyOf = (id: string, version: number) => ledgerKey('target', 'mark', id, version);

describe('grade push: a new version the target would hold as last pushed', () => {
  it('only who recorded the mark changed: no request, the new version done in the ledger with the same hash, counted', async () => {
    const store = await linkedSchool();
    try {
      const t = target();
      const first = await push(store, t.connector, 'p1');
      expect(first.pushed!.applied).toBeGreaterThan(0);
      const v1 = (await store.get(mark.id))!.version;
      t.sent.length = 0;
      const v2 = await change(store, mark.id, { recordedBy: teacher });
      expect(v2).toBeGreaterThan(v1);
      const dry = await push(store, t.connector, 'dry', true);
      expect(dry.sameAsPushed).toBe(1);
      expect(await store.ledgerGet(keyOf(mark.id, v2))).toBeNull();
      const second = await push(store, t.connector, 'p2');
      expect(t.sent).toEqual([]);
      expect(second.pushed).toMatchObject({ applied: 0, unchanged: 1, refused: 0, failed: 0 });
      expect(second.sameAsPushed).toBe(1);
      expect(formatSummary(second)).toContain('not sent, the target holding them as last pushed (counted in unchanged) 1');
      const before = (await store.ledgerGet(keyOf(mark.id, v1)))!;
      expect(await store.ledgerGet(keyOf(mark.id, v2))).toMatchObject({
        state: 'confirmed', op: 'update', canonicalVersion: v2, pushedHash: before.pushedHash, targetId: `t-${mark.id}`, attempts: 0,
      });
      // A second push finds nothing to do.
      const third = await push(store, t.connector, 'p3');
      expect(t.sent).toEqual([]);
      expect(third.pushed).toMatchObject({ applied: 0, unchanged: 0 });
      expect(third.sameAsPushed).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('a changed value or a changed carried field (the comment) is sent, and so is a delete', async () => {
    const store = await linkedSchool();
    try {
      const t = target();
      await push(store, t.connector, 'p1');
      t.sent.length = 0;
      await change(store, mark.id, { recordedBy: teacher, raw: other.raw, base: (other as { base?: unknown }).base, modifier: (other as { modifier?: unknown }).modifier, numeric: (other as { numeric?: unknown }).numeric });
      await change(store, other.id, { recordedBy: teacher, comment: 'пересдача' });
      const third = marks.find((m) => m.id !== mark.id && m.id !== other.id)!;
      await store.deleteRecord('mark', third.id, { reason: 'source_tombstone', runId: 'delete' });
      const s = await push(store, t.connector, 'p2');
      expect(s.sameAsPushed).toBeUndefined();
      expect(t.sent.map((op) => [op.record.id, op.action]).sort()).toEqual([[mark.id, 'upsert'], [other.id, 'upsert'], [third.id, 'delete']].sort());
      expect(t.sent.find((op) => op.record.id === mark.id)!.record).toMatchObject({ raw: other.raw });
    } finally {
      await store.close();
    }
  });

  it('back to the confirmed value after a write whose answer never came: sent (the target may hold the unanswered one)', async () => {
    const store = await linkedSchool();
    try {
      const t = target();
      await push(store, t.connector, 'p1');
      const original = { raw: mark.raw, base: (mark as { base?: unknown }).base, modifier: (mark as { modifier?: unknown }).modifier, numeric: (mark as { numeric?: unknown }).numeric };
      // «4» → «5»: the write times out (the target may have applied it).
      await change(store, mark.id, { raw: other.raw, base: (other as { base?: unknown }).base, modifier: (other as { modifier?: unknown }).modifier, numeric: (other as { numeric?: unknown }).numeric });
      const timingOut = { ...t.connector, writeMarks: async (ops: readonly MarkWriteOp[]) => ops.map((op) => ({ operationId: op.operationId, status: 'failed' as const, reason: 'timeout' })) } as Connector;
      expect((await push(store, timingOut, 'p2')).pushed!.failed).toBe(1);
      // «5» → «4» again: the same content as the last confirmed write, but not known to be what the target holds.
      t.sent.length = 0;
      await change(store, mark.id, original);
      const s = await push(store, t.connector, 'p3');
      expect(s.sameAsPushed).toBeUndefined();
      expect(t.sent.map((op) => op.record.id)).toContain(mark.id);
      expect(t.sent.find((op) => op.record.id === mark.id)!.record).toMatchObject({ raw: mark.raw });
    } finally {
      await store.close();
    }
  });

  it('a push-again request is written though its content is what was pushed (the target lost it, or an operator kept it)', async () => {
    const store = await linkedSchool();
    try {
      const t = target();
      await push(store, t.connector, 'p1');
      t.sent.length = 0;
      const v2 = await change(store, mark.id, { recordedBy: teacher });
      await requestPushAgain(store, { system: 'epos', instance: 'target' }, 'mark', mark.id, 'kept-1', 'review');
      const s = await push(store, t.connector, 'p2');
      expect(t.sent.map((op) => op.operationId)).toEqual([`${keyOf(mark.id, v2)}|again:kept-1`]);
      expect(s.sameAsPushed).toBeUndefined();
      expect((await store.ledgerGet(`${keyOf(mark.id, v2)}|again:kept-1`))?.state).toBe('confirmed');
    } finally {
      await store.close();
    }
  });

  it('in a closed period (R-22): not refused nor listed; a changed value there still is', async () => {
    const store = await linkedSchool();
    try {
      const t = target();
      await push(store, t.connector, 'p1');
      await closeWeek(store);
      t.sent.length = 0;
      await change(store, mark.id, { recordedBy: teacher });
      const s = await push(store, t.connector, 'p2');
      expect(t.sent).toEqual([]);
      expect(s.refusedByLock).toBeUndefined();
      expect(s.pushed).toMatchObject({ refused: 0, unchanged: 1 });
      expect(s.sameAsPushed).toBe(1);
      await change(store, other.id, { comment: 'пересдача' });
      const next = await push(store, t.connector, 'p3');
      expect(t.sent).toEqual([]);
      expect(next.refusedByLock).toMatchObject({ rule: 'R-22', count: 1, sample: [{ entity: 'mark', id: other.id }] });
      expect(next.sameAsPushed).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
