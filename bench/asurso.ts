// АСУ РСО read benchmark: a 1,000-pupil school for one quarter from the emulator through the teacher
// journal routes (bench/kit/platform-bench.ts).
//
//   npx tsx bench/asurso.ts            (BENCH_PUPILS, BENCH_WEEKS, BENCH_RPS, BENCH_MARGIN_MS override the defaults)
import { report, runPlatformBench } from './kit/platform-bench.js';

report(await runPlatformBench({
  platform: 'asurso',
  rps: 50,
  connectorConfig: (emu, rateLimit) => {
    const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
    return { baseUrl: emu.baseUrl, schoolId: emu.info.schoolId, rateLimit, auth: { kind: 'password', login: admin.login, password: admin.password } };
  },
}));
