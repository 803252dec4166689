// A school moves from Дневник.ру (its whole journal) to ЭлЖур (no write API, platforms.md §4.4) through
// `journal-gateway migrate`: the apply step writes the import package; the emulator loads it as the ЭлЖур
// support team would (POST /emulator/import, emulator-only); `migrate --verify-import` reads the school back
// and reconciles it with the canonical store — zero differences; a package loaded with one mark missing
// shows exactly that mark.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { FILES, parseCsv, toCsv } from '../../src/connectors/eljur/import/index.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { sha256Hex } from '../../src/model/hash.js';
import { markId } from '../../src/model/ids.js';
import type { PackageMigrationReport } from '../../src/sync/migrate-by-package.js';
import { captureStdout } from '../support/capture-stdout.js';
import { dnevnikInstance, eljurInstance, gatewayYaml } from '../support/emulator-configs.js';

const WINDOW = { since: '2025-09-01', until: '2025-09-12' };

describe('migrate a school from Дневник.ру into ЭлЖур (import package, then read-back)', () => {
  let school: SyntheticSchool;
  let source: RunningEmulator;
  let target: EljurEmulator;
  let dir: string;
  let config: string;
  const reports = () => path.join(dir, 'reports');
  const packageDir = () => path.join(reports(), 'migration-s1-dnevnik-old-eljur-new-package');
  const migrate = (flags: { dryRun?: boolean; verifyImport?: boolean }) =>
    captureStdout(() => migrateCommand({ config, from: 'dnevnik-old', to: 'eljur-new', school: 's1', ...flags, ...WINDOW, out: reports() }));
  const report = (): PackageMigrationReport => JSON.parse(readFileSync(path.join(reports(), 'migration-s1-dnevnik-old-eljur-new.json'), 'utf8')) as PackageMigrationReport;
  const marksInWindow = () => {
    const lessons = new Set(school.all('lesson').filter((l) => l.date >= WINDOW.since && l.date <= WINDOW.until && l.lessonStatus !== 'cancelled').map((l) => l.id));
    return school.all('mark').filter((m) => lessons.has(m.lessonId)).length;
  };
  const devkey = () => String(target.info.devkey);

  beforeAll(async () => {
    school = generateSchool({ seed: 52, pupils: 24, weeks: 2 });
    source = await getPlatform('dnevnik').emulator.start({ dataset: school });
    // Before the move ЭлЖур holds the school's roster and timetable only.
    target = await getPlatform('eljur').emulator.start({ dataset: school, emptyJournal: true }) as EljurEmulator;
    dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-eljur-'));
    const a = dnevnikInstance('dnevnik-old', source, 500);
    const b = eljurInstance('eljur-new', target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
      schools: [{ id: 's1', sor: 'dnevnik-old', platforms: [{ instance: 'dnevnik-old', schoolId: a.schoolId }, { instance: 'eljur-new', schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a dry run plans every mark and writes no package', async () => {
    const { code } = await migrate({ dryRun: true });
    expect(code).toBe(0);
    const r = report();
    expect(r.stage).toBe('dry-run');
    expect(r.plan.toCreate.mark).toBe(marksInWindow());
    expect(r.importPackage).toBeUndefined();
  }, 180_000);

  it('the apply step writes the import package (ЭлЖур cannot be written) and says how to go on', async () => {
    const { code, printed } = await migrate({});
    expect(code).toBe(0);
    const r = report();
    expect(r.stage).toBe('package');
    expect(r.reconciliation).toBeUndefined();
    expect(r.ok).toBe(false); // nothing is verified yet
    expect(printed).toMatch(/--verify-import/);
    const manifest = JSON.parse(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')) as { files: { name: string; rows: number }[] };
    expect(manifest.files.find((f) => f.name === 'marks.csv')?.rows).toBe(marksInWindow());
    // The package carries no marks into ЭлЖур by itself: the emulator still serves an empty journal.
    expect([...target.world.marksByPupil.values()].flat().filter((m) => !m.absence)).toHaveLength(0);
  }, 180_000);

  it('after the import, --verify-import reads ЭлЖур back and reconciles with zero differences', async () => {
    const loaded = await importIntoEmulator(target.baseUrl, devkey(), packageDir());
    expect(loaded.mark).toBe(marksInWindow());
    const { code, printed } = await migrate({ verifyImport: true });
    const r = report();
    expect(r.reconciliation?.differences.slice(0, 5)).toEqual([]);
    expect(r.importCheck).toMatchObject({ unmatchedPupils: [], quarantined: 0 });
    expect(r.importCheck?.matchedPupils).toBeGreaterThanOrEqual(24);
    expect(r.reconciliation?.perEntity.mark).toMatchObject({ expected: marksInWindow(), present: marksInWindow(), missing: 0, unexpected: 0, different: 0 });
    expect([r.plan.toCreate.mark, r.plan.alreadyThere.mark]).toEqual([0, marksInWindow()]); // the plan as read back
    expect(r.reconciliation?.perEntity.attendance_record.expected).toBeGreaterThan(0);
    expect(r.reconciliation?.perEntity.lesson.missing).toBe(0);
    expect(r.ok).toBe(true);
    expect(code).toBe(0);
    expect(printed).toMatch(/nothing lost/);
    expect(readFileSync(path.join(reports(), 'migration-s1-dnevnik-old-eljur-new.html'), 'utf8')).toMatch(/Ничего не потеряно/);
  }, 180_000);

  it('a second run after the verified import finds nothing to do: ЭлЖур is read back first, and no package is written', async () => {
    const before = readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8');
    const { code, printed } = await migrate({});
    expect(code).toBe(0);
    const r = report();
    expect(r.stage).toBe('package');
    expect(r.importPackage).toBeUndefined();
    expect(r.plan.toCreate.mark).toBe(0);
    expect(r.plan.alreadyThere.mark).toBe(marksInWindow());
    expect(r.ok).toBe(true);
    expect(printed).toMatch(/nothing to do: eljur-new already holds every record/);
    expect(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')).toBe(before);
  }, 180_000);

  it('a package loaded with one mark removed: --verify-import exits 1 and names that mark as missing', async () => {
    const marks = parseCsv(readFileSync(path.join(packageDir(), 'marks.csv'), 'utf8'));
    const dropped = marks.pop()!;
    // The support team's copy lost a row; the manifest is re-sealed so the load itself succeeds.
    const text = toCsv(FILES['marks.csv'].columns, marks);
    const manifest = JSON.parse(readFileSync(path.join(packageDir(), 'manifest.json'), 'utf8')) as { files: { name: string; rows: number; sha256: string }[] };
    const files = new Map([['marks.csv', text], ['manifest.json', JSON.stringify({ ...manifest, files: manifest.files.map((f) => (f.name === 'marks.csv' ? { ...f, rows: marks.length, sha256: sha256Hex(text) } : f)) })]]);
    for (const name of Object.keys(FILES)) if (name !== 'marks.csv') files.set(name, readFileSync(path.join(packageDir(), name), 'utf8'));
    target.importPackage(files);
    const { code, printed } = await migrate({ verifyImport: true });
    expect(code).toBe(1);
    const r = report();
    expect(r.ok).toBe(false);
    // The package's keys are the canonical ids: the lost mark is the one with that pupil, lesson and slot.
    const lost = markId(dropped.person_key, dropped.lesson_key, Number(dropped.slot));
    expect(r.reconciliation?.differences).toEqual([{ entity: 'mark', id: lost, kind: 'missing' }]);
    expect(r.reconciliation?.perEntity.mark).toMatchObject({ expected: marksInWindow(), present: marksInWindow() - 1, missing: 1 });
    expect(printed).toContain(`missing: mark ${lost}`);
  }, 180_000);
});
