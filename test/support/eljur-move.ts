// A school moving into ЭлЖур by import package (`<platform>-old` → `eljur-new`), set up for a test file by
// moving-school.ts; the package lands beside the reports.
import path from 'node:path';
import type { DatasetOptions, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { EljurEmulator } from '../../src/emulators/eljur/index.js';
import type { InstanceYaml } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { PackageMigrationReport } from '../../src/sync/migrate-by-package.js';
import { eljurInstance } from './emulator-configs.js';
import { useMovingSchool } from './moving-school.js';

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
  const move = useMovingSchool<EljurEmulator>({
    from: { platform: opts.platform, instance: from, yaml: opts.instance },
    to: { platform: 'eljur', instance: 'eljur-new', yaml: eljurInstance },
    seed: 52, dataset: opts.dataset, window: opts.window,
  });
  return {
    get school() { return move.school; },
    get source() { return move.source; },
    get target() { return move.target; },
    reportsDir: move.reportsDir,
    packageDir: () => path.join(move.reportsDir(), `migration-s1-${from}-eljur-new-package`),
    migrate: (flags) => move.migrate(flags),
    report: () => move.report<PackageMigrationReport>(),
  };
}
