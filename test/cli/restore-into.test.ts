// `backup restore --into DIR` with a directory of other files: the restore made an embedded store (PostgreSQL's ~20
// files and directories) among them. Now it is refused before the backup is read, naming the directory, and nothing in
// it is touched; a new or empty directory still becomes the store, and an existing store is opened as before (and
// refused by the restore when it holds anything, docs/backup.md "Restore").
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filledStore, keyPair, tempDir, writeKeyFiles } from '../backup/fixtures.js';

let root: string;
let config: string;
let copy: string;

/** Runs the CLI; a run still going after 120 s is killed and reported as a hang (code null). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, DATABASE_URL: '', LOG_PRETTY: '0', REDIS_URL: '' }, timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 16 * 2 ** 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const USAGE = 64;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  root = await tempDir('jg-cli-restore-into-');
  const keys = await writeKeyFiles(root, keyPair());
  const store = await filledStore({ pupils: 5, weeks: 1, dataDir: path.join(root, 'data', 'store') });
  await store.close();
  config = path.join(root, 'gateway.yaml');
  for (const d of ['copies-a', 'copies-b']) mkdirSync(path.join(root, d)); // as the operator does once on each medium
  writeFileSync(config, `region: { id: r1, name: Регион }
store: { dataDir: ${JSON.stringify(path.join(root, 'data'))} }
backup:
  allowOneDevice: true # both copies in one temporary directory
  destinations:
    - { name: a, medium: disk-a, room: "101", path: ${JSON.stringify(path.join(root, 'copies-a'))} }
    - { name: b, medium: nas, room: "204", path: ${JSON.stringify(path.join(root, 'copies-b'))} }
  signingKeyFile: ${JSON.stringify(keys.privateFile)}
  verifyKeyFile: ${JSON.stringify(keys.publicFile)}
`);
  const ran = await cli(['backup', 'run', '--config', config, '--json']);
  expect(ran.code, ran.stderr).toBe(0);
  copy = (JSON.parse(ran.stdout) as { copies: { location: string }[] }).copies[0]!.location;
}, 240_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('backup restore --into', () => {
  it('a directory of other files is refused, naming it, and left as it was', async () => {
    const docs = path.join(root, 'documents');
    mkdirSync(path.join(docs, 'letters'), { recursive: true });
    writeFileSync(path.join(docs, 'notes.txt'), 'not a store\n');
    const r = await cli(['backup', 'restore', '--config', config, '--dir', copy, '--into', docs]);
    expect(r.code, `exit code (null = still running); stderr: ${r.stderr}`).toBe(USAGE);
    expect(r.stderr).toMatch(new RegExp(`^journal-gateway: --into ${escape(docs)} is not empty \\(2 entries\\) and not a gateway store: nothing was restored\\. Give a new or empty directory\\n$`));
    expect(r.stdout).toBe('');
    expect(readdirSync(docs).sort()).toEqual(['letters', 'notes.txt']);
    expect(readdirSync(path.join(docs, 'letters'))).toEqual([]);

    // The gateway's data directory instead of its store: refused too, saying where the store is.
    const data = path.join(root, 'data');
    const before = readdirSync(data).sort();
    const parent = await cli(['backup', 'restore', '--config', config, '--dir', copy, '--into', data]);
    expect(parent.code, parent.stderr).toBe(USAGE);
    expect(parent.stderr).toContain(`its embedded store is ${path.join(data, 'store')}`);
    expect(readdirSync(data).sort()).toEqual(before);

    const file = path.join(docs, 'notes.txt');
    const notDir = await cli(['backup', 'restore', '--config', config, '--dir', copy, '--into', file]);
    expect(notDir.code, notDir.stderr).toBe(USAGE);
    expect(notDir.stderr).toContain(`--into ${file} is a file, not a directory`);
  }, 240_000);

  it('a missing or empty directory becomes the store; an existing store is opened, and refused as before when it holds anything', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    for (const into of [empty, path.join(root, 'missing', 'store')]) {
      const r = await cli(['backup', 'restore', '--config', config, '--dir', copy, '--into', into]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^restored backup nightly-backup-/);
    }
    // Today's behaviour for a store: opened, then "restore goes into an empty store only" (exit 1), nothing written.
    const again = await cli(['backup', 'restore', '--config', config, '--dir', copy, '--into', empty]);
    expect(again.code, again.stderr).toBe(1);
    expect(again.stderr).toMatch(/restore goes into an empty store only; this one holds \d+ /);
  }, 360_000);
});
