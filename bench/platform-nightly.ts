// A platform's nightly cost against its full sync, in requests (issue 7's target: a night ≤ 5% of a full sync's).
// A 1,000-pupil school year from the platform's emulator (in this process: request counts only, no timing), read
// through the connector as the jobs read it: the full sync (roster, the year's journal, final marks), then tonight's
// reads on the year's last day — the recent window with a sweep slice, and the recent window with final marks
// (nightlyReads: never both on one night), and the year's mean night. bench/nightly-year.ts does the same for Дневник.ру
// from a child-process emulator with bench/nightly-delta.ts's school.
//
//   BENCH_PLATFORM=asurso|epos|dnevnik|eljur BENCH_PUPILS=1000 BENCH_WEEKS=35 npx tsx bench/platform-nightly.ts
//
// Measured 2026-11-30, 1,000 pupils, 1 Sep 2025 – 26 May 2026, defaults 14 / 28 (docs/sync.md "Nightly delta"):
// АСУ РСО full sync 5,080 requests; a night with a sweep slice 1,287 = 25.3%, with final marks 2,821 = 55.5% (2,126 of
// them the report queue: one report per pupil), the recent window alone 695 = 13.7% (592 term pages: every subject
// group's current-term page). АСУ РСО answers a term's journal page per subject group whatever the window, and final
// marks only as one report per pupil (platforms.md §1.6): ≤ 5% is not reachable through those routes.
//
// Measured 2026-12-03, the same school and defaults, with the requests by route and a fourth night: the sweep cycle's
// last slice (11 May), which ends the day before the recent window (12–26 May). ЭлЖур full 3,482; sweep night 179 =
// 5.14% (getdiary 88, getmarks 88: 44 classes × 2 ranges); last-slice night 179 = 5.14% before packedScopeWindows,
// 91 = 2.61% after (one range per class). ЭПОС full 8,346; sweep night 558 = 6.69% (schedule_items, marks, attendances
// 128 each: 64 group batches × 2 ranges; student_homeworks 168: 84 pupils × 2); last-slice night 474 = 5.68% before,
// 282 = 3.38% after. docs/sync.md "ЭлЖур and ЭПОС sweep nights by route".
//
// Then every night of the year is walked (kit/year-walk.ts, as journal-nightly.ts plans it) and priced by the nights
// measured; 2026-12-03, the same school, mean night with a slice every other night (the default) / every night:
// Дневник.ру 3.66% / 4.13%, ЭлЖур 3.90% / 4.30%, ЭПОС 4.67% / 5.12%, АСУ РСО 28.1% / 31.7% (an upper bound: every
// sweep night priced as a slice in another term). docs/sync.md "Each platform's night".
import { withConnector, type Capability, type ReadScope, type SetupCache } from '../src/connectors/contract.js';
import { createConnectorFor, getPlatform } from '../src/connectors/registry.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { addDays } from '../src/model/dates.js';
import { packedScopeWindows } from '../src/connectors/paging.js';
import { daysBetween, planNightly, schoolYearStart, type NightlyPlan, type NightlyReads } from '../src/sync/nightly-plan.js';
import { BENCH_PLATFORMS, type BenchEmulator } from './kit/bench-configs.js';
import { walkLine, walkYear } from './kit/year-walk.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const platform = process.env.BENCH_PLATFORM ?? 'asurso';
const spec = BENCH_PLATFORMS[platform];
if (!spec) throw new Error(`BENCH_PLATFORM ${platform}: one of ${Object.keys(BENCH_PLATFORMS).join(', ')}`);
const [pupils, weeks, windowDays, sweepDays] = [env('BENCH_PUPILS', 1000), env('BENCH_WEEKS', 35), env('BENCH_WINDOW_DAYS', 14), env('BENCH_SWEEP_DAYS', 28)];
const school = generateSchool({ seed: 1, pupils, weeks, ...spec.dataset });
const emu = await getPlatform(platform).emulator.start({ dataset: school }) as BenchEmulator & { close(): Promise<void>; stats(): { total: number; byRoute: Record<string, number> } };
const connector = createConnectorFor(platform, spec.config(emu, { requestsPerSecond: 100_000, concurrency: 8 }), { instance: 'bench' });
const schoolSourceId = String(emu.info.schoolId ?? emu.info.vendorId);
const kept = new Map<string, unknown>();
const setupCache: SetupCache = { get: async (k) => kept.get(k), set: async (k, v) => { kept.set(k, v); } };
const today = school.all('lesson').map((l) => l.date).sort().at(-1)!;

