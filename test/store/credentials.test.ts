// platform_credentials: what a platform issued that the next run needs (a rotated refresh token), shared by every
// process on the store — and never in a backup, which would carry a live secret to two media for years.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/backup/export.js';
import { credentialVault } from '../../src/jobs/job-context.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { keyPair, tempDir } from '../backup/fixtures.js';
import { backends } from './fixtures.js';

describe.each(backends)('platform credentials on $name', (backend) => {
  let store: CanonicalStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('the latest value is kept per instance and name; two instances do not share one', async () => {
    const a = credentialVault(store, 'dn-a');
    const b = credentialVault(store, 'dn-b');
    expect(await a.load('dnevnik.refreshToken')).toBeUndefined();
    await a.save('dnevnik.refreshToken', 'synthetic-ref-1');
    await a.save('dnevnik.refreshToken', 'synthetic-ref-2');
    await b.save('dnevnik.refreshToken', 'synthetic-ref-b');
    expect(await a.load('dnevnik.refreshToken')).toBe('synthetic-ref-2');
    expect(await b.load('dnevnik.refreshToken')).toBe('synthetic-ref-b');
  });

  it('a backup of the store holds no credential', async () => {
    await credentialVault(store, 'dn-a').save('dnevnik.refreshToken', 'synthetic-secret-refresh-token');
    const root = await tempDir();
    try {
      const dir = path.join(root, 'b');
      await exportStore(store, dir, { signer: keyPair().signer, backupId: 'b', runId: 'credentials-test' });
      const files = await readdir(dir, { recursive: true, withFileTypes: true });
      for (const f of files.filter((x) => x.isFile())) {
        const bytes = await readFile(path.join(f.parentPath, f.name));
        const text = f.name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
        expect(text).not.toContain('synthetic-secret-refresh-token');
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
