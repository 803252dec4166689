// A school moving between two platforms with a write API (instances `<from>-old` → `<to>-new`), set up for a test
// file by moving-school.ts.
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { DatasetOptions, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { asursoInstance, dnevnikInstance, eposInstance } from './emulator-configs.js';
import { useMovingSchool } from './moving-school.js';

const INSTANCE_YAML = { asurso: asursoInstance, dnevnik: dnevnikInstance, epos: eposInstance } as const;
type Writable = keyof typeof INSTANCE_YAML;

export interface ApiMove {
  school: SyntheticSchool;
  source: RunningEmulator;
  target: RunningEmulator;
  /** `--since/--until` override the move's window (a first trial over part of it). */
  migrate(flags?: { dryRun?: boolean; since?: string; until?: string }): Promise<{ code: number; printed: string }>;
  report(): MigrationReport;
  /** Where the last run wrote its reports (JSON and HTML). */
  reportsDir(): string;
}

export function useApiMove(opts: { from: Writable; to: Writable; dataset: Partial<DatasetOptions>; window: { since: string; until: string } }): ApiMove {
  const move = useMovingSchool<RunningEmulator>({
    from: { platform: opts.from, instance: `${opts.from}-old`, yaml: INSTANCE_YAML[opts.from] },
    to: { platform: opts.to, instance: `${opts.to}-new`, yaml: INSTANCE_YAML[opts.to] },
    seed: 1, dataset: opts.dataset, window: opts.window,
  });
  return {
    get school() { return move.school; },
    get source() { return move.source; },
    get target() { return move.target; },
    migrate: (flags) => move.migrate(flags),
    report: () => move.report<MigrationReport>(),
    reportsDir: () => move.reportsDir(),
  };
}
