// Which records a push target's read proves deleted there by hand (target-deletes.ts judgeVanished): pure, on
// synthetic records — the e2e test (target-deletes.e2e.test.ts) runs it against the emulators.
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/model/index.js';
import { HeldCells } from '../../src/sync/held-cells.js';
import { againTagFor, judgeVanished } from '../../src/sync/target-deletes.js';

const mark = (id: string, markDate = '2025-09-03', status = 'active') => ({ id, entity: 'mark', status, markDate }) as unknown as CanonicalRecord;
const absence = (id: string) => ({ id, entity: 'attendance_record', status: 'active' }) as unknown as CanonicalRecord;
const ranges = [{ from: '2025-09-01', to: '2025-09-07' }];

function judge(records: CanonicalRecord[], opts: { read?: string[]; readSourceIds?: string[]; unlinked?: string[]; notPushed?: string[]; threshold?: number; unmapped?: HeldCells } = {}) {
  const linked = new Map(records.filter((r) => !opts.unlinked?.includes(r.id)).map((r) => [r.id, `p-${r.id}`]));
  const pushed = new Set(records.map((r) => r.id).filter((id) => !opts.notPushed?.includes(id)));
  const read = { ids: new Set(opts.read ?? []), sourceIds: new Set(opts.readSourceIds ?? []), ...(opts.unmapped ? { unmapped: opts.unmapped } : {}) };
  return judgeVanished({ records, linked, pushed, read, ranges, threshold: opts.threshold ?? 0.5 });
}

describe('a record the push wrote into a target, missing from its read', () => {
  it('is deleted there by hand: a mark and an absence, with the platform id that is gone', () => {
    const out = judge([mark('a'), absence('b'), mark('c')], { read: ['c'] });
    expect(out.vanished).toEqual([{ entity: 'mark', id: 'a', sourceId: 'p-a' }, { entity: 'attendance_record', id: 'b', sourceId: 'p-b' }]);
    expect(out.scope).toBe(3);
  });

  it('still held under its platform id (a cell the target renumbered, read under another key) is not', () => {
    expect(judge([mark('a')], { readSourceIds: ['p-a'] }).vanished).toEqual([]);
  });

  it('in a cell a line of the read could not map, or under the platform id a line names, is not judged', () => {
    const cell = (id: string, studentId: string, lessonId: string) => ({ ...mark(id), studentId, lessonId }) as unknown as CanonicalRecord;
    const unmapped = new HeldCells();
    unmapped.add({ studentId: 'P1', lessonId: 'L1' });
    unmapped.sourceIds.add('p-b');
    const out = judge([cell('a', 'P1', 'L1'), cell('b', 'P2', 'L2'), cell('c', 'P1', 'L2')], { unmapped });
    expect(out.vanished.map((v) => v.id)).toEqual(['c']);
    expect(out.scope).toBe(1);
  });

  it('a record the system of record deleted (tombstone), one the push never wrote or last deleted there, one not linked there: not judged', () => {
    const out = judge([mark('a', '2025-09-03', 'deleted'), mark('b'), mark('c')], { notPushed: ['b'], unlinked: ['c'] });
    expect(out).toEqual({ vanished: [], scope: 0 });
  });

  it('a mark dated outside the days read is not judged (platforms answer marks by their own date)', () => {
    expect(judge([mark('a', '2025-09-08'), mark('b', '2025-08-31')]).vanished).toEqual([]);
  });

  it('more than the threshold\'s share missing (at least 5) judges none: an answer that lost its marks is no deletion', () => {
    const records = Array.from({ length: 8 }, (_, i) => mark(`m${i}`));
    const out = judge(records, { read: ['m0', 'm1'], threshold: 0.5 });
    expect(out.vanished).toEqual([]);
    expect(out.refused).toMatch(/^6 of 8 marks and absences the push wrote into the lessons read are missing here \(75% > 50%\)/);
    // Four missing is below the floor: judged whatever their share.
    expect(judge(records.slice(0, 4), { threshold: 0.1 }).vanished).toHaveLength(4);
  });

  it('every absence missing while the marks are all there judges none: an attendance answer that came back empty is no deletion', () => {
    // Absences are few beside marks: 10 of 110 is within a 10% threshold of the two together.
    const records = [...Array.from({ length: 100 }, (_, i) => mark(`m${i}`)), ...Array.from({ length: 10 }, (_, i) => absence(`a${i}`))];
    const out = judge(records, { read: records.filter((r) => r.entity === 'mark').map((r) => r.id), threshold: 0.1 });
    expect(out.vanished).toEqual([]);
    expect(out.refused).toMatch(/10 of 10 attendance_record/);
  });

  it('some absences missing while others are read (a class marked absent by mistake, cleared by hand) are judged as ever', () => {
    const records = [...Array.from({ length: 100 }, (_, i) => mark(`m${i}`)), ...Array.from({ length: 20 }, (_, i) => absence(`a${i}`))];
    const out = judge(records, { read: records.map((r) => r.id).filter((id) => !['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'].includes(id)), threshold: 0.1 });
    expect(out.refused).toBeUndefined();
    expect(out.vanished).toHaveLength(8);
  });

  it('each copy lost has its own push-again tag (a copy written again and deleted again is written once more, even under the same platform id)', () => {
    expect(againTagFor('101', 'run-1')).toMatch(/^gone-[0-9a-f]{12}$/);
    expect(againTagFor('101', 'run-1')).toBe(againTagFor('101', 'run-1'));
    expect(againTagFor('101', 'run-1')).not.toBe(againTagFor('102', 'run-1'));
    expect(againTagFor('101', 'run-1')).not.toBe(againTagFor('101', 'run-2'));
  });
});
