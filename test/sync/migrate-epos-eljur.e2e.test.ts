// A school moves from ЭПОС.Школа to ЭлЖур by import package. ЭПОС lists its pupils as members of groups, not of
// classes; the package took pupils from class enrollments only, so pupils.csv came out empty while marks.csv named
// them, the package stage said "hand it over", and the read-back found every record missing. Now a pupil's class
// is the one their groups belong to, and a package naming a pupil it does not list is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { parseCsv } from '../../src/connectors/eljur/import/index.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { PackageMigrationReport } from '../../src/sync/migrate-by-package.js';
import { captureStdout } from '../support/capture-stdout.js';
import { eljurInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate a school from ЭПОС into ЭлЖур (import package, then read-back)', () => {
  let school: SyntheticSchool;
  let source: RunningEmulator;
  let target: EljurEmulator;
  let dir: string;
  let config: string;
  const reports = () => path.join(dir, 'reports');
  const packageDir = () => path.join(reports(), 'migration-s1-epos-old-eljur-new-package');
  const migrate = (flags: { verifyImport?: boolean }) =>
    captureStdout(() => migrateCommand({ config, from: 'epos-old', to: 'eljur-new', school: 's1', ...flags, ...WINDOW, out: reports() }));
  const report = (): PackageMigrationReport => JSON.parse(readFileSync(path.join(reports(), 'migration-s1-epos-old-eljur-new.json'), 'utf8')) as PackageMigrationReport;

  beforeAll(async () => {
    school = generateSchool({ seed: 53, pupils: 20, weeks: 2, timeZone: 'Asia/Yekaterinburg' });
    source = await getPlatform('epos').emulator.start({ dataset: school });
    target = await getPlatform('eljur').emulator.start({ dataset: school, emptyJournal: true }) as EljurEmulator;
    dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-epos-eljur-'));
    const a = eposInstance('epos-old', source, 500);
    const b = eljurInstance('eljur-new', target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
      schools: [{ id: 's1', sor: 'epos-old', platforms: [{ instance: 'epos-old', schoolId: a.schoolId }, { instance: 'eljur-new', schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the package lists every pupil its marks name, and the read-back finds every record with its homework', async () => {
    expect((await migrate({})).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')) as { files: { name: string; rows: number }[] };
    const rows = (name: string) => manifest.files.find((f) => f.name === name)?.rows ?? 0;
    expect(rows('pupils.csv')).toBe(20);
    expect(rows('marks.csv')).toBeGreaterThan(100);
    const csv = (name: string) => parseCsv(readFileSync(path.join(packageDir(), name), 'utf8'));
    const pupils = new Set(csv('pupils.csv').map((r) => r.person_key));
    for (const m of csv('marks.csv')) expect(pupils.has(m.person_key), 'every mark\'s pupil is listed').toBe(true);
    // ЭПОС homework (core/api/student_homeworks) reaches the package.
    expect(readFileSync(path.join(packageDir(), 'lessons.csv'), 'utf8')).toMatch(/Упр\.|№ \d|с\. \d/);

    await importIntoEmulator(target.baseUrl, String(target.info.devkey), packageDir());
    const verified = await migrate({ verifyImport: true });
    const r = report();
    expect(r.importCheck?.matchedPupils).toBe(20);
    expect(r.reconciliation?.differences ?? []).toEqual([]);
    expect(r.reconciliation?.perEntity.mark.present).toBeGreaterThan(100);
    expect(r.ok).toBe(true);
    expect(verified.code).toBe(0);
  }, 240_000);
});
