// a restore rebuilds the store the backup was taken from — every record with the same content hash,
// version and status (tombstones too), the crosswalk, the change log, cursors and the ledger.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/backup/export.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { rowsOf, SIDE_TABLE_NAMES } from '../../src/backup/store-tables.js';
import { ENTITY_ORDER, type EntityName } from '../../src/model/index.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { backends } from '../store/fixtures.js';
import { collect, filledStore, keyPair, tempDir } from './fixtures.js';

describe.each(backends)('backup round trip on $name', (backend) => {
  let source: CanonicalStore;
  let target: CanonicalStore;
  let root: string;
  const cleanups: (() => Promise<void>)[] = [];
  const keys = keyPair();
  beforeAll(async () => {
    const a = await backend.open();
    const b = await backend.open();
    cleanups.push(a.cleanup, b.cleanup);
    source = await filledStore({ store: a.store });
    target = b.store;
    root = await tempDir();
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await rm(root, { recursive: true, force: true });
  });

  it('R-35: a restored store has every record with the same content hash, version and status, tombstones included', async () => {
    const dir = path.join(root, 'b1');
    const { manifest } = await exportStore(source, dir, { signer: keys.signer, backupId: 'b1', runId: 'backup-test' });
    expect(manifest.counts.records.mark.deleted).toBe(2);
    expect(manifest.counts.tables.crosswalk).toBe(6);
    const restored = await restoreBackup(dir, target, keys.verifier);
    expect(restored.records.mark).toBe(manifest.counts.records.mark.total);
    expect(restored.crosswalkLinksOutside).toBe(0);

    expect(await target.countsByEntityStatus()).toEqual(await source.countsByEntityStatus());
    for (const entity of ENTITY_ORDER) {
      const a = await collect(source.iterate(entity as EntityName));
      const b = await collect(target.iterate(entity as EntityName));
      expect(b.map((r) => [r.id, r.contentHash, r.version, r.status])).toEqual(a.map((r) => [r.id, r.contentHash, r.version, r.status]));
      expect(b).toEqual(a);
    }
    for (const table of SIDE_TABLE_NAMES) {
      expect(await collect(rowsOf(target.driver, table))).toEqual(await collect(rowsOf(source.driver, table)));
    }
    expect(await collect(target.changesSince(0))).toEqual(await collect(source.changesSince(0)));
    expect(await target.currentVersion()).toBe(await source.currentVersion());
  });

  it('the restored store carries on: the next write gets a new version and a key change opens a new crosswalk row', async () => {
    const before = await target.currentVersion();
    const [mark] = await collect(target.iterate('mark', { status: 'active', batchSize: 1 }));
    expect(await target.deleteRecord('mark', mark.id, { reason: 'manual', runId: 'after-restore' })).toBe(before + 1);
    const row = await target.changeKey({ system: 'dnevnik_ru', instance: 'dn-a', entity: 'person', oldSourceId: 'u-1', newSourceId: 'u-1b', runId: 'after-restore' });
    const maxSourceId = Math.max(...(await collect(rowsOf(source.driver, 'crosswalk'))).map((r) => Number(r.id)));
    expect(row.id).toBeGreaterThan(maxSourceId);
  });

  it('a restore refuses a store that already holds data, and says what it holds', async () => {
    await expect(restoreBackup(path.join(root, 'b1'), source, keys.verifier)).rejects.toThrow(/empty store only; this one holds \d+ canonical_records/);
  });
});
