// A platform's nightly cost against its full sync, in requests (issue 7's target: a night ≤ 5% of a full sync's).
// A 1,000-pupil school year from the platform's emulator (in this process: request counts only, no timing), read
// through the connector as the jobs read it: the full sync (roster, the year's journal, final marks), then tonight's
// reads on the year's last day — the recent window with a sweep slice, and the recent window with final marks
// (nightlyReads: never both on one night). bench/nightly-year.ts follows Дневник.ру night by night through a year.
//
//   BENCH_PLATFORM=asurso|epos|dnevnik|eljur BENCH_PUPILS=1000 BENCH_WEEKS=35 npx tsx bench/platform-nightly.ts
//
// Measured 2026-11-30, 1,000 pupils, 1 Sep 2025 – 26 May 2026, defaults 14 / 28 (docs/sync.md "Nightly delta"):
// АСУ РСО full sync 5,080 requests; a night with a sweep slice 1,287 = 25.3%, with final marks 2,821 = 55.5% (2,126 of
// them the report queue: one report per pupil), the recent window alone 695 = 13.7% (592 term pages: every subject
// group's current-term page). АСУ РСО answers a term's journal page per subject group whatever the window, and final
// marks only as one report per pupil (platforms.md §1.6): ≤ 5% is not reachable through those routes.
import { withConnector, type Capability, type ReadScope, type SetupCache } from '../src/connectors/contract.js';
import { createConnectorFor, getPlatform } from '../src/connectors/registry.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { daysBetween, planNightly, schoolYearStart } from '../src/sync/nightly-plan.js';
import { BENCH_PLATFORMS, type BenchEmulator } from './kit/bench-configs.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const platform = process.env.BENCH_PLATFORM ?? 'asurso';
const spec = BENCH_PLATFORMS[platform];
if (!spec) throw new Error(`BENCH_PLATFORM ${platform}: one of ${Object.keys(BENCH_PLATFORMS).join(', ')}`);
const [pupils, weeks, windowDays, sweepDays] = [env('BENCH_PUPILS', 1000), env('BENCH_WEEKS', 35), env('BENCH_WINDOW_DAYS', 14), env('BENCH_SWEEP_DAYS', 28)];
const school = generateSchool({ seed: 1, pupils, weeks, ...spec.dataset });
const emu = await getPlatform(platform).emulator.start({ dataset: school }) as BenchEmulator & { close(): Promise<void>; stats(): { total: number } };
const connector = createConnectorFor(platform, spec.config(emu, { requestsPerSecond: 100_000, concurrency: 8 }), { instance: 'bench' });
const schoolSourceId = String(emu.info.schoolId ?? emu.info.vendorId);
const kept = new Map<string, unknown>();
const setupCache: SetupCache = { get: async (k) => kept.get(k), set: async (k, v) => { kept.set(k, v); } };
const today = school.all('lesson').map((l) => l.date).sort().at(-1)!;

async function requests(scope: Omit<ReadScope, 'schoolSourceId'>): Promise<number> {
  const before = emu.stats().total;
  await withConnector(connector, async () => { for await (const _ of connector.readSchool({ schoolSourceId, setupCache, ...scope })) { /* counted at the emulator */ } });
  return emu.stats().total - before;
}
try {
  const year = { from: schoolYearStart(today), to: today };
  const finals: Capability[] = getPlatform(platform).declaration.capabilities.includes('finals.read') ? ['finals.read'] : [];
  const full = await requests({ ...year, capabilities: ['roster.read'] }) + await requests({ ...year, capabilities: ['journal.read', ...finals] });
  const plan = planNightly({ today, windowDays, sweepDays });
  const night = (ranges: { from: string; to: string }[], caps: Capability[]) =>
    requests({ from: ranges[0].from, to: plan.recent.to, ranges, capabilities: caps, windowDays: Math.max(...ranges.map((r) => daysBetween(r.from, r.to) + 1)) });
  const sweepNight = await night(plan.sweep ? [plan.sweep, plan.recent] : [plan.recent], ['journal.read']);
  const finalsNight = await night([plan.recent], ['journal.read', ...finals]);
  const recentOnly = await night([plan.recent], ['journal.read']);
  const pct = (n: number) => `${((n / full) * 100).toFixed(2)}%`;
  process.stdout.write([
    `${spec.label}, 1 school × ${pupils} pupils, ${weeks} weeks (${year.from}…${today}); journalWindowDays ${windowDays}, journalSweepDays ${sweepDays}`,
    `full sync: ${full} requests`,
    `a night, recent window + sweep slice: ${sweepNight} = ${pct(sweepNight)}`,
    `a night, recent window + final marks: ${finalsNight} = ${pct(finalsNight)}${finals.length ? '' : ' (the connector reads no final marks)'}`,
    `a night, recent window only: ${recentOnly} = ${pct(recentOnly)}`,
  ].join('\n') + '\n');
} finally {
  await emu.close();
}
