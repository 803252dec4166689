// `backup run --organization UUID` is the same school backup as `--school ID` (docs/backup.md: "the cursors of the
// school's platform instances" belong in it). The CLI used to pass the school scope with an empty instance list, so the
// backup silently held no sync cursor of the school: a school restored from it had lost where each platform's delta
// sync stood. It now backs up the configured school that resolves to the organization, and refuses one that none does.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soleSchool } from '../../src/backup/run-backup.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { filledStore, keyPair, mediaReady, tempDir, writeKeyFiles } from './fixtures.js';

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

describe('backup run --organization and the school\'s cursors', () => {
  let root: string;
  let config: string;
  let org: string;
  beforeAll(async () => {
    root = await tempDir();
    await mediaReady([{ path: path.join(root, 'a') }, { path: path.join(root, 'b') }]);
    const keys = await writeKeyFiles(root, keyPair());
    const store = await filledStore({ dataDir: path.join(root, 'data', 'store') });
    org = await soleSchool(store);
    const system = getPlatform('asurso').declaration.system;
    await store.link([{ entity: 'organization', canonicalId: org, system, instance: 'asurso-a', sourceId: '1', sourceIdKind: 'school' }], { runId: 'sync-1' });
    await store.setCursor({ system, instance: 'asurso-a', entity: 'mark', kind: 'date_last_modified', value: '2025-09-07T10:00:00Z', lastSuccessAt: '2025-09-07T10:05:00Z' });
    await store.close();
    config = path.join(root, 'gateway.yaml');
    await writeFile(config, `region: { id: r1, name: Регион }
store: { dataDir: ${JSON.stringify(path.join(root, 'data'))} }
platforms:
  - { instance: asurso-a, platform: asurso, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: teacher, password: test }, options: { schoolId: 1 } }
schools:
  - id: school-1
    name: Школа
    timeZone: Europe/Samara
    systemOfRecord: asurso-a
    platforms: [{ instance: asurso-a, schoolId: "1" }]
backup:
  allowOneDevice: true
  destinations:
    - { name: a, medium: disk-a, room: "серверная 101", path: ${JSON.stringify(path.join(root, 'a'))} }
    - { name: b, medium: nas, room: "архив 204", path: ${JSON.stringify(path.join(root, 'b'))} }
  signingKeyFile: ${JSON.stringify(keys.privateFile)}
  verifyKeyFile: ${JSON.stringify(keys.publicFile)}
`);
  }, 120_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const cursorsIn = async (stdout: string) => {
    const r = JSON.parse(stdout) as { copies: { location: string }[] };
    const m = JSON.parse(await readFile(path.join(r.copies[0].location, 'manifest.json'), 'utf8')) as { counts: { tables: Record<string, number> } };
    return m.counts.tables.sync_cursors;
  };

  it('holds the same cursors as --school of that school', async () => {
    const bySchool = await cli(['backup', 'run', '--config', config, '--school', 'school-1', '--json']);
    expect(bySchool.code, bySchool.stderr).toBe(0);
    const byOrg = await cli(['backup', 'run', '--config', config, '--organization', org, '--json']);
    expect(byOrg.code, byOrg.stderr).toBe(0);
    expect(await cursorsIn(bySchool.stdout)).toBe(1);
    expect(await cursorsIn(byOrg.stdout), 'the --organization backup of the same school').toBe(1);
  }, 120_000);

  it('refuses an organization no configured school resolves to (exit 64), writing no backup', async () => {
    // The same school under another platform school id: the crosswalk does not lead from it to the organization.
    const other = path.join(root, 'other.yaml');
    await writeFile(other, (await readFile(config, 'utf8')).replace('platforms: [{ instance: asurso-a, schoolId: "1" }]', 'platforms: [{ instance: asurso-a, schoolId: "2" }]'));
    const before = await readdir(path.join(root, 'a'));
    const r = await cli(['backup', 'run', '--config', other, '--organization', org, '--json']);
    expect(r.code, r.stderr).toBe(64);
    expect(r.stderr).toContain(`--organization ${org}: no configured school resolves to this organization`);
    expect(await readdir(path.join(root, 'a'))).toEqual(before);
  }, 120_000);
});
