// ЭПОС.Школа read benchmark: a 1,000-pupil school (Perm's zone) for one quarter from the emulator
// (bench/kit/platform-bench.ts).
//
//   npx tsx bench/epos.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { report, runPlatformBench } from './kit/platform-bench.js';

report(await runPlatformBench({
  platform: 'epos',
  rps: 100,
  dataset: { timeZone: 'Asia/Yekaterinburg' },
  connectorConfig: (emu, rateLimit) => {
    const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
    return { baseUrl: emu.baseUrl, windowDays: 7, perPage: 1000, groupsPerRequest: 10, rateLimit, auth: { kind: 'password', login: admin.login, password: admin.password } };
  },
}));
