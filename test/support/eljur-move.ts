// A school moving into ЭлЖур by import package, set up for a test file: the source platform's emulator with the
// whole journal, ЭлЖур's with the roster and timetable only (as before a move), a config naming both, and the
// `journal-gateway migrate` command with its report. Registers its own beforeAll/afterAll.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type DatasetOptions, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { InstanceYaml } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { PackageMigrationReport } from '../../src/sync/migrate-by-package.js';
import { captureStdout } from './capture-stdout.js';
import { eljurInstance, gatewayYaml } from './emulator-configs.js';

export interface EljurMove {
  school: SyntheticSchool;
  source: RunningEmulator;
  target: EljurEmulator;
  /** Where the reports (JSON, HTML) and the package go. */
  reportsDir(): string;
  packageDir(): string;
  /** `since`/`until` override the move's window. */
  migrate(flags: { dryRun?: boolean; verifyImport?: boolean; since?: string; until?: string }): Promise<{ code: number; printed: string }>;
  report(): PackageMigrationReport;
}

export function useEljurMove(opts: {
  platform: string; instance: (name: string, emu: RunningEmulator, rps: number) => InstanceYaml;
  dataset: Partial<DatasetOptions>; window: { since: string; until: string };
}): EljurMove {
  const from = `${opts.platform}-old`;
  let dir = '';
  let config = '';
  const reports = () => path.join(dir, 'reports');
  const move = {
    reportsDir: reports,
    packageDir: () => path.join(reports(), `migration-s1-${from}-eljur-new-package`),
    migrate: (flags: { dryRun?: boolean; verifyImport?: boolean; since?: string; until?: string }) =>
      captureStdout(() => migrateCommand({ config, from, to: 'eljur-new', school: 's1', ...opts.window, ...flags, out: reports() })),
    report: () => JSON.parse(readFileSync(path.join(reports(), `migration-s1-${from}-eljur-new.json`), 'utf8')) as PackageMigrationReport,
  } as EljurMove;
  beforeAll(async () => {
    move.school = generateSchool({ seed: 52, pupils: 24, weeks: 2, ...opts.dataset });
    move.source = await getPlatform(opts.platform).emulator.start({ dataset: move.school });
    move.target = await getPlatform('eljur').emulator.start({ dataset: move.school, emptyJournal: true }) as EljurEmulator;
    dir = mkdtempSync(path.join(tmpdir(), `jg-move-${opts.platform}-eljur-`));
    const a = opts.instance(from, move.source, 500);
    const b = eljurInstance('eljur-new', move.target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
      schools: [{ id: 's1', sor: from, platforms: [{ instance: from, schoolId: a.schoolId }, { instance: 'eljur-new', schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await move.source?.close();
    await move.target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return move;
}
