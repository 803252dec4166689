// Shapes shared by every platform emulator (PLATFORM-SLICE.md §1, DECISIONS.md §6).
import type { FaultConfig } from './faults.js';
import type { EmulatorStatsSnapshot } from './stats.js';

/** One account the emulator serves, printed in the startup line. */
export interface EmulatorAccount {
  role: 'administrator' | 'teacher' | 'parent' | 'student' | string;
  login?: string;
  password?: string;
  /** For token-only auth kinds (imported token, ЭлЖур `v_token`…). */
  token?: string;
  [extra: string]: unknown;
}

/**
 * The one JSON line a standalone emulator prints on start:
 * `{"platform","baseUrl","accounts":[…], …platform ids}` (NetSchool `schoolId`, ЭлЖур `vendor`/`devkey`…).
 */
export interface StartupInfo {
  platform: string;
  baseUrl: string;
  accounts: EmulatorAccount[];
  [platformIds: string]: unknown;
}

/** Options of `<platform>Emulator.start()` (the registry's `emulator.start`). */
export interface EmulatorStartOptions {
  /** 0 or undefined = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Dataset seed (deterministic). */
  seed?: number;
  /** Pupils in the synthetic school. */
  pupils?: number;
  /** Roster and timetable only (a migration target). */
  emptyJournal?: boolean;
  faults?: FaultConfig;
  /** A pre-built dataset to render instead of generating one (type owned by src/emulators/dataset). */
  dataset?: unknown;
}

/** A running emulator. */
export interface RunningEmulator {
  baseUrl: string;
  info: StartupInfo;
  /** Request counts, fault counts and peak rate. */
  stats(): EmulatorStatsSnapshot;
  /** Switch faults for the next requests (per run). */
  setFaults(faults: FaultConfig | undefined): void;
  close(): Promise<void>;
}
