// `journal-gateway backup run|list|verify|restore|prune` as an operator runs it, on an embedded store.
import { execFile } from 'node:child_process';
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/backup/run-backup.js';
import { findPostgres } from '../../src/infra/postgres-probe.js';
import { dropSchema, openStore, PgDriver } from '../../src/store/index.js';
import { classJournalFile, filledStore, keyPair, mediaReady, tempDir, writeKeyFiles } from './fixtures.js';

const exec = promisify(execFile);

async function cli(args: string[]) {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0' }, maxBuffer: 16 * 2 ** 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('journal-gateway backup', () => {
  let root: string;
  let config: string;
  let sourceCounts: Record<string, number>;
  beforeAll(async () => {
    root = await tempDir();
    await mediaReady([{ path: path.join(root, 'copies-a') }, { path: path.join(root, 'copies-b') }]);
    const keys = await writeKeyFiles(root, keyPair());
    const store = await filledStore({ dataDir: path.join(root, 'data', 'store') });
    sourceCounts = await store.countsByEntity();
    await store.close();
    config = path.join(root, 'gateway.yaml');
    await writeFile(config, `region: { id: r1, name: Регион }
store: { dataDir: ${JSON.stringify(path.join(root, 'data'))} }
backup:
  allowOneDevice: true # both copies in one temporary directory
  destinations:
    - { name: a, medium: disk-a, room: "серверная 101", path: ${JSON.stringify(path.join(root, 'copies-a'))} }
    - { name: b, medium: nas, room: "архив 204", path: ${JSON.stringify(path.join(root, 'copies-b'))} }
  signingKeyFile: ${JSON.stringify(keys.privateFile)}
  verifyKeyFile: ${JSON.stringify(keys.publicFile)}
`);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('run, list, verify, restore into a new store, and a prune refused before retainUntil', async () => {
    const ran = await cli(['backup', 'run', '--config', config, '--json']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const r = JSON.parse(ran.stdout) as { snapshotId: string; copies: { location: string }[]; retainUntil: string };
    expect(r.copies).toHaveLength(2);
    // Personal data (152-ФЗ): the copies are the operator's account's only, whatever the shell's umask.
    for (const c of r.copies) {
      expect((await stat(c.location)).mode & 0o077).toBe(0);
      expect((await stat(path.join(c.location, 'records', 'person.ndjson.gz'))).mode & 0o077).toBe(0);
    }

    const listed = await cli(['backup', 'list', '--config', config]);
    expect(listed.stdout).toContain(r.snapshotId);
    expect(listed.stdout).toContain('disk-a@серверная 101, nas@архив 204');

    expect((await cli(['backup', 'verify', r.snapshotId, '--config', config])).code).toBe(0);

    const into = path.join(root, 'restored');
    const restored = await cli(['backup', 'restore', '--config', config, '--dir', r.copies[1].location, '--into', into]);
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toMatch(/^restored backup nightly-backup-/);
    const store = await openStore({ databaseUrl: null, dataDir: into });
    try {
      expect(await store.countsByEntity()).toEqual(sourceCounts);
    } finally {
      await store.close();
    }

    const refused = await cli(['backup', 'prune', r.snapshotId, '--config', config]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`RetentionError: R-32: archive_snapshot ${r.snapshotId} \\(nightly_backup\\) must be kept until ${r.retainUntil}`));
    // No date from the command line overrules retention (it once deleted a 25-year summary sheet on its first day).
    const dated = await cli(['backup', 'prune', r.snapshotId, '--today', '2099-01-01', '--config', config]);
    expect(dated.code).not.toBe(0);
    expect(dated.stderr).toMatch(/unknown option '--today'/);
    expect((await cli(['backup', 'list', '--config', config])).stdout).toContain(r.snapshotId);
  }, 180_000);

  it('restore of a damaged copy exits 1 naming the file, and creates no store: no --into directory, no PostgreSQL schema', async () => {
    const ran = await cli(['backup', 'run', '--config', config, '--json']);
    expect(ran.code).toBe(0);
    const damaged = path.join(root, 'damaged-copy');
    await cp((JSON.parse(ran.stdout) as { copies: { location: string }[] }).copies[0].location, damaged, { recursive: true });
    const file = path.join(damaged, 'records/person.ndjson.gz');
    const bytes = await readFile(file);
    bytes[40] ^= 0x01;
    await writeFile(file, bytes);

    const into = path.join(root, 'never-created');
    const r = await cli(['backup', 'restore', '--config', config, '--dir', damaged, '--into', into]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed verification; nothing was restored');
    expect(r.stderr).toContain('records/person.ndjson.gz: SHA-256');
    expect(await stat(into).then(() => true, () => false)).toBe(false);

    // The configured store: a PostgreSQL schema that does not exist yet stays so.
    const pg = await findPostgres();
    if (!pg) {
      console.warn('skipping the PostgreSQL half of the damaged-restore test: no PostgreSQL answers');
      return;
    }
    const schema = `jg_test_restore_${Math.random().toString(36).slice(2, 10)}`;
    const pgConfig = path.join(root, 'gateway-pg.yaml');
    await writeFile(pgConfig, (await readFile(config, 'utf8')).replace(/^store: .*$/m, `store: { databaseUrl: ${JSON.stringify(pg)}, schema: ${schema} }`));
    try {
      const intoPg = await cli(['backup', 'restore', '--config', pgConfig, '--dir', damaged]);
      expect(intoPg.code).toBe(1);
      expect(intoPg.stderr).toContain('records/person.ndjson.gz: SHA-256');
      const driver = await PgDriver.open(pg);
      try {
        expect((await driver.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rows).toEqual([]);
      } finally {
        await driver.close();
      }
    } finally {
      await dropSchema(pg, schema);
    }
  }, 180_000);

  it('verify --dir names a damaged file and exits 1', async () => {
    const listed = await cli(['backup', 'list', '--config', config, '--json']);
    const s = JSON.parse(listed.stdout.trim().split('\n')[0]) as { copies: { location: string }[] };
    const file = path.join(s.copies[0].location, 'records/mark.ndjson.gz');
    const bytes = await readFile(file);
    bytes[50] ^= 0xff;
    await writeFile(file, bytes);
    const v = await cli(['backup', 'verify', '--config', config, '--dir', s.copies[0].location]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('records/mark.ndjson.gz: SHA-256');
    expect((await cli(['backup', 'frobnicate', '--config', config])).stderr).toContain('unknown backup action "frobnicate"');
    const check = await cli(['backup', 'archive', '--check', '--year', '2026', '--config', config]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^R-31 2025\/2026: 11 homeroom class\(es\) without a class journal snapshot/);
  }, 120_000);

  it('list, verify and prune keep to the school named; verify with nothing recorded says so and exits 1', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: path.join(root, 'data', 'store') });
    let municipality: string;
    try {
      const orgs: { id: string; type?: string }[] = [];
      for await (const o of store.iterate('organization', { status: 'active' })) orgs.push(o as { id: string; type?: string });
      municipality = orgs.find((o) => o.type === 'municipality')!.id;
    } finally {
      await store.close();
    }
    const all = (await cli(['backup', 'list', '--config', config, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(all.length).toBeGreaterThan(0);

    // Another organization holds no snapshot: the list is empty, and verify does not pass silence off as success.
    const listed = await cli(['backup', 'list', '--config', config, '--json', '--organization', municipality]);
    expect(listed.stdout.trim()).toBe('');
    const verified = await cli(['backup', 'verify', '--config', config, '--organization', municipality]);
    expect(verified.code).toBe(1);
    expect(verified.stderr).toContain(`R-34: no backup or archive snapshot is recorded for organization ${municipality}: nothing to verify`);

    // A snapshot of another school is never pruned or verified under this one's name.
    const pruned = await cli(['backup', 'prune', all[0].id, '--config', config, '--organization', municipality]);
    expect(pruned.code).not.toBe(0);
    expect(pruned.stderr).toContain(`snapshot ${all[0].id} belongs to organization`);
    const expired = await cli(['backup', 'prune', '--expired', '--config', config, '--organization', municipality]);
    expect(expired.stdout).toContain('nothing past its retainUntil');
    expect((await cli(['backup', 'list', '--config', config, '--json'])).stdout.trim().split('\n')).toHaveLength(all.length);
  }, 120_000);

  it('prune of a snapshot past retainUntil with a copy it cannot tell from another snapshot\'s exits 1, naming the copy and what to do', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: path.join(root, 'data', 'store') });
    const k = keyPair();
    let run: Awaited<ReturnType<typeof runBackup>>;
    try {
      run = await runBackup(store, {
        destinations: [
          { name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'copies-a') },
          { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'copies-b') },
        ],
        signer: k.signer, verifier: k.verifier, nightlyRetentionDays: 30, runId: 'cli-old', now: () => new Date('2025-01-10T02:00:00Z'),
      });
    } finally {
      await store.close();
    }
    const unsure = run.copies[1].location!;
    await rm(path.join(unsure, 'manifest.json'));
    await rm(path.join(unsure, 'manifest.sig'));
    const pruned = await cli(['backup', 'prune', run.snapshot.id, '--config', config]);
    expect(pruned.code).toBe(1);
    expect(pruned.stdout).toContain(`partly pruned ${run.snapshot.id}`);
    expect(pruned.stdout).toContain(`not removed: ${unsure} — its manifest.json cannot be read (ENOENT), so it cannot be told from another snapshot's copy; the snapshot is kept for it.`);
    expect(await stat(unsure).then(() => true, () => false)).toBe(true);
    expect((await cli(['backup', 'list', '--config', config])).stdout).toContain(run.snapshot.id);
  }, 120_000);

  it('archive --check names the classes still without a class journal by title («5А»), not by id', async () => {
    const r = await cli(['backup', 'archive', '--year', '2026', '--check', '--config', config]);
    expect(r.code).toBe(1);
    const listed = /without a class journal snapshot \(([^)]*)\)/.exec(r.stdout)![1].split(', ');
    expect(listed.length).toBeGreaterThan(1);
    for (const name of listed) expect(name).toMatch(/^\d{1,2}[А-Я]$/);
  }, 120_000);

  it('archive --separator ";" writes semicolon-separated CSV (Excel in a Russian locale) that verifies; an unknown separator is refused', async () => {
    const bad = await cli(['backup', 'archive', '--year', '2026', '--separator', '|', '--config', config]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('unknown --separator "|"; known: ",", ";"');
    const r = await cli(['backup', 'archive', '--year', '2026', '--separator', ';', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snaps = (await cli(['backup', 'list', '--config', config, '--json'])).stdout.trim().split('\n')
      .map((l) => JSON.parse(l) as { id: string; kind: string; homeroomClassId?: string; class?: string; copies: { location: string }[] });
    const sheet = snaps.find((s) => s.kind === 'summary_sheet')!;
    const journal = snaps.find((s) => s.kind === 'class_journal')!;
    // What the operator reads names each class journal's class by title: the run's table and the list.
    const journals = snaps.filter((s) => s.kind === 'class_journal');
    for (const s of journals) {
      expect(s.class).toMatch(/^\d{1,2}[А-Я]$/);
      expect(r.stdout).toContain(` ${s.class} `);
      expect(r.stdout).not.toContain(s.homeroomClassId);
      expect(await classJournalFile(s.copies[0].location, 'html')).toMatch(/\/class-journal-\d{1,2}[a-z]+\.html$/);
    }
    for (const c of sheet.copies) expect((await readFile(path.join(c.location, 'summary-sheet.csv'), 'utf8')).split('\r\n')[0]).toBe('\uFEFFclass;pupil_id;pupil;subject;kind;kind_ru;period;mark');
    expect((await readFile(await classJournalFile(journal.copies[0].location, 'csv'), 'utf8')).split('\r\n')[0]).toBe('\uFEFFclass;subject;date;lesson;pupil_id;pupil;entry;value');
    for (const s of [sheet, journal]) expect((await cli(['backup', 'verify', s.id, '--config', config])).code).toBe(0);
  }, 180_000);
});
