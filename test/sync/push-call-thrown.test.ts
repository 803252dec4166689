// A write call that fails as a whole (the connector throws before answering any operation: Дневник.ру's absences
// look up the school's time zone first, and a 403 there fails the whole call) fails each of its operations. Those
// writes stay due, as any failed write does (docs/sync.md "What the target's answer means"): the next push sends
// them. Before, a failure the error called not retryable (an account refusal, a 4xx) let the cursor move past the
// change, and the absence was never sent again — though the push's error said the writes "stay due".
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { GatewayHttpError } from '../../src/connectors/http/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { change, linkedSchool, records, source } from '../support/pushed-school.js';

const absence = records.find((r) => r.entity === 'attendance_record' && r.provenance.system === source.system) as CanonicalRecord & { reason: string };

const forbidden = () => new GatewayHttpError({
  platform: 'dnevnik', instance: 'target', route: '/v2/schools/{id}', method: 'GET', status: 403, action: 'fail', failureType: 'config',
  message: 'dnevnik GET /v2/schools/{id}: 403 forbidden', attempts: 1,
});

/** A target taking every write, or — while `refusing` — throwing an account refusal for every absence call. */
function target() {
  const state = { refusing: false, sent: [] as (MarkWriteOp | AttendanceWriteOp)[] };
  const take = async (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
    state.sent.push(...ops);
    return ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` }));
  };
  const writeAttendance = async (ops: readonly AttendanceWriteOp[]) => {
    if (state.refusing) throw forbidden();
    return take(ops);
  };
  return { connector: { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: take, writeAttendance } as unknown as Connector, state };
}
const push = (store: CanonicalStore, connector: Connector, runId: string) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'dnevnik_ru', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-12-20T12:00:00Z',
});

describe('grade push: a write call that throws as a whole', () => {
  it('keeps its operations due: the next push sends the changed absence', async () => {
    const store = await linkedSchool('dnevnik_ru');
    try {
      const t = target();
      await push(store, t.connector, 'p1');
      await change(store, absence.id, { reason: absence.reason === 'illness' ? 'excused' : 'illness' });
      t.state.refusing = true;
      t.state.sent.length = 0;
      const refused = await push(store, t.connector, 'p2');
      expect(refused.pushed!.failed).toBe(1);
      t.state.refusing = false;
      const next = await push(store, t.connector, 'p3');
      expect(t.state.sent.map((op) => op.record.id)).toEqual([absence.id]);
      expect(next.pushed).toMatchObject({ applied: 1, failed: 0 });
    } finally {
      await store.close();
    }
  });
});
