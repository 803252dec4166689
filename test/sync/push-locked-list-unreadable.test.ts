// The list of changes R-22 held back (`push-locked:<school>`) when it cannot be parsed: like the pending list, it makes
// the push read every change again ("never lose a waiting mark"). Before, it was read as empty (`?? {}`): a held
// change whose list was lost was never checked again (the cursor had moved past it), so the unlock order recorded for
// it let nothing through.
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { buildRecord, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 1 });
const dsSchool = school.records.find((r) => r.entity === 'organization' && (r as { type?: string }).type === 'school')!.id;
const S1 = schoolCanonicalId('s1');
const records = (school.records as CanonicalRecord[])
  .filter((r) => r.entity !== 'journal_lock' && r.entity !== 'unlock_order')
  .map((r) => ((r as { organizationId?: string }).organizationId === dsSchool ? { ...r, organizationId: S1 } : r)) as CanonicalRecord[];
const source = records.find((r) => r.entity === 'mark')!.provenance;
const lessons = records.filter((r) => r.entity === 'lesson') as (CanonicalRecord & { date: string; sectionId: string })[];
const lastDate = lessons.map((l) => l.date).sort().at(-1)!;
const deputy = records.find((r) => r.entity === 'role_assignment' && (r as { role: string }).role === 'deputy_academic') as CanonicalRecord & { personId: string };
const gatewayProvenance = { ...source, system: 'gateway' as const, instance: 'ops' };
const mark = records.find((r) => r.entity === 'mark' && r.provenance.system === source.system) as CanonicalRecord & { lessonId: string; studentId: string };
const markLesson = lessons.find((l) => l.id === mark.lessonId)!;

/** The school's journal in a store, linked on the target, with the whole week closed. */
async function lockedSchool(): Promise<CanonicalStore> {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
  await store.upsertMany(records, { runId: 'load' });
  const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson');
  await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
  await store.upsertMany([buildRecord('journal_lock', { organizationId: S1, scope: 'school', lockedThrough: lastDate, rule: 'biweekly', createdAt: '2025-09-01T00:00:00Z' },
    { id: '0190a000-0000-7000-8000-000000000001', sourceRefs: [], provenance: gatewayProvenance })], { runId: 'lock' });
  return store;
}
const unlockOrder = () => buildRecord('unlock_order', {
  orderNumber: '7-ОД', orderDate: '2025-12-19', issuedBy: deputy.personId,
  scope: { sectionIds: [markLesson.sectionId], studentIds: [mark.studentId], from: markLesson.date, to: markLesson.date },
  validUntil: '2025-12-31T00:00:00Z', reason: 'исправление по заявлению учителя',
}, { id: '0190a000-0000-7000-8000-000000000002', sourceRefs: [], provenance: gatewayProvenance });

/** A target that takes every write and counts what it was sent. */
function target() {
  const sent = new Map<string, CanonicalRecord>();
  const write = async (ops: readonly (MarkWriteOp | AttendanceWriteOp)[]): Promise<WriteResult[]> => {
    for (const op of ops) sent.set(op.record.id, op.record as CanonicalRecord);
    return ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` }));
  };
  return { connector: { declaration: { capabilities: ['marks.write', 'attendance.write'] }, writeMarks: write, writeAttendance: write } as unknown as Connector, sent };
}
const push = (store: CanonicalStore, connector: Connector, runId: string, dryRun = false) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-12-20T12:00:00Z', chunkSize: 20, dryRun,
});

describe('grade push: an unreadable list of changes held by R-22', () => {
  it('loses no held change: the unlock order still lets it through', async () => {
    const store = await lockedSchool();
    try {
      const t = target();
      const first = await push(store, t.connector, 'p1');
      expect(first.refusedByLock!.count).toBeGreaterThan(0);
      // The list cannot be read (a value cut off, edited by hand, restored from an older format).
      await store.setCursor({ system: 'epos', instance: 'target', entity: 'push-locked:s1', kind: 'none', value: '{"mark":["0190', runId: 'corrupt' });
      await store.upsertMany([unlockOrder()], { runId: 'order' });
      await push(store, t.connector, 'p2');
      expect(t.sent.has(mark.id)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
