// Дневник.ру read benchmark: a 1,000-pupil school for one quarter from the emulator (bench/kit/platform-bench.ts).
//
//   npx tsx bench/dnevnik.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { report, runPlatformBench } from './kit/platform-bench.js';

report(await runPlatformBench({
  platform: 'dnevnik',
  rps: 100, // no published limit (platforms.md §3.5): a generous partner budget
  connectorConfig: (emu, rateLimit) => {
    const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
    return {
      baseUrl: emu.baseUrl, windowDays: 7, rateLimit,
      auth: { kind: 'password', clientId: emu.info.clientId, clientSecret: emu.info.clientSecret, username: admin.login, password: admin.password },
    };
  },
}));
