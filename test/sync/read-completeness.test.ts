// How whole a journal read is for its marks and absences (partial-read.ts): a line naming the cell it may hide holds
// that cell only; a journal route's line naming nothing, or a page the connector knows may lack records, makes the
// whole read partial; a line of another capability's route hides no mark or absence.
import { describe, expect, it } from 'vitest';
import { eposDeclaration } from '../../src/connectors/epos/index.js';
import type { MappedBatch, QuarantineItem } from '../../src/connectors/mapping.js';
import { readCompleteness } from '../../src/sync/partial-read.js';

const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const L1 = '00000000-0000-4000-8000-0000000000a1';
const L2 = '00000000-0000-4000-8000-0000000000a2';
const batch = (quarantine: QuarantineItem[], partial?: string): MappedBatch => ({
  route: 'core/api/marks', records: [], quarantine, payloadHash: 'x',
  context: { system: 'epos', instance: 'unit', timeZone: 'Europe/Moscow', fetchedAt: '2026-09-10T00:00:00Z', runId: 'u', mapperVersion: 'epos-1', ids: {}, ...(partial ? { partial } : {}) },
});
const line = (route: string, holds?: QuarantineItem['holds']): QuarantineItem => ({ route, reason: 'unknown control form', ...(holds ? { holds } : {}) });
const judge = (...batches: MappedBatch[]) => readCompleteness(batches, eposDeclaration.routes);
const rec = (studentId: string, lessonId: string) => ({ entity: 'mark', studentId, lessonId });

describe('readCompleteness', () => {
  it('a mark\'s line naming its cell holds that cell only: the read is not partial, and other cells are judged', () => {
    const r = judge(batch([line('core/api/marks', { studentId: P1, lessonId: L1 })]));
    expect(r.partial).toBeUndefined();
    expect(r.held.has(rec(P1, L1))).toBe(true);
    expect(r.held.has(rec(P1, L2))).toBe(false);
    expect(r.held.has(rec(P2, L1))).toBe(false);
  });

  it('a held line\'s own platform id is held too (its record, wherever its cell is now); a line of another route\'s is not', () => {
    const r = judge(batch([{ ...line('core/api/marks', { studentId: P1, lessonId: L1 }), sourceId: '9001' }, { ...line('core/api/student_profiles'), sourceId: '77' }]));
    expect([...r.held.sourceIds]).toEqual(['9001']);
  });

  it('a line naming only a pupil holds all of the pupil\'s marks and absences; only a lesson, all of the lesson\'s', () => {
    const r = judge(batch([line('core/api/marks', { studentId: P1 }), line('core/api/attendances', { lessonId: L2 })]));
    expect(r.partial).toBeUndefined();
    expect(r.held.has(rec(P1, L1))).toBe(true);
    expect(r.held.has(rec(P2, L2))).toBe(true);
    expect(r.held.has(rec(P2, L1))).toBe(false);
  });

  it('a journal route\'s line naming no cell makes the whole read partial, beside lines that do', () => {
    const r = judge(batch([line('core/api/marks', { studentId: P1, lessonId: L1 }), line('core/api/attendances'), line('core/api/marks', {})]));
    expect(r.partial).toBe('a page or record could not be mapped');
  });

  it('a line of an undeclared route counts as a journal route\'s: partial without a cell', () => {
    expect(judge(batch([line('some/unknown/route')])).partial).toBe('a page or record could not be mapped');
    expect(judge(batch([line('some/unknown/route', { lessonId: L1 })])).partial).toBeUndefined();
  });

  it('a roster or finals route\'s line hides no mark or absence: nothing partial, nothing held', () => {
    const r = judge(batch([line('core/api/student_profiles'), line('core/api/control_forms')]));
    expect(r.partial).toBeUndefined();
    expect(r.held.empty).toBe(true);
  });

  it('a line naming several cells (a moved lesson: tonight\'s and the one its marks are stored under) holds each; one naming nothing in the list makes the read partial', () => {
    const r = judge(batch([line('core/api/marks', [{ studentId: P1, lessonId: L1 }, { studentId: P1, lessonId: L2 }])]));
    expect(r.partial).toBeUndefined();
    expect([r.held.has(rec(P1, L1)), r.held.has(rec(P1, L2)), r.held.has(rec(P2, L2))]).toEqual([true, true, false]);
    expect(judge(batch([line('core/api/marks', [{ lessonId: L1 }, {}])])).partial).toBe('a page or record could not be mapped');
    expect(judge(batch([line('core/api/marks', [])])).partial).toBe('a page or record could not be mapped');
  });

  it('a line that hides no mark or absence (a homework entry: holds \'none\') refuses nothing and holds nothing', () => {
    const r = judge(batch([line('core/api/student_homeworks', 'none')]));
    expect(r.partial).toBeUndefined();
    expect(r.held.empty).toBe(true);
  });

  it('a page the connector knows may lack records (a list that shifted mid-read) makes the read partial, whatever the lines', () => {
    expect(judge(batch([], 'the marks list changed while it was read')).partial).toBe('the marks list changed while it was read');
  });
});