/** Requests by emulator route (its name, or `METHOD pattern`), and their sum. */
type Count = { total: number; byRoute: Record<string, number> };
const plus = (a: Count, b: Count): Count => ({
  total: a.total + b.total, byRoute: Object.fromEntries([...new Set([...Object.keys(a.byRoute), ...Object.keys(b.byRoute)])].map((r) => [r, (a.byRoute[r] ?? 0) + (b.byRoute[r] ?? 0)])),
});
async function requests(scope: Omit<ReadScope, 'schoolSourceId'>): Promise<Count> {
  const before = emu.stats();
  await withConnector(connector, async () => { for await (const _ of connector.readSchool({ schoolSourceId, setupCache, ...scope })) { /* counted at the emulator */ } });
  const after = emu.stats();
  return { total: after.total - before.total, byRoute: Object.fromEntries(Object.entries(after.byRoute).map(([r, n]) => [r, n - (before.byRoute[r] ?? 0)]).filter(([, n]) => Number(n) > 0)) };
}
try {
  const year = { from: schoolYearStart(today), to: today };
  const finals: Capability[] = getPlatform(platform).declaration.capabilities.includes('finals.read') ? ['finals.read'] : [];
  const full = plus(await requests({ ...year, capabilities: ['roster.read'] }), await requests({ ...year, capabilities: ['journal.read', ...finals] }));
  const plan = planNightly({ today, windowDays, sweepDays });
  const night = (ranges: { from: string; to: string }[], caps: Capability[]) =>
    requests({ from: ranges[0].from, to: ranges.at(-1)!.to, ranges, capabilities: caps, windowDays: Math.max(...ranges.map((r) => daysBetween(r.from, r.to) + 1)) });
  // The night of the sweep cycle's last slice: it ends the day before the recent window starts (the two ranges touch).
  let last = plan;
  for (let n = 0; n < plan.sweepCycleNights && last.sweep && addDays(last.sweep.to, 1) < last.recent.from; n++) last = planNightly({ today, windowDays, sweepDays, sweepSignpost: last.sweep.to });
  const nights: [string, Count][] = [
    [`recent window + sweep slice (${plan.sweep ? `${plan.sweep.from}…${plan.sweep.to}, ` : ''}${plan.recent.from}…${plan.recent.to})`, await night(plan.sweep ? [plan.sweep, plan.recent] : [plan.recent], ['journal.read'])],
    ['recent window + final marks', await night([plan.recent], ['journal.read', ...finals])],
    ['recent window only', await night([plan.recent], ['journal.read'])],
  ];
  if (last.sweep && last.sweep !== plan.sweep) nights.push([`recent window + the cycle's last slice (${last.sweep.from}…${last.sweep.to}, touching)`, await night([last.sweep, last.recent], ['journal.read'])]);
  const pct = (n: number) => `${((n / full.total) * 100).toFixed(2)}%`;
  // The year's nights priced by the nights measured above. A sweep night whose two ranges the connector asks as one
  // (packedScopeWindows: they touch and span ≤ 31 days) is priced as the touching night, where the connector joins
  // ranges; every other sweep night as the first. The cost of a night is taken as independent of its date (the
  // recent window near 1 September is shorter, but asks one range all the same).
  const [sweepNight, finalsNight, recentNight, touchingNight] = nights.map(([, c]) => c.total);
  const joins = touchingNight !== undefined && touchingNight < sweepNight;
  const joined = (p: NightlyPlan) => p.sweep !== undefined && packedScopeWindows([p.sweep, p.recent].map((r) => ({ scope: 0, ...r })), windowDays).length === 1;
  const walk = {
    from: year.from, today, windowDays, sweepDays,
    periodEnds: school.all('academic_session').map((s) => s.endDate),
    price: (reads: NightlyReads, p: NightlyPlan) => (reads.sweep ? (joins && joined({ ...p, sweep: reads.sweep }) ? touchingNight : sweepNight) : reads.finals && finals.length ? finalsNight : recentNight),
  };
  const years = [walkYear(walk, 1, full.total), walkYear(walk, 2, full.total)];
  const routes = Object.keys(full.byRoute).concat(...nights.map(([, c]) => Object.keys(c.byRoute))).filter((r, i, all) => all.indexOf(r) === i).sort();
  const width = Math.max(...routes.map((r) => r.length), 5);
  process.stdout.write([
    `${spec.label}, 1 school × ${pupils} pupils, ${weeks} weeks (${year.from}…${today}); journalWindowDays ${windowDays}, journalSweepDays ${sweepDays}`,
    `full sync: ${full.total} requests`,
    ...nights.map(([label, c]) => `a night, ${label}: ${c.total} = ${pct(c.total)}${label.includes('final') && !finals.length ? ' (the connector reads no final marks)' : ''}`),
    ...years.map(walkLine),
    '',
    `requests by route: full sync | ${nights.map((_, i) => `night ${i + 1}`).join(' | ')} (nights in the order above)`,
    ...[...routes, 'total'].map((r) => {
      const of = (c: Count) => String(r === 'total' ? c.total : c.byRoute[r] ?? 0);
      return `  ${r.padEnd(width)}  ${of(full).padStart(6)} | ${nights.map(([, c]) => of(c).padStart(7)).join(' | ')}`;
    }),
  ].join('\n') + '\n');
} finally {
  await emu.close();
}
