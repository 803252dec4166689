// `migrate --dry-run` after a migration: the migration's report is what the school keeps as the record of what was
// moved and what was not. The dry run wrote its own report under the same name, so the real one was gone — replaced
// by a plan that says "dry run: nothing written". A dry run's report now has its own name.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { sharedStore, type SharedStore } from '../support/shared-store.js';

describe('migrate --dry-run after a migration', () => {
  let source: DnevnikEmulator;
  let target: EposEmulator;
  let dir: string;
  let config: string;
  let window: { from: string; to: string };
  let store: SharedStore | undefined;

  beforeAll(async () => {
    const school = generateSchool({ seed: 41, pupils: 8, weeks: 1 });
    source = await startDnevnikEmulator({ dataset: school });
    target = await startEposEmulator({ dataset: school, emptyJournal: true });
    const dates = school.all('lesson').map((l) => l.date).sort();
    window = { from: dates[0], to: dates.at(-1)! };
    dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-dry-'));
    store = sharedStore(inject('postgresUrl'), dir, 'jg_mdry');
    const a = dnevnikInstance('dnevnik-old', source, 500);
    const b = eposInstance('epos-new', target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: store.yaml,
      schools: [{ id: 's1', sor: 'dnevnik-old', platforms: [{ instance: 'dnevnik-old', schoolId: a.schoolId }, { instance: 'epos-new', schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    await store?.drop();
  });

  const migrate = (extra: string[]) => new Promise<{ code: number | null; out: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate', '--config', config, '--from', 'dnevnik-old', '--to', 'epos-new', '--school', 's1',
      '--since', window.from, '--until', window.to, '--out', path.join(dir, 'reports'), ...extra],
    { env: { ...process.env, LOG_LEVEL: 'warn', LOG_PRETTY: '0' }, timeout: 300_000, killSignal: 'SIGKILL' },
    (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });

  it('leaves the migration\'s report as it was, and writes its plan beside it', async () => {
    const real = await migrate([]);
    expect(real.code, real.out).toBe(0);
    const reportFile = path.join(dir, 'reports', 'migration-s1-dnevnik-old-epos-new.json');
    const before = readFileSync(reportFile, 'utf8');
    expect(JSON.parse(before).dryRun).toBe(false);

    const dry = await migrate(['--dry-run']);
    expect(dry.code, dry.out).toBe(0);
    expect(readFileSync(reportFile, 'utf8'), 'the dry run replaced the migration\'s report').toBe(before);
    const dryFile = path.join(dir, 'reports', 'migration-s1-dnevnik-old-epos-new-dry-run.json');
    expect(existsSync(dryFile)).toBe(true);
    expect(JSON.parse(readFileSync(dryFile, 'utf8')).dryRun).toBe(true);
    expect(dry.out).toContain(dryFile);
  }, 600_000);
});
