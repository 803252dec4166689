// verify finds and names every kind of damage — a flipped byte in any file, a removed line, two files
// swapped, a signature under another key — and restore refuses a damaged copy without writing anything.
import { cp, mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/backup/export.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { verifierFromConfig } from '../../src/backup/keys.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir } from './fixtures.js';

describe('tampered backups', () => {
  let store: CanonicalStore;
  let root: string;
  let original: string;
  const keys = keyPair();
  let n = 0;
  const copy = async () => {
    const dir = path.join(root, `copy-${++n}`);
    await cp(original, dir, { recursive: true });
    return dir;
  };
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    original = path.join(root, 'original');
    await exportStore(store, original, { signer: keys.signer, backupId: 'original', runId: 'tamper-test' });
  });
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('an untouched copy verifies', async () => {
    const r = await verifyBackup(original, keys.verifier);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('a flipped byte in any file of the backup is found and the file named', async () => {
    const files = (await readdir(original, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
      .map((e) => path.relative(original, path.join(e.parentPath, e.name)));
    expect(files.length).toBeGreaterThan(20);
    for (const rel of files) {
      const dir = await copy();
      const bytes = await readFile(path.join(dir, rel));
      const at = Math.floor(bytes.length / 2);
      bytes[at] ^= 0x01;
      await writeFile(path.join(dir, rel), bytes);
      const r = await verifyBackup(dir, keys.verifier);
      expect(r.ok, rel).toBe(false);
      const named = rel === 'manifest.json' ? ['manifest.json', 'manifest.sig'] : [rel];
      expect(r.problems.some((p) => named.includes(p.file)), `${rel}: ${JSON.stringify(r.problems)}`).toBe(true);
      await rm(dir, { recursive: true });
    }
  });

  it('every byte of manifest.sig counts: a low bit flipped anywhere, or text appended, is found', async () => {
    const dir = await copy();
    const file = path.join(dir, 'manifest.sig');
    const written = await readFile(file);
    const tampered: Buffer[] = [Buffer.concat([written, Buffer.from('appended by someone\n')])];
    for (let i = 0; i < written.length; i++) {
      for (const bit of [0x01, 0x02]) {
        const b = Buffer.from(written);
        b[i] ^= bit;
        tampered.push(b);
      }
    }
    for (const bytes of tampered) {
      await writeFile(file, bytes);
      const r = await verifyBackup(dir, keys.verifier);
      expect(r.problems.map((p) => p.file), JSON.stringify(bytes.toString('latin1'))).toContain('manifest.sig');
    }
    await writeFile(file, written);
    expect((await verifyBackup(dir, keys.verifier)).ok).toBe(true);
    await rm(dir, { recursive: true });
  });

  it('a removed line is found: the file\'s hash and its line count differ from the manifest', async () => {
    const dir = await copy();
    const file = path.join(dir, 'records/person.ndjson.gz');
    const lines = gunzipSync(await readFile(file)).toString('utf8').split('\n');
    lines.splice(3, 1);
    await writeFile(file, gzipSync(lines.join('\n')));
    const r = await verifyBackup(dir, keys.verifier);
    expect(r.problems.filter((p) => p.file === 'records/person.ndjson.gz').map((p) => p.message)).toEqual([
      expect.stringMatching(/^SHA-256 [0-9a-f]{64} differs/), expect.stringMatching(/bytes, the manifest says/), expect.stringMatching(/lines, the manifest says/),
    ]);
  });

  it('two swapped files are both named', async () => {
    const dir = await copy();
    const a = path.join(dir, 'records/lesson.ndjson.gz');
    const b = path.join(dir, 'records/mark.ndjson.gz');
    await rename(a, `${a}.tmp`);
    await rename(b, a);
    await rename(`${a}.tmp`, b);
    const r = await verifyBackup(dir, keys.verifier);
    expect([...new Set(r.problems.map((p) => p.file))].sort()).toEqual(['records/lesson.ndjson.gz', 'records/mark.ndjson.gz']);
  });

  it('a wrong key is found: the expected key is not the signer\'s, or the signature does not verify under it', async () => {
    const other = keyPair();
    const r = await verifyBackup(original, other.verifier);
    expect(r.problems).toEqual([{ file: 'manifest.sig', message: expect.stringMatching(/^signed with key [0-9A-F]{64} \(ed25519\), not the expected key [0-9A-F]{64}/) }]);

    // Re-signed by somebody else who also wrote their key's name into the manifest: still refused.
    const dir = await copy();
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.signer.certificateHash = await keys.verifier.certificateHash();
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(path.join(dir, 'manifest.json'), bytes);
    await writeFile(path.join(dir, 'manifest.sig'), Buffer.from(await other.signer.sign(bytes)).toString('base64'));
    const forged = await verifyBackup(dir, keys.verifier);
    expect(forged.problems).toEqual([{ file: 'manifest.sig', message: expect.stringMatching(/^the signature does not match manifest.json/) }]);
  });

  it('after a change of signing key, a snapshot the old key signed verifies when the old key is configured as retired', async () => {
    const next = keyPair();
    const keyDir = await tempDir();
    try {
      await writeFile(path.join(keyDir, 'new.pem'), next.privatePem);
      await writeFile(path.join(keyDir, 'old.pub.pem'), keys.publicPem);
      const config = { destinations: [], signer: 'ed25519' as const, signingKeyFile: path.join(keyDir, 'new.pem'), nightlyRetentionDays: 30, allowOneDevice: false, csvSeparator: ',' as const };
      // Without the retired key: refused, saying where the old key belongs.
      const without = await verifyBackup(original, await verifierFromConfig({ ...config, retiredVerifyKeyFiles: [] }));
      expect(without.problems).toEqual([{ file: 'manifest.sig', message: expect.stringMatching(/nor a retired key of backup\.retiredVerifyKeyFiles$/) }]);
      // With it: the old snapshot verifies under the old key; a forgery naming the old key still fails.
      const ring = await verifierFromConfig({ ...config, retiredVerifyKeyFiles: [path.join(keyDir, 'old.pub.pem')] });
      expect((await verifyBackup(original, ring)).ok).toBe(true);
      expect(await ring.certificateHash()).toBe(await next.verifier.certificateHash()); // new snapshots: the new key
      const dir = await copy();
      await writeFile(path.join(dir, 'manifest.sig'), Buffer.from(await next.signer.sign(await readFile(path.join(dir, 'manifest.json')))).toString('base64'));
      expect((await verifyBackup(dir, ring)).problems).toEqual([{ file: 'manifest.sig', message: expect.stringMatching(/^the signature does not match manifest.json under key/) }]);
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  });

  it('a missing file, an unlisted file and a missing copy are named', async () => {
    const dir = await copy();
    await rm(path.join(dir, 'change_log.ndjson.gz'));
    await writeFile(path.join(dir, 'records/extra.ndjson.gz'), gzipSync('{}\n'));
    const r = await verifyBackup(dir, keys.verifier);
    expect(r.problems).toEqual([
      { file: 'change_log.ndjson.gz', message: 'missing' },
      { file: 'records/extra.ndjson.gz', message: 'not listed in the manifest' },
    ]);
    expect((await verifyBackup(path.join(root, 'no-such-copy'), keys.verifier)).problems).toEqual([{ file: '.', message: 'the copy\'s directory is missing' }]);
  });

  it('R-33: a copy whose files are links into another copy is refused, and so is an unlisted link', async () => {
    const other = await copy();
    const dir = await copy();
    await rm(path.join(dir, 'change_log.ndjson.gz'));
    await symlink(path.join(other, 'change_log.ndjson.gz'), path.join(dir, 'change_log.ndjson.gz'));
    await symlink(path.join(other, 'manifest.json'), path.join(dir, 'records', 'elsewhere.json'));
    const r = await verifyBackup(dir, keys.verifier);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(expect.arrayContaining([
      { file: 'change_log.ndjson.gz', message: 'a symbolic link, not a file: a copy must hold its own bytes (R-33)' },
      { file: 'records/elsewhere.json', message: 'a symbolic link, not a file: a copy must hold its own bytes (R-33)' },
    ]));
  });

  it('a file that changes between the verification and the write is found by the restore itself, which writes nothing', async () => {
    const dir = await copy();
    const target = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      // The copy is rewritten after restoreBackup has verified it (a sync job on the network share, a flaky medium):
      // the change happens as the restore's transaction opens.
      const transaction = target.driver.transaction.bind(target.driver);
      (target.driver as { transaction: typeof transaction }).transaction = async (fn) => {
        const file = path.join(dir, 'crosswalk.ndjson.gz');
        await writeFile(file, gzipSync(gunzipSync(await readFile(file)).toString('utf8').replace('"source_id":"u-1"', '"source_id":"u-9"')));
        return transaction(fn);
      };
      await expect(restoreBackup(dir, target, keys.verifier)).rejects.toThrow(/crosswalk\.ndjson\.gz: its bytes changed after verification/);
      expect((await target.driver.query<{ n: number }>('SELECT count(*)::int AS n FROM crosswalk')).rows[0].n).toBe(0);
      expect((await target.driver.query<{ n: number }>('SELECT count(*)::int AS n FROM canonical_records')).rows[0].n).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('restore refuses a damaged copy, names the damage and writes nothing', async () => {
    const dir = await copy();
    const file = path.join(dir, 'records/mark.ndjson.gz');
    const bytes = await readFile(file);
    bytes[bytes.length - 10] ^= 0x80;
    await writeFile(file, bytes);
    const target = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await expect(restoreBackup(dir, target, keys.verifier)).rejects.toThrow(/failed verification; nothing was restored:\n {2}records\/mark\.ndjson\.gz: SHA-256/);
      expect(await target.count()).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('a stray file a NAS or desktop wrote into a copy: verify names it, restore goes on without reading it and names it too', async () => {
    const dir = await copy();
    await writeFile(path.join(dir, '.DS_Store'), 'Finder was here');
    await mkdir(path.join(dir, '@eaDir', 'records'), { recursive: true });
    await writeFile(path.join(dir, '@eaDir', 'records', 'thumb.db'), 'index');
    expect((await verifyBackup(dir, keys.verifier)).problems.map((p) => p.file).sort()).toEqual(['.DS_Store', '@eaDir/records/thumb.db']);
    const target = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      const r = await restoreBackup(dir, target, keys.verifier);
      expect(r.ignoredFiles.sort()).toEqual(['.DS_Store', '@eaDir/records/thumb.db']);
      expect(await target.countsByEntityStatus()).toEqual(await store.countsByEntityStatus());
    } finally {
      await target.close();
    }
    // With a listed file damaged as well, the stray file changes nothing: refused, and the damage named.
    const file = path.join(dir, 'records/mark.ndjson.gz');
    const bytes = await readFile(file);
    bytes[bytes.length - 10] ^= 0x80;
    await writeFile(file, bytes);
    const again = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await expect(restoreBackup(dir, again, keys.verifier)).rejects.toThrow(/failed verification; nothing was restored:\n {2}records\/mark\.ndjson\.gz: SHA-256/);
      expect(await again.count()).toBe(0);
    } finally {
      await again.close();
    }
  });
});
