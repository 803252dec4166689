// Grade push of an absence into АСУ РСО: quickedit is given a letter, the system of record's own where it is one of
// NetSchool's meaning the same (ОТ stays ОТ, НП stays НП; letterOf, mappers/asurso/codes.ts). The raw code is left out of
// every comparison (uncarried: another platform's code), so the same-as-pushed skip took a change of the letter alone
// — ОТ → НП, the same unexcused absence — for nothing to send, and АСУ РСО kept ОТ. The pushed hash now covers the letter
// written: such a change is sent; a raw code change that writes the same letter is still not; and a row recorded with
// the hash before (no letter) leads to a send, never a skip.
import { describe, expect, it } from 'vitest';
import type { AttendanceWriteOp, Connector, WriteResult } from '../../src/connectors/contract.js';
import { foldsOf } from '../../src/connectors/registry.js';
import { ATTENDANCE_LETTERS, letterOf } from '../../src/mappers/asurso/codes.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { ledgerKey, type CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { heldContentHash, notCompared, pushedHash } from '../../src/sync/pushed-content.js';
import { change, linkedSchool, records, source, teacher } from '../support/pushed-school.js';

const absence = records.find((r) => r.entity === 'attendance_record' && r.provenance.system === source.system && (r as { kind?: string }).kind === 'absent')!;
const unexcused = (rawCode: string) => ({ kind: 'absent', reason: 'unexcused', rawCode });

/** АСУ РСО taking absences (its folds, as the push reads them from the declaration): each applied, the letter each was written with kept. */
function asurso() {
  const letters: string[] = [];
  const writeAttendance = async (ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]> => {
    for (const op of ops) if (op.record.id === absence.id) letters.push(letterOf(op.record));
    return ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: `t-${op.record.id}` }));
  };
  return { connector: { declaration: { capabilities: ['attendance.write'], folds: foldsOf('asu_rso') }, writeAttendance } as unknown as Connector, letters };
}
const push = (store: CanonicalStore, connector: Connector, runId: string) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'asu_rso', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-12-20T12:00:00Z', chunkSize: 50,
});

describe('grade push into АСУ РСО: an absence whose letter alone changed', () => {
  it('ОТ → НП is sent; НП → нп (written НП all the same) is not', async () => {
    const store = await linkedSchool('asu_rso');
    try {
      await change(store, absence.id, unexcused('ОТ'));
      const t = asurso();
      await push(store, t.connector, 'p1');
      expect(t.letters).toEqual(['ОТ']);
      await change(store, absence.id, { ...unexcused('НП'), recordedBy: teacher });
      const s = await push(store, t.connector, 'p2');
      expect(t.letters).toEqual(['ОТ', 'НП']);
      expect(s.sameAsPushed).toBeUndefined();
      const v = await change(store, absence.id, unexcused('нп'));
      const s2 = await push(store, t.connector, 'p3');
      expect(t.letters).toEqual(['ОТ', 'НП']);
      expect(s2.sameAsPushed).toBe(1);
      expect((await store.ledgerGet(ledgerKey('target', 'attendance_record', absence.id, v)))?.state).toBe('confirmed');
    } finally {
      await store.close();
    }
  });

  it('a last write recorded with the hash before (no letter): sent, never skipped', async () => {
    const store = await linkedSchool('asu_rso');
    try {
      const v1 = await change(store, absence.id, unexcused('ОТ'));
      const r = (await store.get(absence.id)) as CanonicalRecord;
      const key = ledgerKey('target', 'attendance_record', absence.id, v1);
      await store.ledgerBeginMany([{ target: 'target', entity: 'attendance_record', canonicalId: absence.id, canonicalVersion: v1, idempotencyKey: key, op: 'update', pushedHash: heldContentHash(r, notCompared(source.system, 'asu_rso', 'attendance_record')) }]);
      await store.ledgerMarkMany([{ key, mark: { state: 'confirmed', targetId: `t-${absence.id}` } }]);
      await store.link([{ entity: 'attendance_record', canonicalId: absence.id, system: 'asu_rso', instance: 'target', sourceId: `t-${absence.id}`, sourceIdKind: 'id' }], { runId: 'link' });
      await change(store, absence.id, { recordedBy: teacher });
      const t = asurso();
      const s = await push(store, t.connector, 'p1');
      expect(t.letters).toEqual(['ОТ']);
      expect(s.sameAsPushed ?? 0).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('a read of АСУ РСО giving back the letter written hashes as the push recorded it (no conflict while a newer version waits)', async () => {
    const store = await linkedSchool('asu_rso');
    try {
      // No reason yet, a Дневник.ру code: written ОТ, read back as ОТ, unexcused (the platform's fold).
      const v = await change(store, absence.id, { kind: 'absent', reason: 'unknown', rawCode: 'Absent' });
      await push(store, asurso().connector, 'p1');
      const row = await store.ledgerGet(ledgerKey('target', 'attendance_record', absence.id, v));
      const read = { ...((await store.get(absence.id)) as CanonicalRecord), ...ATTENDANCE_LETTERS['ОТ'], rawCode: 'ОТ', recordedBy: teacher };
      expect(row?.pushedHash).toBe(pushedHash('asu_rso', read as CanonicalRecord, notCompared(source.system, 'asu_rso', 'attendance_record')));
      expect(row?.pushedHash).not.toBe(pushedHash('asu_rso', { ...read, ...ATTENDANCE_LETTERS['НП'], rawCode: 'НП' } as CanonicalRecord, notCompared(source.system, 'asu_rso', 'attendance_record')));
    } finally {
      await store.close();
    }
  });
});
