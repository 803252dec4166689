// What every platform emulator does before it renders its own world (src/emulators/<platform>/index.ts): take
// the dataset it was given or generate its default one, map the dataset's staff roles onto the platform's
// login roles, and list one account per role on the startup line.
import { generateSchool, SyntheticSchool, type DatasetOptions } from '../dataset/index.js';
import type { EmulatorServer } from './server.js';
import type { EmulatorStartOptions, RunningEmulator } from './types.js';

/** A platform's default dataset: what `emulate <platform>` serves without `--seed`/`--pupils`. */
export type DefaultDataset = DatasetOptions & { pupils: number; weeks: number };

/** The dataset an emulator renders: `opts.dataset` when given, else one generated from `opts` over the platform's defaults. */
export function schoolFor(opts: EmulatorStartOptions & { weeks?: number }, defaults: DefaultDataset): SyntheticSchool {
  if (opts.dataset instanceof SyntheticSchool) return opts.dataset;
  return generateSchool({ ...defaults, seed: opts.seed ?? defaults.seed, pupils: opts.pupils ?? defaults.pupils, weeks: opts.weeks ?? defaults.weeks, emptyJournal: opts.emptyJournal });
}

/** The role a dataset account logs in with: the director and the academic deputy administer the platform. */
export const loginRole = (role: string): string => (role === 'director' || role === 'deputy_academic' ? 'administrator' : role);

/** The first user of each role, in order: the accounts the startup line lists. */
export function onePerRole<U extends { role: string }>(users: readonly U[]): U[] {
  const seen = new Set<string>();
  return users.filter((u) => !seen.has(u.role) && seen.add(u.role));
}

/** The part of a running emulator its HTTP server provides. */
export function serverControls(server: EmulatorServer): Pick<RunningEmulator, 'baseUrl' | 'stats' | 'setFaults' | 'close'> {
  return { baseUrl: server.baseUrl, stats: () => server.stats(), setFaults: (f) => server.setFaults(f), close: () => server.close() };
}
