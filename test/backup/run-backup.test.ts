// R-33 (two media, two rooms, each copy verified), R-34 (re-verification records verifiedAt, damage is
// named), R-32 (prune refused before retainUntil: 5 years for class journals, 25 for summary sheets).
import { rmSync } from 'node:fs';
import { access, cp, mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSnapshots, pruneExpired, pruneSnapshot, verifySnapshot } from '../../src/backup/catalog.js';
import { BackupConfigError, checkSeparateDevices, destinationError } from '../../src/backup/destinations.js';
import { RetentionError, retainUntil } from '../../src/backup/retention.js';
import { runBackup } from '../../src/backup/run-backup.js';
import { manifestHashOf, snapshotRecord } from '../../src/backup/snapshot-record.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, mediaReady, tempDir } from './fixtures.js';

const exists = (p: string) => access(p).then(() => true, () => false);

describe('backup run, verify and prune', () => {
  let store: CanonicalStore;
  let root: string;
  const keys = keyPair();
  const dests = () => [
    { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') },
    { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') },
  ];
  const base = () => ({ destinations: dests(), signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: 'backup-test' });
  beforeAll(async () => {
    store = await filledStore();
    root = await tempDir();
    await mediaReady(dests());
  });
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('R-33: a backup goes to two destinations in different rooms, each copy verified, and an archive_snapshot records them', async () => {
    const run = await runBackup(store, { ...base(), now: () => new Date('2026-01-15T02:00:00Z') });
    expect(run.copies.map((c) => [c.medium, c.siteRoom])).toEqual([['disk-a', 'серверная 101'], ['nas', 'архив 204']]);
    for (const c of run.copies) {
      expect(c.verifiedAt).toBeDefined();
      expect(await readFile(path.join(c.location!, 'manifest.json'), 'utf8')).toContain('"kind": "nightly_backup"');
    }
    const stored = (await listSnapshots(store)).find((s) => s.id === run.snapshot.id)!;
    expect(stored).toMatchObject({ kind: 'nightly_backup', retainUntil: '2026-02-14', schoolYear: 2026, hashAlgorithm: 'SHA-256', signerCertificate: await keys.verifier.certificateHash() });
    expect(stored.copies).toHaveLength(2);
    expect(manifestHashOf(stored)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('R-33: one destination, one room or one medium is refused before anything is written', async () => {
    const [a, b] = dests();
    await expect(runBackup(store, { ...base(), destinations: [a] })).rejects.toThrow(BackupConfigError);
    await expect(runBackup(store, { ...base(), destinations: [a, { ...b, room: a.room }] })).rejects.toThrow(/different rooms/);
    await expect(runBackup(store, { ...base(), destinations: [a, { ...b, medium: a.medium }] })).rejects.toThrow(/different media/);
  });

  it('a second medium gone after the first copy (unmounted meanwhile): the run fails naming that destination, and leaves no copy anywhere', async () => {
    const failRoot = await tempDir();
    try {
      const destinations = await mediaReady([{ ...dests()[0], path: path.join(failRoot, 'a') }, { ...dests()[1], path: path.join(failRoot, 'b') }]);
      const before = (await listSnapshots(store)).length;
      // The share goes away while the first copy is verified: its directory is gone, and is not made again.
      const unmount = (stage: string) => { if (stage.startsWith('copying')) rmSync(path.join(failRoot, 'b'), { recursive: true }); };
      await expect(runBackup(store, { ...base(), destinations, onProgress: unmount })).rejects.toThrow(/^backup destination b \(medium nas, архив 204\): its directory .*\/b does not exist/);
      expect(await exists(path.join(failRoot, 'b'))).toBe(false);
      // The first copy was whole and verified, but with no record nothing would ever list, verify or prune it.
      expect(await readdir(path.join(failRoot, 'a'))).toEqual([]);
      expect((await listSnapshots(store)).length).toBe(before);
    } finally {
      await rm(failRoot, { recursive: true, force: true });
    }
  });

  it('a run killed on the way leaves <id>.partial: the next run removes it once nothing has written to it for hours, and nothing else', async () => {
    const killedRoot = await tempDir();
    try {
      const destinations = [{ ...dests()[0], path: path.join(killedRoot, 'a') }, { ...dests()[1], path: path.join(killedRoot, 'b') }];
      const sevenHoursAgo = new Date(Date.now() - 7 * 3_600_000);
      const make = async (rel: string, age?: Date) => {
        const dir = path.join(killedRoot, rel);
        await mkdir(path.join(dir, 'records'), { recursive: true });
        await writeFile(path.join(dir, 'records', 'person.ndjson.gz'), 'half a file');
        if (age) for (const p of [path.join(dir, 'records', 'person.ndjson.gz'), path.join(dir, 'records'), dir]) await utimes(p, age, age);
        return dir;
      };
      const killedNightly = await make('a/nightly-backup-20260114T020000Z-0badf00d.partial', sevenHoursAgo);
      const killedCopy = await make('b/nightly-backup-20260114T020000Z-0badf00d.partial', sevenHoursAgo);
      const killedArchive = await make('a/archive/2026/class-journal-20260114T020000Z-deadbeef.partial', sevenHoursAgo);
      // Another school's backup being written right now on another worker, and a directory the operator made.
      const live = await make('a/nightly-backup-20260115T015959Z-12345678.partial');
      const operators = await make('a/old-copies.partial', sevenHoursAgo);
      const run = await runBackup(store, { ...base(), destinations });
      expect(run.leftoversRemoved.map((l) => l.path).sort()).toEqual([killedArchive, killedNightly, killedCopy].sort());
      expect(run.leftoversRemoved.find((l) => l.path === killedCopy)?.destination).toBe('b');
      for (const gone of [killedNightly, killedCopy, killedArchive]) expect(await exists(gone)).toBe(false);
      for (const kept of [live, operators, ...run.copies.map((c) => c.location!)]) expect(await exists(kept)).toBe(true);
    } finally {
      await rm(killedRoot, { recursive: true, force: true });
    }
  });

  it('a verify key that is not the signing key\'s pair is refused before anything is written, naming both keys', async () => {
    const other = keyPair();
    const mismatchRoot = await tempDir();
    try {
      const destinations = [{ ...dests()[0], path: path.join(mismatchRoot, 'a') }, { ...dests()[1], path: path.join(mismatchRoot, 'b') }];
      const refused = runBackup(store, { ...base(), destinations, verifier: other.verifier });
      await expect(refused).rejects.toThrow(BackupConfigError);
      await expect(refused).rejects.toThrow(`backup.verifyKeyFile is not the public key of backup.signingKeyFile (signing key ${await keys.signer.certificateHash()}, verify key ${await other.verifier.certificateHash()})`);
      expect(await exists(path.join(mismatchRoot, 'a'))).toBe(false);
    } finally {
      await rm(mismatchRoot, { recursive: true, force: true });
    }
  });

  it('the first destination cannot be written: the error names it; a full medium is called full', async () => {
    const failRoot = await tempDir();
    try {
      await writeFile(path.join(failRoot, 'a'), 'a file where the backup disk should be mounted');
      const destinations = [{ ...dests()[0], path: path.join(failRoot, 'a') }, { ...dests()[1], path: path.join(failRoot, 'b') }];
      await expect(runBackup(store, { ...base(), destinations })).rejects.toThrow(/^backup destination a \(medium disk-a, серверная 101\): .*\/a is not a directory/);
      const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      expect(destinationError(dests()[1], enospc).message).toBe(`backup to b (nas, ${dests()[1].path}): the medium is full: ENOSPC: no space left on device, write`);
    } finally {
      await rm(failRoot, { recursive: true, force: true });
    }
  });

  it('R-33 in fact: destinations on one file system are refused (an unmounted share is a local directory); on two, or allowed for a trial, they pass', async () => {
    const [a, b] = dests();
    await expect(checkSeparateDevices([a, b])).rejects.toThrow(/^R-33: backup destinations a \(.*\) and b \(.*\) are on one device/);
    await expect(checkSeparateDevices([a, b], true)).resolves.toBeUndefined();
    // On another file system (here procfs) it passes.
    await expect(checkSeparateDevices([a, { ...b, path: '/proc' }])).resolves.toBeUndefined();
    // A destination's directory that is not there is a medium not mounted, refused even for a trial: never made.
    const nas = { ...b, path: path.join(root, 'mnt-nas', 'journal-backup') };
    await expect(checkSeparateDevices([a, nas], true)).rejects.toThrow(`backup destination b (medium nas, архив 204): its directory ${nas.path} does not exist. `
      + `The gateway never creates a destination's directory: is medium nas mounted? Mount it, and if this is its first use, create the directory once on the mounted medium (mkdir ${nas.path})`);
    await expect(runBackup(store, { ...base(), destinations: [a, nas] })).rejects.toThrow(BackupConfigError);
    expect(await exists(path.join(root, 'mnt-nas'))).toBe(false);
  });

  it('prune while one medium is offline removes the copy it can reach and keeps the snapshot for the other', async () => {
    const offRoot = await tempDir();
    try {
      const destinations = await mediaReady([{ ...dests()[0], path: path.join(offRoot, 'a') }, { ...dests()[1], path: path.join(offRoot, 'b') }]);
      const run = await runBackup(store, { ...base(), destinations, now: () => new Date('2026-01-10T02:00:00Z') });
      await rename(path.join(offRoot, 'b'), path.join(offRoot, 'b-unmounted'));
      const first = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', 'prune-1');
      expect(first.removed).toEqual([run.copies[0].location]);
      expect(first.unreachable).toEqual([run.copies[1].location]);
      const kept = (await listSnapshots(store)).find((x) => x.id === run.snapshot.id);
      expect(kept?.copies.map((c) => c.location)).toEqual([run.copies[1].location]);
      await rename(path.join(offRoot, 'b-unmounted'), path.join(offRoot, 'b'));
      const second = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', 'prune-2');
      expect(second.removed).toEqual([run.copies[1].location]);
      expect(second.unreachable).toEqual([]);
      expect(await exists(run.copies[1].location!)).toBe(false);
      expect((await listSnapshots(store)).some((x) => x.id === run.snapshot.id)).toBe(false);
    } finally {
      await rm(offRoot, { recursive: true, force: true });
    }
  });

  describe('prune and a copy whose manifest is not the recorded one (R-32: past retention, a copy is personal data to remove; another snapshot is never removed for it)', () => {
    let pruneRoot: string;
    const backupAt = async (day: string) => runBackup(store, {
      ...base(), destinations: dests().map((d) => ({ ...d, path: path.join(pruneRoot, d.name) })), now: () => new Date(`${day}T02:00:00Z`),
    });
    beforeAll(async () => {
      pruneRoot = await tempDir();
      await mediaReady(dests().map((d) => ({ ...d, path: path.join(pruneRoot, d.name) })));
    });
    afterAll(async () => {
      await rm(pruneRoot, { recursive: true, force: true });
    });

    it('a copy with one byte of manifest.json changed still carries this snapshot\'s signature: it is removed, and named as damaged', async () => {
      const run = await backupAt('2026-01-10');
      const damaged = run.copies[1].location!;
      const manifest = await readFile(path.join(damaged, 'manifest.json'));
      manifest[40] ^= 0x01;
      await writeFile(path.join(damaged, 'manifest.json'), manifest);
      const r = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', 'prune-damaged');
      expect(r.removed).toEqual(run.copies.map((c) => c.location));
      expect(r.removedDamaged).toEqual([{ location: damaged, why: 'its manifest.json is not the recorded one' }]);
      expect([r.skipped, r.unproven]).toEqual([[], []]);
      expect(await exists(damaged)).toBe(false);
      expect((await store.get(run.snapshot.id))!.status).toBe('deleted');
    });

    it('a copy that cannot be told from another snapshot\'s is not removed: the snapshot is kept naming it until the operator has looked', async () => {
      const run = await backupAt('2026-01-11');
      const unsure = run.copies[1].location!;
      // manifest.json still names this snapshot but is not the recorded one, and manifest.sig is gone: nothing proves whose it is.
      const manifest = await readFile(path.join(unsure, 'manifest.json'), 'utf8');
      await writeFile(path.join(unsure, 'manifest.json'), manifest.replace(/"storeVersion": (\d+)/, (_, v: string) => `"storeVersion": ${Number(v) + 1}`));
      await rm(path.join(unsure, 'manifest.sig'));
      const r = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', 'prune-unsure');
      expect(r.removed).toEqual([run.copies[0].location]);
      expect(r.unproven).toEqual([{ location: unsure, why: 'its manifest names this snapshot but is not the recorded one, and manifest.sig is not its signature' }]);
      expect(await exists(unsure)).toBe(true);
      const kept = await store.get(run.snapshot.id);
      expect(kept).toMatchObject({ status: 'active', copies: [{ location: unsure }] });
      // The operator finds it is this snapshot's and deletes it; the next prune forgets the snapshot.
      await rm(unsure, { recursive: true });
      const again = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', 'prune-unsure-2');
      expect([again.skipped, again.unproven]).toEqual([[unsure], []]);
      expect((await store.get(run.snapshot.id))!.status).toBe('deleted');
    });

    it('an unreadable manifest with no signature of this snapshot\'s is not removed either', async () => {
      const run = await backupAt('2026-01-12');
      const unsure = run.copies[1].location!;
      await rm(path.join(unsure, 'manifest.json'));
      await rm(path.join(unsure, 'manifest.sig'));
      const r = await pruneSnapshot(store, run.snapshot.id, '2027-06-01', 'prune-unreadable');
      expect(r.unproven).toEqual([{ location: unsure, why: 'its manifest.json cannot be read (ENOENT)' }]);
      expect(await exists(unsure)).toBe(true);
      expect((await store.get(run.snapshot.id))!.status).toBe('active');
    });

    it('a directory holding another snapshot is left alone, and this snapshot is forgotten', async () => {
      const [mine, other] = [await backupAt('2026-01-13'), await backupAt('2026-01-14')];
      const location = mine.copies[1].location!;
      await rm(location, { recursive: true });
      await cp(other.copies[1].location!, location, { recursive: true });
      const r = await pruneSnapshot(store, mine.snapshot.id, '2027-06-01', 'prune-other');
      expect([r.removed, r.skipped, r.unproven]).toEqual([[mine.copies[0].location], [location], []]);
      expect(await readFile(path.join(location, 'manifest.json'))).toEqual(await readFile(path.join(other.copies[1].location!, 'manifest.json')));
      expect((await store.get(mine.snapshot.id))!.status).toBe('deleted');
    });
  });

  it('R-34: re-verification checks every copy; a damaged copy is named and keeps its old verifiedAt', async () => {
    const run = await runBackup(store, base());
    const [good, bad] = run.copies;
    const file = path.join(bad.location!, 'records/person.ndjson.gz');
    const bytes = await readFile(file);
    bytes[100] ^= 0x04;
    await writeFile(file, bytes);
    await new Promise((r) => setTimeout(r, 5));
    const { snapshot, checks } = await verifySnapshot(store, run.snapshot.id, keys.verifier, 'verify-test');
    expect(checks.map((c) => [c.medium, c.ok])).toEqual([['disk-a', true], ['nas', false]]);
    expect(checks[1].problems[0]).toMatchObject({ file: 'records/person.ndjson.gz', message: expect.stringMatching(/^SHA-256/) });
    expect(snapshot.copies[0].verifiedAt! > good.verifiedAt!).toBe(true);
    expect(snapshot.copies[1].verifiedAt).toBe(bad.verifiedAt);
    expect((await store.get(run.snapshot.id))!.version).toBeGreaterThan(run.snapshot.version);
  });

  it('R-32: retainUntil is 5 years for class journals, 25 for summary sheets', () => {
    expect(retainUntil('class_journal', '2026-06-25T10:00:00Z', 30)).toBe('2031-06-25');
    expect(retainUntil('summary_sheet', '2026-06-25T10:00:00Z', 30)).toBe('2051-06-25');
    expect(retainUntil('class_journal', '2028-02-29T10:00:00Z', 30)).toBe('2033-03-01');
  });

  it('R-32: pruning a class journal a day before its retainUntil is refused and its copies stay', async () => {
    const dir = path.join(root, 'journal-copy');
    await mkdir(dir);
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    const rec = snapshotRecord({
      organizationId: run0Org(), schoolYear: 2026, kind: 'class_journal', createdAt: '2026-06-25T10:00:00Z', manifestSha256: 'a'.repeat(64),
      signature: 'x', retainUntil: '2031-06-25', copies: [{ medium: 'disk-a', siteRoom: '101', location: dir, storedAt: '2026-06-25T10:00:00Z' }],
    }, 'test');
    await store.upsert(rec, { runId: 'test' });
    await expect(pruneSnapshot(store, rec.id, '2031-06-24', 'prune-test')).rejects.toThrow(RetentionError);
    await expect(pruneSnapshot(store, rec.id, '2031-06-24', 'prune-test')).rejects.toThrow(/R-32: archive_snapshot .* \(class_journal\) must be kept until 2031-06-25 \(inclusive\); today is 2031-06-24/);
    expect(await exists(dir)).toBe(true);
    expect((await store.get(rec.id))!.status).toBe('active');
    // "Kept until" includes the day: made at some hour of 25 June 2026, it is not 5 years old until 25 June 2031 ends.
    await expect(pruneSnapshot(store, rec.id, '2031-06-25', 'prune-test')).rejects.toThrow(RetentionError);
    expect((await pruneSnapshot(store, rec.id, '2031-06-26', 'prune-test')).id).toBe(rec.id);
  });

  it('prune --expired never removes a school\'s newest verified nightly backup, however old', async () => {
    const own = await tempDir();
    const fresh = await filledStore();
    try {
      const opts = { ...base(), destinations: await mediaReady(base().destinations.map((d) => ({ ...d, path: path.join(own, d.name) }))) };
      const first = await runBackup(fresh, { ...opts, now: () => new Date('2025-10-01T02:00:00Z') });
      const last = await runBackup(fresh, { ...opts, now: () => new Date('2025-10-02T02:00:00Z') });
      // The nightly job stopped; months later, both are past their retainUntil.
      const { pruned, keptAsNewest } = await pruneExpired(fresh, '2026-06-01', 'prune-test');
      expect(pruned.map((p) => p.id)).toEqual([first.snapshot.id]);
      expect(keptAsNewest).toEqual([last.snapshot.id]);
      for (const c of last.copies) expect(await exists(c.location!)).toBe(true);
    } finally {
      await fresh.close();
      await rm(own, { recursive: true, force: true });
    }
  });

  it('prune --expired removes nightly backups past retainUntil (copies and record), keeps the younger ones', async () => {
    const old = await runBackup(store, { ...base(), now: () => new Date('2025-10-01T02:00:00Z') });
    const before = (await listSnapshots(store)).length;
    const { pruned, kept } = await pruneExpired(store, '2026-01-01', 'prune-test');
    expect(pruned.map((p) => p.id)).toEqual([old.snapshot.id]);
    expect(pruned[0].removed).toEqual(old.copies.map((c) => c.location));
    expect(kept).toBe(before - 1);
    for (const c of old.copies) expect(await exists(c.location!)).toBe(false);
    expect((await store.get(old.snapshot.id))!.status).toBe('deleted');
  });

  it('a backup made in the first hour of 1 September (school time) is of the new school year, whatever the UTC day', async () => {
    // 00:30 on 1 September in the school's zone is still 31 August in UTC: the backup was recorded as of the year
    // that had just ended. Judged by the school's day — the organization record's zone, or the one the job passes.
    const zone = (await store.get(run0Org())) as unknown as { timeZone: string };
    const offsetHours = { 'Europe/Samara': 4, 'Europe/Moscow': 3, 'Asia/Yekaterinburg': 5 }[zone.timeZone];
    expect(offsetHours, `the fixture school's zone (${zone.timeZone}) is one of UTC+3…+5`).toBeDefined();
    const at = new Date(Date.UTC(2026, 8, 1, 0, 30) - offsetHours! * 3_600_000);
    expect(at.toISOString().slice(0, 10)).toBe('2026-08-31');
    const run = await runBackup(store, { ...base(), now: () => at });
    expect(run.snapshot.schoolYear).toBe(2027);
    const moscow = await runBackup(store, { ...base(), timeZone: 'Europe/Moscow', now: () => new Date('2026-08-31T21:30:00Z') });
    expect(moscow.snapshot.schoolYear).toBe(2027);
  });

  let org: string;
  const run0Org = () => org;
  beforeAll(async () => {
    for await (const o of store.iterate('organization')) if ((o as { type?: string }).type === 'school') org = o.id;
  });
});
