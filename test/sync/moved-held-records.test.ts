// A moved lesson's marks and absences the re-read could not map (src/sync/moved-held-records.ts): a record of a held cell
// moves with its lesson as last read — new key, new lesson, its date and work column with it — instead of staying
// tombstoned (the push deleted it from the targets, although the platform still holds it). What is not held, or what
// the re-read has under the new key, is left to the read.
import { describe, expect, it } from 'vitest';
import type { MappedBatch } from '../../src/connectors/mapping.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { attendanceId, lessonId, markId, workId } from '../../src/model/ids.js';
import { parseRecord, recomputeHash, type CanonicalRecord, type LessonRecord, type MarkRecord, type WorkRecord } from '../../src/model/index.js';
import { HeldCells } from '../../src/sync/held-cells.js';
import { heldOnMovedLessons } from '../../src/sync/moved-held-records.js';

const run = { system: 'epos' as const, instance: 'sor', runId: 'r1', mapperVersion: 't' };
const school = generateSchool({ seed: 4, pupils: 60, weeks: 1 });
const marks = school.records.filter((r): r is MarkRecord => r.entity === 'mark');
const lessons = school.records.filter((r): r is LessonRecord => r.entity === 'lesson');
const absences = school.records.filter((r) => r.entity === 'attendance_record') as { lessonId: string }[];
// A lesson with marks of at least two pupils, a retake and an absence among them.
const from = lessons.find((l) => new Set(marks.filter((m) => m.lessonId === l.id).map((m) => m.studentId)).size >= 2
  && marks.some((m) => m.lessonId === l.id && m.retakeOfMarkId) && absences.some((a) => a.lessonId === l.id))!;
const to: LessonRecord = { ...from, date: '2025-09-06', id: lessonId(from.sectionId, '2025-09-06', from.lessonNumber) };
const onLesson = (r: CanonicalRecord) => (r as { lessonId?: string }).lessonId === from.id;
/** As the re-key found them: the old lesson with its works, marks and absences, each with this platform's id. */
const tombstoned: CanonicalRecord[] = [from, ...school.records.filter(onLesson)].map((r, i) => ({ ...r, sourceRefs: [{ system: 'epos' as const, instance: 'sor', sourceId: `p${i}`, kind: r.entity }] }) as CanonicalRecord);
const oldMarks = tombstoned.filter((r): r is MarkRecord => r.entity === 'mark');
// p1 has the retake.
const p1 = oldMarks.find((m) => m.retakeOfMarkId)!.studentId;
const p2 = oldMarks.find((m) => m.studentId !== p1)!.studentId;
const moved = new Map([[from.id, to]]);
const reRead = (records: CanonicalRecord[]): MappedBatch[] => [{
  route: 'core/api/marks', records: [to, ...records], quarantine: [], payloadHash: 'x',
  context: { system: 'epos', instance: 'sor', timeZone: 'Europe/Moscow', fetchedAt: '2025-09-07T00:00:00Z', runId: 'r1', mapperVersion: 't', ids: {} },
}];
const heldCell = (studentId: string) => { const h = new HeldCells(); h.add({ studentId, lessonId: to.id }); return h; };
const carry = (held: HeldCells | 'all', records: CanonicalRecord[] = []) => heldOnMovedLessons({ run, moved, tombstoned, held, mapped: reRead(records) });

