// A school moves into ЭлЖур (import package) after the nightly syncs ran through a year-end: the store holds last year
// (2025/2026, its classes, groups, terms and class lists kept as they were, docs/sync.md) and the new year's roster
// (2026/2027, the pupils promoted: 5А → 6А, same person). The package is of the school as it is now: the new year's
// classes, groups and terms, each promoted pupil in their new class; and `--verify-import` reconciles it with zero
// differences. Before, the package listed both years' classes (two «5А»), put a promoted pupil in whichever of their
// two classes the store gave last, and the read-back could not match the pupils ЭлЖур lists in their new class.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as migrateCommand, type MigrateOptions } from '../../src/cli/commands/migrate.js';
import { parseCsv } from '../../src/connectors/eljur/import/index.js';
import { importIntoEmulator } from '../../src/emulators/eljur/admin-import.js';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { PackageMigrationReport } from '../../src/sync/migrate-by-package.js';
import { captureStdout } from '../support/capture-stdout.js';
import { eljurInstance } from '../support/emulator-configs.js';
import { buildRollover } from '../support/rollover.js';
import { twoYearsMove, type TwoYearsMove } from '../support/two-years-store.js';

describe('migrate into ЭлЖур from a store holding last year and the new year', () => {
  const roll = buildRollover({ pupils: 24, weeks: 2 });
  const lastYear = roll.old.lessonWindow();
  const window = roll.next.lessonWindow();
  let move: TwoYearsMove<EljurEmulator>;
  const reports = () => path.join(move.dir, 'reports');
  const packageDir = () => path.join(reports(), 'migration-s1-dn-el-package');
  const csv = (name: string) => parseCsv(readFileSync(path.join(packageDir(), name), 'utf8'));
  const migrate = (flags: Partial<MigrateOptions> = {}) =>
    captureStdout(() => migrateCommand({ config: move.config, from: 'dn', to: 'el', school: 's1', dryRun: false, since: window.from, until: window.to, out: reports(), ...flags }));
  const report = () => JSON.parse(readFileSync(path.join(reports(), 'migration-s1-dn-el.json'), 'utf8')) as PackageMigrationReport;

  beforeAll(async () => {
    move = await twoYearsMove(roll, lastYear, { name: 'el', start: (dataset) => startEljurEmulator({ dataset, emptyJournal: true }), instance: eljurInstance });
  }, 300_000);
  afterAll(async () => {
    await move?.close();
  });

  it('the package is the new year\'s: its classes, groups and terms, each promoted pupil in their new class', async () => {
    const { code } = await migrate();
    expect(code).toBe(0);
    expect(report().importPackage).toBeDefined();
    const classes = csv('classes.csv');
    expect(classes.map((c) => c.name).sort()).toEqual(roll.next.all('homeroom_class').map((c) => c.title).sort());
    expect(new Set(classes.map((c) => c.year_key)).size, 'school years of classes.csv').toBe(1);
    // The new year's terms start on or after its first day; last year's are gone.
    const firstDay = roll.next.all('academic_session').map((s) => s.startDate).sort()[0];
    expect(csv('periods.csv').filter((p) => p.start < firstDay).map((p) => p.name), 'last year\'s terms').toEqual([]);
    expect(csv('groups.csv').length, 'groups.csv').toBe(roll.next.all('section').length);
    // The package keys pupils by their canonical ids: found here by name (the dataset's ids are the platform's).
    const byName = new Map(csv('pupils.csv').map((p) => [`${p.lastname}|${p.firstname}|${p.middlename}`, p]));
    const persons = new Map(roll.old.all('person').map((p) => [p.id, `${p.familyName}|${p.givenName}|${p.middleName ?? ''}`]));
    const wrongClass = [...roll.promoted].filter(([id, cls]) => byName.get(persons.get(id)!)?.class !== cls);
    expect(wrongClass, 'promoted pupils not in their new class').toEqual([]);
    expect(byName.size, 'pupils.csv').toBe(roll.promoted.size + roll.newcomers.length);
  }, 300_000);

  it('after the import, --verify-import matches every pupil and reconciles with zero differences', async () => {
    await importIntoEmulator(move.target.baseUrl, String(move.target.info.devkey), packageDir());
    const { code } = await migrate({ verifyImport: true });
    const r = report();
    expect(r.importCheck?.unmatchedPupils).toEqual([]);
    expect(r.reconciliation?.differences.slice(0, 5)).toEqual([]);
    expect(r.reconciliation?.perEntity.mark?.present).toBeGreaterThan(0);
    expect(r.ok).toBe(true);
    expect(code).toBe(0);
  }, 300_000);
});
