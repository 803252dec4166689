// Audit (person merges): what `review merge|reject` does with the pupil's journal at once, and the refusals.
import { describe, expect, it } from 'vitest';
import { buildRecord, markId, mintId, naturalId } from '../../src/model/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';

const prov = (instance: string) => ({ system: 'dnevnik_ru' as const, instance, fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' });
const person = (id: string, instance: string) => buildRecord('person', { familyName: 'Петров', givenName: 'Пётр', enabled: true }, { id, sourceRefs: [{ system: 'dnevnik_ru', instance, sourceId: id, kind: 'id' }], provenance: prov(instance) });
const mark = (studentId: string, lessonId: string, raw: string, instance: string, sid: string) => buildRecord('mark', {
  studentId, workId: mintId(), lessonId, slot: 1, raw, base: Number(raw), modifier: 'none', numeric: Number(raw), state: 'graded', weightApplied: 1, markDate: '2026-01-09', recordedAt: '2026-01-09T10:00:00Z', recordedBy: mintId(),
} as never, { id: markId(studentId, lessonId, 1), sourceRefs: [{ system: 'dnevnik_ru', instance, sourceId: sid, kind: 'mark' }], provenance: prov(instance) });
const candidate = (left: string, right: string) => buildRecord('match_candidate', { candidateEntity: 'person', leftId: left, rightId: right, rule: 'name_exact_no_birthdate', score: 1, decision: 'pending', at: '2026-01-10T00:00:00Z' }, {
  id: naturalId('match_candidate', left, right), sourceRefs: [{ system: 'dnevnik_ru', instance: 'sor', sourceId: left, kind: 'match' }], provenance: prov('sor'),
});

async function pair(): Promise<{ store: Store; loser: string; winner: string; lessons: string[] }> {
  const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  const [loser, winner] = [mintId(), mintId()];
  const lessons = [mintId(), mintId()];
  await store.upsertMany([person(loser, 'sor'), person(winner, 't'), mark(loser, lessons[0], '5', 'sor', 'm1'), mark(loser, lessons[1], '4', 'sor', 'm2'), mark(winner, lessons[1], '3', 't', 'tm2')], { runId: 'r' });
  await store.link([
    { entity: 'person', canonicalId: loser, system: 'dnevnik_ru', instance: 'sor', sourceId: 'p1', sourceIdKind: 'id' },
    { entity: 'person', canonicalId: winner, system: 'dnevnik_ru', instance: 't', sourceId: 'p2', sourceIdKind: 'id' },
    { entity: 'mark', canonicalId: markId(loser, lessons[0], 1), system: 'dnevnik_ru', instance: 'sor', sourceId: 'm1', sourceIdKind: 'mark' },
    { entity: 'mark', canonicalId: markId(loser, lessons[1], 1), system: 'dnevnik_ru', instance: 'sor', sourceId: 'm2', sourceIdKind: 'mark' },
    { entity: 'mark', canonicalId: markId(winner, lessons[1], 1), system: 'dnevnik_ru', instance: 't', sourceId: 'tm2', sourceIdKind: 'mark' },
  ], { runId: 'r' });
  await store.upsertMany([candidate(loser, winner), candidate(winner, loser)], { runId: 'r' });
  return { store, loser, winner, lessons };
}

describe('audit: review merge and the pupil\'s journal', () => {
  it('merge: the merged pupil\'s marks are under the winner at once, with their platform ids; a mark both have is one, the system of record\'s', async () => {
    const { store, loser, winner, lessons } = await pair();
    await decidePersonMatch(store, naturalId('match_candidate', loser, winner), 'merge', 'rev', undefined, 'sor');
    const moved = await store.get(markId(winner, lessons[0], 1));
    expect(moved).toMatchObject({ status: 'active', studentId: winner, raw: '5', provenance: { instance: 'sor' } });
    expect((await store.resolve('dnevnik_ru', 'sor', 'mark', ['m1'])).get('m1')).toBe(moved!.id);
    expect(await store.get(markId(loser, lessons[0], 1))).toMatchObject({ status: 'deleted', deleteReason: 'merged' });
    // The same mark under both: one, with the system of record's value, linked to both platforms' ids.
    expect(await store.get(markId(winner, lessons[1], 1))).toMatchObject({ status: 'active', raw: '4', provenance: { instance: 'sor' } });
    expect(await store.get(markId(loser, lessons[1], 1))).toMatchObject({ status: 'deleted', deleteReason: 'merged' });
    expect((await store.resolve('dnevnik_ru', 'sor', 'mark', ['m2'])).get('m2')).toBe(markId(winner, lessons[1], 1));
    expect((await store.resolve('dnevnik_ru', 't', 'mark', ['tm2'])).get('tm2')).toBe(markId(winner, lessons[1], 1));
    const active = (await store.referencing('mark', 'studentId', [winner])).length;
    expect(active).toBe(2);
    // The reverse proposal, and the same one again, are refused; nothing moves.
    await expect(decidePersonMatch(store, naturalId('match_candidate', winner, loser), 'merge', 'rev')).rejects.toThrow(/not active/);
    await expect(decidePersonMatch(store, naturalId('match_candidate', loser, winner), 'merge', 'rev')).rejects.toThrow(/already decided/);
    expect((await store.referencing('mark', 'studentId', [winner])).length).toBe(2);
    await store.close();
  });

  it('merge: a retake moved with its first mark names the first mark\'s new id', async () => {
    const { store, loser, winner, lessons } = await pair();
    const first = markId(loser, lessons[0], 1);
    const retake = buildRecord('mark', {
      studentId: loser, workId: mintId(), lessonId: lessons[0], slot: 2, raw: '4', base: 4, modifier: 'none', numeric: 4, state: 'graded', weightApplied: 1,
      markDate: '2026-01-09', recordedAt: '2026-01-09T10:00:00Z', recordedBy: mintId(), retakeOfMarkId: first,
    } as never, { id: markId(loser, lessons[0], 2), sourceRefs: [{ system: 'dnevnik_ru', instance: 'sor', sourceId: 'm1b', kind: 'mark' }], provenance: prov('sor') });
    await store.upsertMany([retake], { runId: 'r' });
    await decidePersonMatch(store, naturalId('match_candidate', loser, winner), 'merge', 'rev', undefined, 'sor');
    expect(await store.get(markId(winner, lessons[0], 2))).toMatchObject({ status: 'active', slot: 2, retakeOfMarkId: markId(winner, lessons[0], 1) });
    expect(await store.get(markId(winner, lessons[0], 1))).toMatchObject({ status: 'active' });
    await store.close();
  });

  it('reject: two people, every mark where it was', async () => {
    const { store, loser, winner, lessons } = await pair();
    await decidePersonMatch(store, naturalId('match_candidate', loser, winner), 'reject', 'rev');
    expect(await store.get(loser)).toMatchObject({ status: 'active' });
    expect(await store.get(markId(loser, lessons[0], 1))).toMatchObject({ status: 'active', studentId: loser });
    expect((await store.resolve('dnevnik_ru', 'sor', 'mark', ['m1'])).get('m1')).toBe(markId(loser, lessons[0], 1));
    await expect(decidePersonMatch(store, naturalId('match_candidate', loser, winner), 'merge', 'rev')).rejects.toThrow(/already decided/);
    await store.close();
  });

  it('merge of a person already merged into someone else is refused, naming where they went; nothing moves', async () => {
    const { store, loser, winner, lessons } = await pair();
    const third = mintId();
    await store.upsertMany([person(third, 'x'), candidate(loser, third)], { runId: 'r' });
    await decidePersonMatch(store, naturalId('match_candidate', loser, winner), 'merge', 'rev', undefined, 'sor');
    // A second proposal for the merged-away record (raised before the first merge) said "merged, 0 platform id(s)
    // moved" and recorded a merge into the third person that never happened: their journal stayed with the winner.
    await expect(decidePersonMatch(store, naturalId('match_candidate', loser, third), 'merge', 'rev')).rejects.toThrow(new RegExp(`already merged into ${winner}`));
    expect(await store.get(naturalId('match_candidate', loser, third))).toMatchObject({ decision: 'pending' });
    expect(await store.get(markId(winner, lessons[0], 1))).toMatchObject({ status: 'active', studentId: winner });
    // Rejecting it still closes it.
    await decidePersonMatch(store, naturalId('match_candidate', loser, third), 'reject', 'rev');
    expect(await store.get(naturalId('match_candidate', loser, third))).toMatchObject({ decision: 'rejected' });
    await store.close();
  });
});
