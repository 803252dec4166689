// a school backup carries tombstones, crosswalk and change log like a whole-store backup. A person merged by
// review (src/sync/review.ts) is a tombstone with no enrollment or role assignment left to bring it into the
// school's scope; its merge trail must, or the restored school lacks it, its closed platform ids and its history.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/backup/export.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { rowsOf } from '../../src/backup/store-tables.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { buildRecord, mintId, naturalId } from '../../src/model/index.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { decidePersonMatch } from '../../src/sync/review.js';
import { collect, keyPair, tempDir } from './fixtures.js';
import { backends, prov } from '../store/fixtures.js';

const duplicate = (id: string) => buildRecord('person', { familyName: 'Дубликатов', givenName: 'Тест', enabled: true }, {
  id, sourceRefs: [{ system: 'synthetic', instance: 'test', sourceId: id.slice(0, 8), kind: 'user' }], provenance: prov('dup'),
});

async function merge(store: CanonicalStore, dup: string, into: string, sourceId: string): Promise<void> {
  await store.upsertMany([duplicate(dup)], { runId: 'dup' });
  await store.link([{ entity: 'person', canonicalId: dup, system: 'asu_rso', instance: 'emu', sourceId, sourceIdKind: 'id' }], { runId: 'dup' });
  const candidate = buildRecord('match_candidate', { candidateEntity: 'person', leftId: dup, rightId: into, rule: 'composite_duplicate', score: 1, decision: 'pending', at: '2025-09-03T08:00:00Z' }, {
    id: naturalId('match_candidate', dup, into), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId, kind: 'match' }], provenance: prov('dup'),
  });
  await store.upsertMany([candidate], { runId: 'dup' });
  await decidePersonMatch(store, candidate.id, 'merge', 'review');
}

describe.each(backends)('a school backup after a merge by review, from $name', (backend) => {
  let source: CanonicalStore;
  let restored: CanonicalStore;
  let root: string;
  let cleanup: () => Promise<void>;
  const [first, second] = [mintId(), mintId()];
  beforeAll(async () => {
    ({ store: source, cleanup } = await backend.open());
    const data = generateSchool({ seed: 11, pupils: 12, weeks: 1 });
    await source.upsertMany(data.records, { runId: 'load' });
    const org = data.records.find((r) => r.entity === 'organization' && (r as { type?: string }).type === 'school')!.id;
    const pupil = (data.records.find((r) => r.entity === 'enrollment') as { personId: string }).personId;
    // `second` is merged into the pupil; `first` had been merged into `second` before: a chain of two merges.
    await merge(source, second, pupil, 'p-2');
    await source.upsertMany([duplicate(first)], { runId: 'dup' });
    const chained = buildRecord('match_candidate', { candidateEntity: 'person', leftId: first, rightId: second, rule: 'composite_duplicate', score: 1, decision: 'merged', mergedInto: second, at: '2025-09-02T08:00:00Z' }, {
      id: naturalId('match_candidate', first, second), sourceRefs: [{ system: 'asu_rso', instance: 'emu', sourceId: 'p-1', kind: 'match' }], provenance: prov('dup'),
    });
    await source.upsertMany([chained], { runId: 'dup' });
    await source.deleteRecord('person', first, { reason: 'merged', evidence: `${chained.id} → ${second}`, runId: 'dup' });
    root = await tempDir();
    const dir = path.join(root, 'school');
    const keys = keyPair();
    await exportStore(source, dir, { signer: keys.signer, backupId: 'school', runId: 'merge-test', organizationId: org, school: { instances: ['emu'] } });
    restored = await openStore({ dataDir: 'memory://', databaseUrl: null });
    await restoreBackup(dir, restored, keys.verifier);
  }, 120_000);
  afterAll(async () => {
    await restored?.close();
    await cleanup?.();
    await rm(root, { recursive: true, force: true });
  });

  it('restores the merged-away persons as the same tombstones, with their closed crosswalk rows and their change log', async () => {
    for (const id of [first, second]) {
      const src = (await source.get(id))!;
      expect(src).toMatchObject({ status: 'deleted', deleteReason: 'merged' });
      const back = await restored.get(id);
      expect(back && [back.contentHash, back.version, back.status], id).toEqual([src.contentHash, src.version, src.status]);
      const log = async (s: CanonicalStore) => (await collect(rowsOf(s.driver, 'change_log'))).filter((r) => r.canonical_id === id).map((r) => r.version);
      expect(await log(restored)).toEqual(await log(source));
    }
    const closed = (await collect(rowsOf(restored.driver, 'crosswalk'))).filter((r) => r.canonical_id === second);
    expect(closed).toMatchObject([{ source_id: 'p-2', valid_to: expect.any(String) }]);
  });
});
