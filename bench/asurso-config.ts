// The АСУ РСО connector config the benchmarks use: the emulator's administrator, who sees every class.
import type { ChildEmulator } from './kit/platform-bench.js';

export function asursoBenchConfig(emu: ChildEmulator, rateLimit: { requestsPerSecond: number; concurrency: number; windowMarginMs: number }): unknown {
  const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
  return { baseUrl: emu.baseUrl, schoolId: emu.info.schoolId, rateLimit, auth: { kind: 'password', login: admin.login, password: admin.password } };
}
