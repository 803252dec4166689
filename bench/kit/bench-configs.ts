// The connector config each benchmark gives a platform's emulator: its administrator, who sees every class, and the
// emulator's own keys. One place, so the read benchmarks (bench/<platform>.ts) and the nightly-cost benchmark
// (bench/platform-nightly.ts) read the same way.
import type { DatasetOptions } from '../../src/emulators/dataset/index.js';
import type { StartupInfo } from '../../src/emulators/kit/types.js';

/** What the configs need of a started emulator (in a child process or in this one). */
export interface BenchEmulator {
  baseUrl: string;
  info: StartupInfo & Record<string, any>;
}

export interface BenchRateLimit {
  requestsPerSecond: number;
  concurrency: number;
  windowMarginMs?: number;
}

const adminOf = (emu: BenchEmulator) => emu.info.accounts.find((a) => a.role === 'administrator')!;

export function asursoBenchConfig(emu: BenchEmulator, rateLimit: BenchRateLimit): unknown {
  const admin = adminOf(emu);
  return { baseUrl: emu.baseUrl, schoolId: emu.info.schoolId, rateLimit, auth: { kind: 'password', login: admin.login, password: admin.password } };
}

export function eposBenchConfig(emu: BenchEmulator, rateLimit: BenchRateLimit): unknown {
  const admin = adminOf(emu);
  return { baseUrl: emu.baseUrl, windowDays: 7, perPage: 1000, groupsPerRequest: 10, rateLimit, auth: { kind: 'password', login: admin.login, password: admin.password } };
}

export function dnevnikBenchConfig(emu: BenchEmulator, rateLimit: BenchRateLimit): unknown {
  const admin = adminOf(emu);
  return {
    baseUrl: emu.baseUrl, windowDays: 7, rateLimit,
    auth: { kind: 'password', clientId: emu.info.clientId, clientSecret: emu.info.clientSecret, username: admin.login, password: admin.password },
  };
}

export function eljurBenchConfig(emu: BenchEmulator, rateLimit: BenchRateLimit, format: 'json' | 'xml' = 'json'): unknown {
  const admin = adminOf(emu);
  return {
    baseUrl: emu.baseUrl, devkey: emu.info.devkey, vendor: emu.info.vendor, format, timeZone: emu.info.timeZone, windowDays: 7, rateLimit,
    auth: { kind: 'credentials', login: admin.login, password: admin.password },
  };
}

/** Per registry id: the config, and the dataset options of the platform's region (its time zone). */
export const BENCH_PLATFORMS: Record<string, { config: (emu: BenchEmulator, rateLimit: BenchRateLimit) => unknown; dataset: Partial<DatasetOptions>; label: string }> = {
  asurso: { config: asursoBenchConfig, dataset: { timeZone: 'Europe/Samara' }, label: 'АСУ РСО' },
  epos: { config: eposBenchConfig, dataset: { timeZone: 'Asia/Yekaterinburg' }, label: 'ЭПОС.Школа' },
  dnevnik: { config: dnevnikBenchConfig, dataset: {}, label: 'Дневник.ру' },
  eljur: { config: eljurBenchConfig, dataset: {}, label: 'ЭлЖур' },
};
