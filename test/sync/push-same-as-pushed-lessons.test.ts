// Grade push of a lesson's new version into Дневник.ру (the one platform taking a lesson's homework): a lesson's write
// carries its homework alone, so a version whose homework is as last confirmed written there — only its teacher or topic
// changed (a teacher merge re-stamps the teacher) — writes nothing. A changed homework text or due day is sent, and so
// is a lesson whose last confirmed write has a hash recorded before the lesson hash covered the homework (it cannot
// prove the homework unchanged).
import { describe, expect, it } from 'vitest';
import type { Connector, LessonWriteOp, WriteResult } from '../../src/connectors/contract.js';
import type { LessonRecord } from '../../src/model/index.js';
import { ledgerKey, type CanonicalStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { heldContentHash, notCompared } from '../../src/sync/pushed-content.js';
import { change, linkedSchool, records, source, teacher } from '../support/pushed-school.js';

const lessons = records.filter((r) => r.entity === 'lesson' && r.provenance.system === source.system && (r as LessonRecord).homework?.text?.trim()) as LessonRecord[];
const [lesson, second] = lessons;

/** Дневник.ру taking lessons only: every homework applied, each operation it was sent kept. */
function target() {
  const sent: LessonWriteOp[] = [];
  const writeLessons = async (ops: readonly LessonWriteOp[]): Promise<WriteResult[]> => {
    sent.push(...ops);
    return ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: op.existingSourceId! }));
  };
  return { connector: { declaration: { capabilities: ['lessons.write'] }, writeLessons } as unknown as Connector, sent };
}
const push = (store: CanonicalStore, connector: Connector, runId: string) => gradePush({
  store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'dnevnik_ru', instance: 'target' },
  school: { id: 's1' }, runId, now: '2025-12-20T12:00:00Z', chunkSize: 20,
});
const sentIds = (t: ReturnType<typeof target>) => t.sent.map((op) => op.record.id).sort();

describe('grade push: a lesson whose homework Дневник.ру holds as last written', () => {
  it('only its teacher or topic changed, or blanks around the text: no request, done in the ledger; a changed text or due day is sent', async () => {
    const store = await linkedSchool('dnevnik_ru');
    try {
      const t = target();
      expect((await push(store, t.connector, 'p1')).pushed!.applied).toBeGreaterThanOrEqual(lessons.length);
      t.sent.length = 0;
      const v2 = await change(store, lesson.id, { scheduledTeacherId: teacher, topic: 'Тема уточнена', homework: { ...lesson.homework, text: ` ${lesson.homework!.text} ` } });
      await change(store, second.id, { scheduledTeacherId: teacher });
      const s = await push(store, t.connector, 'p2');
      expect(t.sent).toEqual([]);
      expect(s.sameAsPushed).toBe(2);
      expect(await store.ledgerGet(ledgerKey('target', 'lesson', lesson.id, v2))).toMatchObject({ state: 'confirmed', targetId: lesson.id, attempts: 0 });

      await change(store, lesson.id, { homework: { ...lesson.homework, text: `${lesson.homework!.text} (и № 5)` } });
      await change(store, second.id, { homework: { ...second.homework, dueDate: '2025-12-31' } });
      const s2 = await push(store, t.connector, 'p3');
      expect(s2.sameAsPushed).toBeUndefined();
      expect(sentIds(t)).toEqual([lesson.id, second.id].sort());
    } finally {
      await store.close();
    }
  });

  it('a last write recorded with the hash before (the lesson\'s fields, homework left out on Дневник.ру): sent, never skipped', async () => {
    const store = await linkedSchool('dnevnik_ru');
    try {
      const t = target();
      const v1 = (await store.get(lesson.id))!.version;
      // As a push before this change recorded the lesson's write.
      const before = heldContentHash(lesson, notCompared(source.system, 'dnevnik_ru', 'lesson'));
      const key = ledgerKey('target', 'lesson', lesson.id, v1);
      await store.ledgerBeginMany([{ target: 'target', entity: 'lesson', canonicalId: lesson.id, canonicalVersion: v1, idempotencyKey: key, op: 'update', pushedHash: before }]);
      await store.ledgerMarkMany([{ key, mark: { state: 'confirmed', targetId: lesson.id } }]);
      await change(store, lesson.id, { topic: 'Тема уточнена' });
      const s = await push(store, t.connector, 'p1');
      expect(s.sameAsPushed).toBeUndefined();
      expect(t.sent.map((op) => op.record.id)).toContain(lesson.id);
    } finally {
      await store.close();
    }
  });
});
