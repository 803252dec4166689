// A mark a push left on Дневник.ру without a record (the first of two deleted while the pupil's cell was renumbered:
// named «left on the target», mark-cells.ts) is read back with the id of a record whose own mark is another one.
// It opened a conflict on every field of that record on every read; it stands for no record and is left out. A mark
// never linked (a teacher's own, entered on the platform) still reaches the record, and stays a clash, reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecord, markId, naturalId, type MarkRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { keyedByLink } from '../../src/sync/renumbered-marks.js';

const run = { system: 'dnevnik_ru' as const, instance: 't', runId: 'r-read', mapperVersion: '1' };
const student = naturalId('person', 'pupil');
const lesson = naturalId('lesson', 'lesson');
const [slot1, slot2] = [markId(student, lesson, 1), markId(student, lesson, 2)];

/** A mark as the Дневник.ру read gives it: slot 2 of the cell, under platform id `sourceId`. */
const readAsSlot2 = (sourceId: string): MarkRecord => buildRecord('mark', {
  studentId: student, workId: naturalId('work', 'oral'), lessonId: lesson, slot: 2, raw: '3', base: 3, modifier: 'none', numeric: 3,
  state: 'graded', weightApplied: 10, markDate: '2025-09-02', recordedAt: '2025-09-02T09:00:00Z', recordedBy: naturalId('person', 'teacher'),
}, {
  id: slot2, sourceRefs: [{ system: 'dnevnik_ru', instance: 't', sourceId, kind: 'mark' }],
  provenance: { system: 'dnevnik_ru', instance: 't', fetchedAt: '2025-09-03T00:00:00Z', payloadHash: 'p', runId: 'r-read', mapperVersion: '1' },
});

describe('keyedByLink: a mark left on the platform by a renumbering push', () => {
  let store: CanonicalStore;
  afterAll(async () => store?.close());

  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const link = (canonicalId: string, sourceId: string) => store.link([{ entity: 'mark', canonicalId, system: 'dnevnik_ru', instance: 't', sourceId, sourceIdKind: 'id', matchRule: 'pushed' }], { runId: 'r-push' });
    // Slot 1 was mark `a`; the push wrote slot 1 anew as `a2` (closing `a`'s link) beside slot 2's `b`.
    await link(slot1, 'a');
    await store.closeCrosswalk('dnevnik_ru', 't', 'mark', 'a', { at: '2025-09-02T20:00:00Z' });
    await link(slot1, 'a2');
    await link(slot2, 'b');
  }, 60_000);

  it('a mark whose link a push closed, read under a record linked to another mark: left out, no conflict to open', async () => {
    expect(await keyedByLink(store, run, [readAsSlot2('a')])).toEqual([]);
  });

  it('a mark never linked, read under the same record: kept (a clash the read reports, not hidden)', async () => {
    const own = readAsSlot2('h');
    expect(await keyedByLink(store, run, [own])).toEqual([own]);
  });
});
