// A school moving from one platform to another, set up for a test file: the source platform's emulator with the whole
// journal, the target's with the roster and timetable only (as before a move), a config naming both (PGlite store),
// and the `journal-gateway migrate` command writing its reports to a temporary directory. Registers its own
// beforeAll/afterAll. api-move.ts and eljur-move.ts give it their platforms and report types.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { run as migrateCommand, type MigrateOptions } from '../../src/cli/commands/migrate.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type DatasetOptions, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { InstanceYaml } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { captureStdout } from './capture-stdout.js';
import { gatewayYaml } from './emulator-configs.js';

type InstanceOf = (name: string, emu: RunningEmulator, rps: number) => InstanceYaml;
export interface Side { platform: string; instance: string; yaml: InstanceOf }

export interface MovingSchool<Target extends RunningEmulator> {
  school: SyntheticSchool;
  source: RunningEmulator;
  target: Target;
  reportsDir(): string;
  /** The gateway config the runs use (for other commands of the same school: `review`). */
  configPath(): string;
  /** Runs `journal-gateway migrate` for school s1 over the move's window (flags may override it). */
  migrate(flags?: Partial<Pick<MigrateOptions, 'dryRun' | 'verifyImport' | 'since' | 'until'>>): Promise<{ code: number; printed: string }>;
  /** The JSON report the last run wrote. */
  report<R>(): R;
}

export function useMovingSchool<Target extends RunningEmulator>(opts: {
  from: Side; to: Side; seed: number; dataset: Partial<DatasetOptions>; window: { since: string; until: string };
}): MovingSchool<Target> {
  const { from, to } = opts;
  let dir = '';
  let config = '';
  const reports = () => path.join(dir, 'reports');
  // The last run's report: a dry run's has a name of its own (src/cli/commands/migrate.ts).
  let lastDryRun = false;
  const move = {
    reportsDir: reports,
    configPath: () => config,
    migrate: (flags: { dryRun?: boolean } = {}) => {
      lastDryRun = Boolean(flags.dryRun);
      return captureStdout(() => migrateCommand({ config, from: from.instance, to: to.instance, school: 's1', dryRun: false, ...opts.window, ...flags, out: reports() }));
    },
    report: () => JSON.parse(readFileSync(path.join(reports(), `migration-s1-${from.instance}-${to.instance}${lastDryRun ? '-dry-run' : ''}.json`), 'utf8')),
  } as MovingSchool<Target>;
  beforeAll(async () => {
    move.school = generateSchool({ seed: opts.seed, pupils: 24, weeks: 2, ...opts.dataset });
    move.source = await getPlatform(from.platform).emulator.start({ dataset: move.school });
    move.target = await getPlatform(to.platform).emulator.start({ dataset: move.school, emptyJournal: true }) as Target;
    dir = mkdtempSync(path.join(tmpdir(), `jg-move-${from.platform}-${to.platform}-`));
    const a = from.yaml(from.instance, move.source, 500);
    const b = to.yaml(to.instance, move.target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
      schools: [{ id: 's1', sor: from.instance, platforms: [{ instance: from.instance, schoolId: a.schoolId }, { instance: to.instance, schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await move.source?.close();
    await move.target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return move;
}
