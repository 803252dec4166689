// A school moving between two platforms with a write API, set up for a test file: the source platform's emulator with
// the whole journal (instance `<from>-old`), the target's with the roster and timetable only (`<to>-new`), a config
// naming both (PGlite store), and the `journal-gateway migrate` command with its report. Registers its own
// beforeAll/afterAll.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { run as migrateCommand } from '../../src/cli/commands/migrate.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type DatasetOptions, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { captureStdout } from './capture-stdout.js';
import { asursoInstance, dnevnikInstance, eposInstance, gatewayYaml } from './emulator-configs.js';

const INSTANCE_YAML = { asurso: asursoInstance, dnevnik: dnevnikInstance, epos: eposInstance } as const;
type Writable = keyof typeof INSTANCE_YAML;

export interface ApiMove {
  school: SyntheticSchool;
  source: RunningEmulator;
  target: RunningEmulator;
  migrate(flags?: { dryRun?: boolean }): Promise<{ code: number; printed: string }>;
  report(): MigrationReport;
}

export function useApiMove(opts: { from: Writable; to: Writable; dataset: Partial<DatasetOptions>; window: { since: string; until: string } }): ApiMove {
  const [from, to] = [`${opts.from}-old`, `${opts.to}-new`];
  let dir = '';
  let config = '';
  const reports = () => path.join(dir, 'reports');
  const move = {
    migrate: (flags: { dryRun?: boolean } = {}) =>
      captureStdout(() => migrateCommand({ config, from, to, school: 's1', dryRun: false, ...opts.window, ...flags, out: reports() })),
    report: () => JSON.parse(readFileSync(path.join(reports(), `migration-s1-${from}-${to}.json`), 'utf8')) as MigrationReport,
  } as ApiMove;
  beforeAll(async () => {
    move.school = generateSchool({ seed: 1, pupils: 24, weeks: 2, ...opts.dataset });
    move.source = await getPlatform(opts.from).emulator.start({ dataset: move.school });
    move.target = await getPlatform(opts.to).emulator.start({ dataset: move.school, emptyJournal: true });
    dir = mkdtempSync(path.join(tmpdir(), `jg-move-${opts.from}-${opts.to}-`));
    const a = INSTANCE_YAML[opts.from](from, move.source, 500);
    const b = INSTANCE_YAML[opts.to](to, move.target, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a, b], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
      schools: [{ id: 's1', sor: from, platforms: [{ instance: from, schoolId: a.schoolId }, { instance: to, schoolId: b.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await move.source?.close();
    await move.target?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return move;
}
