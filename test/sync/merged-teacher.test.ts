// What `review merge` of two teachers does at once to the records naming the merged-away teacher in a field
// (src/sync/merged-teacher.ts): each teacher field of theirs names the winner, everything else of the record — its
// writer's provenance above all — stays; tombstones and other teachers' records are not written. Synthetic records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecord, markId, mintId, naturalId, type CanonicalRecord } from '../../src/model/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';

const prov = (instance: string) => ({ system: 'dnevnik_ru' as const, instance, fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' });
const ref = (instance: string, sourceId: string, kind: string) => ({ sourceRefs: [{ system: 'dnevnik_ru' as const, instance, sourceId, kind }], provenance: prov(instance) });

describe('review merge of two teachers: the records naming the merged-away one', () => {
  let store: Store;
  const [loser, winner, other, pupil, section, period, year, org] = Array.from({ length: 8 }, () => mintId());
  const lessons = [mintId(), mintId()];
  const records: Record<string, CanonicalRecord> = {};
  let v0 = 0;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
    const person = (id: string, instance: string) => buildRecord('person', { familyName: 'Учителев', givenName: 'Тест', enabled: true }, { id, ...ref(instance, id, 'user') });
    const mark = (lessonId: string, recordedBy: string, instance: string) => buildRecord('mark', {
      studentId: pupil, workId: mintId(), lessonId, slot: 1, raw: '5', base: 5, modifier: 'none', numeric: 5, state: 'graded', weightApplied: 10,
      markDate: '2026-01-09', recordedAt: '2026-01-09T10:00:00Z', recordedBy,
    }, { id: markId(pupil, lessonId, 1), ...ref(instance, `m-${lessonId}`, 'mark') });
    Object.assign(records, {
      // The system of record's lesson: a substitute (the merged-away teacher) recorded it.
      lesson: buildRecord('lesson', {
        sectionId: section, date: '2026-01-09', lessonNumber: 1, scheduledTeacherId: other, substituteTeacherId: loser, lessonStatus: 'held',
        recordedAt: '2026-01-09T10:00:00Z', recordedBy: loser,
      }, { id: lessons[0], ...ref('sor', 'l1', 'lesson') }),
      markByLoser: mark(lessons[0], loser, 'sor'),
      markByOther: mark(lessons[1], other, 'sor'),
      absence: buildRecord('attendance_record', {
        studentId: pupil, lessonId: lessons[0], kind: 'absent', reason: 'illness', rawCode: 'Б', recordedAt: '2026-01-09T10:00:00Z', recordedBy: loser,
      }, { id: naturalId('attendance_record', pupil, lessons[0]), ...ref('sor', 'a1', 'attendance') }),
      // Another platform's record: stays that platform's.
      finalMark: buildRecord('final_mark', {
        studentId: pupil, sectionId: section, kind: 'quarter', periodId: period, raw: '5', base: 5, recordedAt: '2026-01-09T10:00:00Z', recordedBy: loser,
      }, { id: naturalId('final_mark', pupil, section, 'quarter', period), ...ref('t', 'f1', 'final') }),
      homeroom: buildRecord('homeroom_class', { gradeLevel: 5, letter: 'А', title: '5А', academicYearId: year, organizationId: org, classTeacherId: loser }, { id: mintId(), ...ref('sor', 'c1', 'class') }),
    });
    const tombstone = mark(mintId(), loser, 'sor');
    records.tombstone = tombstone;
    await store.upsertMany([person(loser, 'sor'), person(winner, 't'), person(other, 'sor'), ...Object.values(records)], { runId: 'r' });
    await store.deleteRecord('mark', tombstone.id, { reason: 'source_tombstone', runId: 'r' });
    await store.link([
      { entity: 'person', canonicalId: loser, system: 'dnevnik_ru', instance: 'sor', sourceId: 'p1', sourceIdKind: 'user' },
      { entity: 'person', canonicalId: winner, system: 'dnevnik_ru', instance: 't', sourceId: 'p2', sourceIdKind: 'user' },
    ], { runId: 'r' });
    const candidate = buildRecord('match_candidate', { candidateEntity: 'person', leftId: loser, rightId: winner, rule: 'name_no_birthdate', score: 0.9, decision: 'pending', at: '2026-01-10T00:00:00Z' }, {
      id: naturalId('match_candidate', loser, winner), ...ref('sor', loser, 'match'),
    });
    await store.upsertMany([candidate], { runId: 'r' });
    v0 = await store.currentVersion();
    await decidePersonMatch(store, candidate.id, 'merge', 'rev', undefined, 'sor');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  it('every teacher field naming the merged-away teacher names the winner; the rest of the record stays, its writer too', async () => {
    const got = async (k: string) => (await store.get(records[k].id)) as CanonicalRecord & Record<string, unknown>;
    expect(await got('lesson')).toMatchObject({ status: 'active', scheduledTeacherId: other, substituteTeacherId: winner, recordedBy: winner, date: '2026-01-09', provenance: { instance: 'sor' } });
    expect(await got('markByLoser')).toMatchObject({ status: 'active', recordedBy: winner, raw: '5', studentId: pupil, provenance: { instance: 'sor' } });
    expect(await got('absence')).toMatchObject({ status: 'active', recordedBy: winner, provenance: { instance: 'sor' } });
    expect(await got('finalMark')).toMatchObject({ status: 'active', recordedBy: winner, provenance: { instance: 't' } });
    expect(await got('homeroom')).toMatchObject({ status: 'active', classTeacherId: winner, provenance: { instance: 'sor' } });
    for (const k of ['lesson', 'markByLoser', 'absence', 'finalMark', 'homeroom']) {
      const r = await got(k);
      expect(r.sourceRefs).toEqual(records[k].sourceRefs);
      expect(r.contentHash).not.toBe(records[k].contentHash);
      expect(r.version).toBeGreaterThan(v0);
    }
  });

  it('writes nothing else: another teacher\'s mark and a tombstone stay as they were', async () => {
    const changed = new Set<string>();
    for await (const c of store.changesSince(v0)) changed.add(c.canonicalId);
    expect(changed.has(records.markByOther.id)).toBe(false);
    expect(changed.has(records.tombstone.id)).toBe(false);
    expect(await store.get(records.tombstone.id)).toMatchObject({ status: 'deleted', recordedBy: loser });
  });
});