describe('heldOnMovedLessons', () => {
  it('a held pupil\'s marks move to the new lesson as last read, with their date and work column; nobody else\'s', () => {
    const out = carry(heldCell(p1));
    const own = oldMarks.filter((m) => m.studentId === p1);
    const carried = out.filter((r): r is MarkRecord => r.entity === 'mark');
    expect(carried.map((m) => m.id).sort()).toEqual(own.map((m) => markId(p1, to.id, m.slot)).sort());
    for (const m of carried) {
      const was = own.find((o) => o.slot === m.slot)!;
      expect(m).toMatchObject({ lessonId: to.id, markDate: to.date, raw: was.raw, status: was.status, workId: workId(to.id, (tombstoned.find((w) => w.id === was.workId) as WorkRecord).workTypeCode) });
      expect(m.sourceRefs).toEqual(was.sourceRefs);
      expect(m.retakeOfMarkId).toBe(was.retakeOfMarkId ? markId(p1, to.id, 1) : undefined);
      expect(() => parseRecord(m)).not.toThrow();
      expect(m.contentHash).toBe(recomputeHash(m as unknown as Record<string, unknown>));
    }
    // Their work columns come too (the re-read has none), moved to the new day, before the marks that sit in them.
    const works = out.filter((r): r is WorkRecord => r.entity === 'work');
    expect(works.map((w) => w.id).sort()).toEqual([...new Set(carried.map((m) => m.workId))].sort());
    expect(works.every((w) => w.lessonId === to.id && w.assignedDate === to.date)).toBe(true);
    expect(out.findIndex((r) => r.entity === 'mark')).toBeGreaterThan(out.findIndex((r) => r.entity === 'work'));
  });

  it('a record the re-read has under the new key stands as read: not carried, and a column it has is not carried either', () => {
    const mark = oldMarks.find((m) => m.studentId === p1 && m.slot === 1)!;
    const readMark = { ...mark, id: markId(p1, to.id, 1), lessonId: to.id };
    const work = tombstoned.find((w) => w.id === mark.workId) as WorkRecord;
    const readWork = { ...work, id: workId(to.id, work.workTypeCode), lessonId: to.id };
    const out = carry(heldCell(p1), [readMark, readWork]);
    expect(out.map((r) => r.id)).not.toContain(readMark.id);
    expect(out.map((r) => r.id)).not.toContain(readWork.id);
  });

  it('held by its line\'s own platform id, wherever its cell is now', () => {
    const mark = oldMarks.find((m) => m.studentId === p2)!;
    const held = new HeldCells();
    held.sourceIds.add(mark.sourceRefs[0].sourceId);
    expect(carry(held).filter((r) => r.entity === 'mark').map((r) => r.id)).toEqual([markId(p2, to.id, mark.slot)]);
  });

  it('nothing held: nothing carried; a partial re-read: every mark and absence it lacks', () => {
    expect(carry(new HeldCells())).toEqual([]);
    const all = carry('all');
    const cells = tombstoned.filter((r) => r.entity === 'mark' || r.entity === 'attendance_record');
    expect(all.filter((r) => r.entity !== 'work')).toHaveLength(cells.length);
    expect(all.some((r) => r.entity === 'attendance_record')).toBe(true);
    for (const a of tombstoned.filter((r) => r.entity === 'attendance_record')) {
      expect(all.find((r) => r.id === attendanceId((a as { studentId: string }).studentId, to.id))).toMatchObject({ lessonId: to.id });
    }
  });

  it('a column of the platform\'s own key: the re-read\'s column of its type, else not carried (its new id is unknown)', () => {
    const mark = oldMarks.find((m) => m.studentId === p1)!;
    const work = tombstoned.find((w) => w.id === mark.workId) as WorkRecord;
    const ownKey = { ...work, id: workId(from.id, 'column-77') };
    const withOwnKey = tombstoned.map((r) => (r.id === work.id ? ownKey : r.id === mark.id ? { ...mark, workId: ownKey.id } : r));
    const held = heldCell(p1);
    const none = heldOnMovedLessons({ run, moved, tombstoned: withOwnKey, held, mapped: reRead([]) });
    expect(none.map((r) => r.id)).not.toContain(markId(p1, to.id, mark.slot));
    const readWork = { ...work, id: workId(to.id, 'column-78'), lessonId: to.id };
    const some = heldOnMovedLessons({ run, moved, tombstoned: withOwnKey, held, mapped: reRead([readWork]) });
    expect(some.find((r) => r.id === markId(p1, to.id, mark.slot))).toMatchObject({ workId: readWork.id });
  });
});
