// A backup a newer gateway made (same store schema: a new canonical entity needs no migration, its records are rows of
// canonical_records) restored by an older one — the second site's gateway not yet upgraded. The restore must refuse the
// entity it does not know, as the backup itself does: written into the store, its records made every later backup of
// that store fail («the store holds records of entities this version does not know»), from the first night on.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportStore, seal } from '../../src/backup/export.js';
import { writeNdjsonGz } from '../../src/backup/gzip-ndjson.js';
import { MANIFEST_FILE, parseManifest, SIGNATURE_FILE } from '../../src/backup/manifest.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { mintId, recomputeHash } from '../../src/model/index.js';
import { backends } from '../store/fixtures.js';
import { filledStore, restoreSetUp } from './fixtures.js';

describe.each(backends)('restore on $name of a backup from a newer version', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

  it('refuses records of an entity this version does not know, naming it, and writes nothing', async () => {
    const { source: empty, target, root, keys } = await restoreSetUp(backend, cleanups);
    const source = await filledStore({ store: empty });
    const dir = path.join(root, 'newer');
    await exportStore(source, dir, { signer: keys.signer, backupId: 'newer', runId: 'nightly' });
    // What the newer version adds: one more records file, listed and counted in the manifest it signs.
    const record: Record<string, unknown> = {
      id: mintId(), entity: 'homework_submission', status: 'active', version: 1, updatedAt: '2026-05-01T10:00:00.000Z', sourceRefs: [],
      provenance: { system: 'gateway', instance: 'x', fetchedAt: '2026-05-01T10:00:00.000Z', payloadHash: 'p', runId: 'r', mapperVersion: '9' },
      lessonId: mintId(), text: 'Упражнение 5',
    };
    record.contentHash = recomputeHash(record);
    const rel = 'records/homework_submission.ndjson.gz';
    const written = await writeNdjsonGz(path.join(dir, rel), [record]);
    const manifest = parseManifest(await readFile(path.join(dir, MANIFEST_FILE)), dir);
    manifest.files.push({ path: rel, kind: 'records', name: 'homework_submission', ...written });
    manifest.counts.records.homework_submission = { total: 1, active: 1, inactive: 0, deleted: 0 };
    await rm(path.join(dir, MANIFEST_FILE));
    await rm(path.join(dir, SIGNATURE_FILE));
    await seal(dir, manifest, keys.signer);

    await expect(restoreBackup(dir, target, keys.verifier)).rejects.toThrow(/homework_submission/);
    expect(await target.countsByEntityStatus()).toEqual({});
  }, 120_000);
});
