// Canonical records: unchanged = no write, versions, batch atomicity, tombstones, keyset iteration, change feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markId, RecordValidationError, type MarkRecord } from '../../src/model/index.js';
import { BatchRejectedError, migrate, StoreError, type CanonicalStore, type ChangeLogEntry } from '../../src/store/index.js';
import { backends, mark, newId, person } from './fixtures.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe.each(backends)('canonical records on $name', (backend) => {
  let store: CanonicalStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('applies migrations once', async () => {
    expect(await migrate(store.driver)).toEqual([]);
  });

  it('re-upserting an unchanged record writes nothing: same version, no change-log row', async () => {
    const p = person(newId());
    const first = await store.upsertMany([p], { runId: 'r1' });
    expect(first).toMatchObject({ total: 1, created: 1, updated: 0, unchanged: 0 });
    const stored = await store.get(p.id);
    const v = await store.currentVersion();
    expect(stored?.version).toBe(v);

    // Same business fields, later fetch: still unchanged, and the stored record is untouched (provenance too).
    const again = person(p.id, 'Тестов', '2025-10-01T08:00:00Z');
    const second = await store.upsertMany([again], { runId: 'r2' });
    expect(second).toMatchObject({ total: 1, created: 0, updated: 0, unchanged: 1 });
    expect(await store.currentVersion()).toBe(v);
    expect(await store.get(p.id)).toEqual(stored);
    expect(await collect(store.changesSince(v))).toEqual([]);
  });

  it('a changed record gets a new gateway-global version and an update row', async () => {
    const p = person(newId(), 'Иванов');
    await store.upsert(p, { runId: 'r1' });
    const v1 = (await store.get(p.id))!.version;
    const r = await store.upsertMany([person(p.id, 'Петров')], { runId: 'r2' });
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const after = (await store.get(p.id)) as typeof p;
    expect(after.version).toBeGreaterThan(v1);
    expect(after.familyName).toBe('Петров');
    const changes = await collect(store.changesSince(v1));
    expect(changes.map((c) => [c.canonicalId, c.op, c.runId])).toEqual([[p.id, 'update', 'r2']]);
    expect(changes[0].version).toBe(after.version);
  });

  it('recomputes the content hash (the store is the authority for hash, version, updatedAt)', async () => {
    const p = person(newId(), 'Сидоров');
    const stale = { ...p, familyName: 'Сидорова' }; // caller forgot to rehash
    await store.upsert(p, { runId: 'r1' });
    const r = await store.upsert(stale, { runId: 'r2' });
    expect(r.updated).toBe(1);
    expect((await store.get(p.id))!.contentHash).not.toBe(p.contentHash);
  });

  it('text beyond ASCII is stored as given: Cyrillic, quotes, backslashes, control characters and an emoji', async () => {
    // The batch goes to PostgreSQL as bytes encoded record by record (upsert.ts): each kind of character must come
    // back as it went in, and a second write of the same content must find it unchanged.
    const text = 'Ёлка «ёж» "quoted" \\ back\\slash\ttab\nline 😀 — конец';
    const records = Array.from({ length: 3 }, (_, i) => person(newId(), `${text} ${i}`));
    expect(await store.upsertMany([...records, mark(newId(), newId())], { runId: 'r1' })).toMatchObject({ created: 4 });
    for (const r of records) {
      const stored = (await store.get(r.id)) as typeof r;
      expect(stored.familyName).toBe(r.familyName);
      expect(stored.contentHash).toBe(r.contentHash);
    }
    expect(await store.upsertMany(records, { runId: 'r2' })).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('a batch with an invalid record fails as a whole, naming the record id and field', async () => {
    const lesson = newId();
    const good = [mark(newId(), lesson), mark(newId(), lesson), mark(newId(), lesson)];
    const bad = { ...mark(newId(), lesson), slot: 3 } as unknown as MarkRecord;
    const before = await store.currentVersion();
    const err = await store.upsertMany([...good, bad], { runId: 'r-bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchRejectedError);
    expect(err).toBeInstanceOf(RecordValidationError);
    expect((err as Error).message).toContain(bad.id);
    expect((err as Error).message).toContain('slot');
    expect((err as Error).message).toContain('nothing of it written');
    expect((await store.getMany([...good, bad].map((m) => m.id))).size).toBe(0);
    expect(await store.currentVersion()).toBe(before);
  });

  it('earlier batches stay committed when a later one is refused, and the error says so', async () => {
    const lesson = newId();
    const first = [mark(newId(), lesson), mark(newId(), lesson)];
    const second = [mark(newId(), lesson), { ...mark(newId(), lesson), recordedBy: 'nope' } as unknown as MarkRecord];
    const err = (await store.upsertMany([...first, ...second], { runId: 'r', batchSize: 2 }).catch((e: unknown) => e)) as BatchRejectedError;
    expect(err).toBeInstanceOf(BatchRejectedError);
    expect(err.batch).toBe(2);
    expect(err.position).toBe(1);
    expect(err.committedBefore).toBe(2);
    expect(err.message).toContain('recordedBy');
    expect((await store.getMany(first.map((m) => m.id))).size).toBe(2);
    expect((await store.getMany(second.map((m) => m.id))).size).toBe(0);
  });

  it('counts creates, updates and unchanged across batches; the last copy of a repeated id wins', async () => {
    const lesson = newId();
    const students = Array.from({ length: 10 }, () => newId());
    const r1 = await store.upsertMany(students.map((s) => mark(s, lesson, '4')), { runId: 'r1', batchSize: 3 });
    expect(r1).toMatchObject({ total: 10, created: 10, updated: 0, unchanged: 0, duplicates: 0 });
    const next = students.map((s, i) => mark(s, lesson, i < 4 ? '5' : '4'));
    const r2 = await store.upsertMany(next, { runId: 'r2', batchSize: 3 });
    expect(r2).toMatchObject({ total: 10, created: 0, updated: 4, unchanged: 6 });
    const s0 = students[0];
    const r3 = await store.upsertMany([mark(s0, lesson, '2'), mark(s0, lesson, '3')], { runId: 'r3' });
    expect(r3).toMatchObject({ total: 2, updated: 1, duplicates: 1 });
    expect(((await store.get(mark(s0, lesson).id)) as MarkRecord).raw).toBe('3');
  });

  it('refuses to overwrite a record of another entity with the same id', async () => {
    const id = newId();
    await store.upsert(person(id), { runId: 'r1' });
    const m = { ...mark(newId(), newId()), id };
    await expect(store.upsert(m, { runId: 'r2' })).rejects.toThrow(StoreError);
    expect((await store.get(id))!.entity).toBe('person');
  });

  it('tombstones never delete physically; undelete brings the record back', async () => {
    const p = person(newId());
    await store.upsert(p, { runId: 'r1' });
    const v0 = await store.currentVersion();
    const v = await store.deleteRecord('person', p.id, { reason: 'source_tombstone', evidence: 'evt-1', runId: 'r-del', at: '2025-09-05T10:00:00Z' });
    expect(v).toBeGreaterThan(v0);
    const dead = await store.get(p.id);
    expect(dead).toMatchObject({ status: 'deleted', deleteReason: 'source_tombstone', deleteEvidence: 'evt-1', version: v });
    expect(dead!.deletedAt).toBe('2025-09-05T10:00:00.000Z');
    expect(await store.deleteRecord('person', p.id, { reason: 'manual', runId: 'r' })).toBeNull();
    await expect(store.deleteRecord('person', newId(), { reason: 'manual', runId: 'r' })).rejects.toThrow(StoreError);

    const u = await store.undeleteRecord('person', p.id, { runId: 'r-undel' });
    const alive = await store.get(p.id);
    expect(alive).toMatchObject({ status: 'active', version: u });
    expect(alive).not.toHaveProperty('deletedAt');
    expect(alive).not.toHaveProperty('deleteReason');
    expect(await store.undeleteRecord('person', p.id, { runId: 'r' })).toBeNull();

    // A source that resurrects the id through a plain upsert: same hash, status change → undelete.
    await store.deleteRecord('person', p.id, { reason: 'snapshot_absent', runId: 'r-del2' });
    const r = await store.upsert(person(p.id), { runId: 'r-back' });
    expect(r).toMatchObject({ undeleted: 1, unchanged: 0 });
    const ops = (await collect(store.changesSince(v0))).filter((c) => c.canonicalId === p.id).map((c) => c.op);
    expect(ops).toEqual(['delete', 'undelete', 'delete', 'undelete']);
  });

  it('deleteMany tombstones a set in one statement and skips what is already deleted', async () => {
    const lesson = newId();
    const ms = Array.from({ length: 5 }, () => mark(newId(), lesson));
    await store.upsertMany(ms, { runId: 'r1' });
    expect(await store.deleteMany('mark', ms.slice(0, 3).map((m) => m.id), { reason: 'snapshot_absent', evidence: 'run-x', runId: 'r2' })).toBe(3);
    expect(await store.deleteMany('mark', ms.map((m) => m.id), { reason: 'snapshot_absent', runId: 'r3' })).toBe(2);
    const got = await store.getMany(ms.map((m) => m.id));
    expect([...got.values()].every((m) => m.status === 'deleted')).toBe(true);
  });

  it('referencing finds every record of ids given in several parts, each once, tombstones only when asked', async () => {
    // 12,000 lessons are three parts of 5,000 ids (two at once on PostgreSQL): none may be lost or doubled.
    const lessons = Array.from({ length: 12_000 }, () => newId());
    const student = newId();
    await store.upsertMany(lessons.map((l) => mark(student, l)), { runId: 'parts' });
    const gone = markId(student, lessons[11_999], 1);
    await store.deleteRecord('mark', gone, { reason: 'manual', runId: 'parts' });
    const found = await store.referencing('mark', 'lessonId', [...lessons, lessons[0]]);
    expect(found).toHaveLength(11_999);
    expect(new Set(found.map((r) => (r as MarkRecord).lessonId))).toEqual(new Set(lessons.slice(0, 11_999)));
    expect((await store.referencing('mark', 'lessonId', lessons, { withDeleted: true })).map((r) => r.id)).toContain(gone);
  });

  it('hasReferencing says whether any active record refers to one of the ids, without reading them', async () => {
    const [lesson, other, empty] = [newId(), newId(), newId()];
    const ms = [mark(newId(), lesson), mark(newId(), other)];
    await store.upsertMany(ms, { runId: 'r1' });
    expect(await store.hasReferencing('mark', 'lessonId', [empty, lesson])).toBe(true);
    expect(await store.hasReferencing('mark', 'lessonId', [empty])).toBe(false);
    expect(await store.hasReferencing('mark', 'lessonId', [])).toBe(false);
    // Another entity by the same field, and a tombstone, are not references.
    expect(await store.hasReferencing('attendance_record', 'lessonId', [lesson])).toBe(false);
    await store.deleteMany('mark', [ms[1].id], { reason: 'snapshot_absent', runId: 'r2' });
    expect(await store.hasReferencing('mark', 'lessonId', [other])).toBe(false);
    await expect(store.hasReferencing('mark', 'familyName' as never, [lesson])).rejects.toThrow(/no lookup of mark by familyName/);
  });

  it('iterates one entity with keyset pagination, in id order, with a status filter', async () => {
    // A dedicated entity keeps this independent of the other tests' rows.
    const ids = Array.from({ length: 25 }, () => newId());
    const org = newId();
    const { buildRecord } = await import('../../src/model/index.js');
    const subjects = ids.map((id, i) => buildRecord('subject', { title: `Предмет ${i}`, code: `S${i}`, organizationId: org, schoolYear: 2025 }, {
      id, sourceRefs: [{ system: 'synthetic', instance: 't', sourceId: `s${i}`, kind: 'subject' }],
      provenance: { system: 'synthetic', instance: 't', fetchedAt: '2025-09-01T00:00:00Z', payloadHash: 'x', runId: 'r', mapperVersion: '1' },
    }));
    await store.upsertMany(subjects, { runId: 'r1' });
    const all = await collect(store.iterate('subject', { batchSize: 7 }));
    expect(all.map((r) => r.id)).toEqual([...ids].sort());
    await store.deleteMany('subject', ids.slice(0, 3), { reason: 'manual', runId: 'r2' });
    const active = await collect(store.iterate('subject', { status: 'active', batchSize: 4 }));
    expect(active).toHaveLength(22);
    expect(await store.count('subject')).toBe(25);
    expect(await store.count('subject', { status: 'deleted' })).toBe(3);
    const counts = await store.countsByEntityStatus();
    expect(counts.subject).toEqual({ total: 25, active: 22, inactive: 0, deleted: 3 });
    expect((await store.countsByEntity()).subject).toBe(25);
  });

  it('pages the change feed by version with limit, entity filter and an upper bound', async () => {
    const start = await store.currentVersion();
    const lesson = newId();
    await store.upsertMany(Array.from({ length: 12 }, () => mark(newId(), lesson)), { runId: 'feed' });
    await store.upsert(person(newId()), { runId: 'feed' });
    const top = await store.currentVersion();
    expect(top - start).toBe(13);
    const firstFive: ChangeLogEntry[] = await collect(store.changesSince(start, { limit: 5, pageSize: 2 }));
    expect(firstFive.map((c) => c.version)).toEqual([1, 2, 3, 4, 5].map((i) => start + i));
    const marks = await collect(store.changesSince(start, { entity: 'mark', pageSize: 5 }));
    expect(marks).toHaveLength(12);
    expect(marks.every((c) => c.op === 'create' && c.runId === 'feed')).toBe(true);
    expect(await collect(store.changesSince(start, { maxVersion: start + 3 }))).toHaveLength(3);
  });
});
