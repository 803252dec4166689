// DECISIONS.md §8: a backup is the canonical export of one school. In a store with two schools, each
// school's backup holds exactly its own journal (the two together make up the store's) and restores into
// a store of its own with the same content hashes.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/backup/export.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { rowsOf } from '../../src/backup/store-tables.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { collect, keyPair, tempDir } from './fixtures.js';
import { backends } from '../store/fixtures.js';

const PER_SCHOOL = ['homeroom_class', 'section', 'enrollment', 'lesson', 'work', 'mark', 'attendance_record', 'academic_session', 'subject'] as const;

describe.each(backends)('school-scoped backup from $name', (backend) => {
  let source: CanonicalStore;
  let root: string;
  let schools: string[];
  const restored: CanonicalStore[] = [];
  const outside: number[] = [];
  let cleanup: () => Promise<void>;
  const keys = keyPair();
  beforeAll(async () => {
    ({ store: source, cleanup } = await backend.open());
    const data = generateSchool({ seed: 9, schools: 2, pupils: 40, weeks: 1 });
    await source.upsertMany(data.records, { runId: 'load' });
    schools = (await collect(source.iterate('organization'))).filter((o) => (o as { type?: string }).type === 'school').map((o) => o.id);
    expect(schools).toHaveLength(2);
    const someMark = (await collect(source.iterate('mark', { batchSize: 10 })))[0];
    await source.deleteRecord('mark', someMark.id, { reason: 'manual', runId: 'del' });
    await source.link([{ entity: 'mark', canonicalId: someMark.id, system: 'eljur', instance: 'el-a', sourceId: 'm-1', sourceIdKind: 'mark' }], { runId: 'link' });
    // A crosswalk row of school 0's class superseded by a row of school 1's class (a merge across schools).
    const classes = (await collect(source.iterate('homeroom_class'))) as { id: string; organizationId: string }[];
    const [ca, cb] = schools.map((org) => classes.find((c) => c.organizationId === org)!);
    await source.link([
      { entity: 'homeroom_class', canonicalId: ca.id, system: 'eljur', instance: 'el-a', sourceId: 'hc-a', sourceIdKind: 'class' },
      { entity: 'homeroom_class', canonicalId: cb.id, system: 'eljur', instance: 'el-a', sourceId: 'hc-b', sourceIdKind: 'class' },
    ], { runId: 'link' });
    const rowB = (await source.crosswalkFor(cb.id))[0];
    await source.closeCrosswalk('eljur', 'el-a', 'homeroom_class', 'hc-a', { supersededBy: rowB.id });
    await source.setCursor({ system: 'eljur', instance: 'el-a', entity: 'mark', kind: 'none', value: null });
    await source.setCursor({ system: 'eljur', instance: 'el-b', entity: 'mark', kind: 'none', value: null });
    root = await tempDir();
    for (const [i, org] of schools.entries()) {
      const dir = path.join(root, `school-${i}`);
      await exportStore(source, dir, { signer: keys.signer, backupId: `school-${i}`, runId: 'scope-test', organizationId: org, school: { instances: ['el-a'] } });
      const target = await openStore({ dataDir: 'memory://', databaseUrl: null });
      outside.push((await restoreBackup(dir, target, keys.verifier)).crosswalkLinksOutside);
      restored.push(target);
    }
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
    for (const s of restored) await s.close();
    await rm(root, { recursive: true, force: true });
  });

  it('each school\'s journal and roster records go into its own backup only; together they are the store\'s', async () => {
    for (const entity of PER_SCHOOL) {
      const all = (await collect(source.iterate(entity))).map((r) => r.id).sort();
      const a = (await collect(restored[0].iterate(entity))).map((r) => r.id);
      const b = (await collect(restored[1].iterate(entity))).map((r) => r.id);
      expect(a.length, entity).toBeGreaterThan(0);
      expect(b.length, entity).toBeGreaterThan(0);
      expect([...a, ...b].sort(), entity).toEqual(all);
    }
    const otherClasses = new Set((await collect(restored[1].iterate('homeroom_class'))).map((c) => c.id));
    for (const s of await collect(restored[0].iterate('section'))) expect(otherClasses.has((s as { homeroomClassId: string }).homeroomClassId)).toBe(false);
  });

  it('every restored record equals the source\'s (content hash, version, status), tombstone included', async () => {
    let deleted = 0;
    for (const store of restored) {
      for (const entity of ['organization', 'person', 'guardian_link', 'mark', 'final_mark', 'mark_scale', 'work_type'] as const) {
        for (const r of await collect(store.iterate(entity))) {
          const src = (await source.get(r.id)) as CanonicalRecord;
          expect([r.contentHash, r.version, r.status]).toEqual([src.contentHash, src.version, src.status]);
          if (r.status === 'deleted') deleted++;
        }
      }
      // each school's pupils, with the guardians of those pupils
      const pupils = new Set((await collect(store.iterate('enrollment'))).map((e) => (e as { personId: string }).personId));
      for (const g of await collect(store.iterate('guardian_link'))) expect(pupils.has((g as { studentId: string }).studentId)).toBe(true);
    }
    expect(deleted).toBe(1);
  });

  it('crosswalk and change-log rows follow their records; cursors only of the school\'s instances', async () => {
    const crosswalk = await Promise.all(restored.map((s) => collect(rowsOf(s.driver, 'crosswalk'))));
    expect(crosswalk.flat()).toHaveLength(3);
    // school 0's closed class row names its successor in school 1, which its backup cannot hold: reported, link left empty
    expect(outside).toEqual([1, 0]);
    expect(crosswalk[0].find((r) => r.source_id === 'hc-a')).toMatchObject({ superseded_by: null, valid_to: expect.any(String) });
    for (const store of restored) {
      for (const row of await collect(rowsOf(store.driver, 'change_log'))) expect(await store.get(String(row.canonical_id))).not.toBeNull();
      expect((await store.listCursors()).map((c) => c.instance)).toEqual(['el-a']);
    }
  });
});
