// Nightly delta over a whole school year at the school size (issue 7: 1,000 pupils), in requests only.
// bench/nightly-delta.ts runs the nights end to end (store, corrections, the check that every correction is stored),
// but storing a school year of 1,000-pupil schools takes hours on this machine. What a night asks of the platform
// does not depend on what is stored: it is the school's set-up reads, three range requests per group for each
// range of tonight's plan and, when due, one final-marks request per group. So this bench reads with the same
// connector and the same plan, without a store, from a Дневник.ру emulator in a child process:
//   - the full sync's reads over the year: roster, then journal and final marks (what roster-sync and journal-sync ask);
//   - three nights on the dataset's last day: recent window + sweep slice + final marks, the same without final
//     marks, and the recent window alone;
//   - then it walks every night of the school year through planNightly / nightlyFinalsDue (the periods as the
//     platform serves them) and prices each night with the three measured nights: the year's mean night.
//
//   BENCH_PUPILS=1000 BENCH_WEEKS=34 npx tsx bench/nightly-year.ts
//   (BENCH_WINDOW_DAYS=14, BENCH_SWEEP_DAYS=28 as the schools' defaults; BENCH_SEED=700 as school-0 of
//   bench/nightly-delta.ts.) The year is priced twice: a sweep slice every night (journalSweepIntervalHours 20, the
//   default until 2026-11) and every other night (journalSweepIntervalHours 44, the default now).
//
// Measured 2026-11-29 (1 school × 1,000 pupils, 44 classes, 124 groups, 1 Sep 2025 – 22 May 2026, defaults 14 / 28):
//   full sync 15,626 requests (roster 1,317, journal + final marks 14,309); nights on 22 May: 917 with final marks,
//   793 without, 421 recent window only; mean night over 263 nights: 808 = 5.17% with a slice every night (249
//   sweep, 73 read final marks), 632 = 4.05% every other night (125 sweep); bound at the year's end 9 → 18 nights.
//   At 30 pupils (11 classes, 31 groups): full 3,694; 5.57% / 4.38%.
//
// Measured 2026-11-30 after a night stopped reading both the sweep slice and the final marks (nightlyReads) and the
// classes' reporting periods came from the roster sync's copy (src/sync/setup-cache.ts), the same command:
//   full sync 15,582 requests (roster 1,317, journal + final marks 14,265); nights on 22 May: 873 recent + sweep + final
//   marks (no longer run), 749 recent + sweep, 377 recent only; a slice every night: mean 693 = 4.45%, heaviest 749 =
//   4.81% (211 slices, 38 held back a night for final marks, 38 final-mark nights); every other night (default): mean
//   572 = 3.67%, heaviest 749 = 4.81% (125 slices, none held back, 39 final-mark nights).
// The year is walked as journal-nightly.ts runs it: the owed final marks and the slice held back included.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/load.js';
import { withConnector, type Capability, type ReadScope, type SetupCache } from '../src/connectors/contract.js';
import { createLogger } from '../src/infra/logger.js';
import { connectorFor } from '../src/jobs/job-context.js';
import { daysBetween, planNightly, schoolYearStart, type NightlyPlan, type NightlyReads } from '../src/sync/nightly-plan.js';
import { dnevnikInstance, gatewayYaml } from '../test/support/emulator-configs.js';
import { spawnEmulator } from './kit/platform-bench.js';
import { walkLine, walkYear } from './kit/year-walk.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const [pupils, weeks, windowDays, sweepDays, seed] = [env('BENCH_PUPILS', 1000), env('BENCH_WEEKS', 34), env('BENCH_WINDOW_DAYS', 14), env('BENCH_SWEEP_DAYS', 28), env('BENCH_SEED', 700)];
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

const t0 = performance.now();
const emu = await spawnEmulator('dnevnik', pupils, weeks, { seed });
log(`  emulator: ${pupils} pupils, ${weeks} weeks, ${Math.round((performance.now() - t0) / 1000)} s`);
const TODAY = emu.to;
const inst = dnevnikInstance('dn', emu, 100_000);
const config = parseConfigText(gatewayYaml({ instances: [inst], names: [], schools: [{ id: 's', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }), 'bench');
const { connector } = connectorFor(config, 'dn', createLogger({ level: 'silent', pretty: false }));

// The set-up answers the day's roster sync keeps for the journal syncs (src/sync/setup-cache.ts), held in memory here:
// every read below runs on the day of a roster sync, as a region's nightly schedule has it.
const kept = new Map<string, unknown>();
const setupCache: SetupCache = { get: async (key) => kept.get(key), set: async (key, value) => { kept.set(key, value); } };

/** Requests the emulator served for one read, and the reporting periods' last days it answered. */
async function read(scope: ReadScope): Promise<{ requests: number; ends: string[] }> {
  const before = (await emu.stats()).total;
  const ends = new Set<string>();
  await withConnector(connector, async () => {
    for await (const b of connector.readSchool({ schoolSourceId: inst.schoolId, setupCache, ...scope })) {
      if (b.route === 'edu-groups/{id}/reporting-periods') for (const p of b.payload as { finish?: string }[]) if (p.finish) ends.add(p.finish.slice(0, 10));
    }
  });
  return { requests: (await emu.stats()).total - before, ends: [...ends].sort() };
}

try {
  const year = { from: schoolYearStart(TODAY), to: TODAY };
  // The full sync as bench/nightly-delta.ts runs it: roster-sync, then journal-sync over the year (instance windows).
  const roster = await read({ ...year, capabilities: ['roster.read'] });
  const journal = await read({ ...year, capabilities: ['journal.read', 'finals.read'] });
  const full = roster.requests + journal.requests;
  log(`  full sync: ${full} requests (roster ${roster.requests}, journal and final marks ${journal.requests})`);
  const ends = roster.ends; // the roster read yields the periods (the first class's page: each class answers the same list)

  // Tonight's reads exactly as journal-nightly.ts asks them: one pass, each range as one request per route and group.
  const night = async (plan: Pick<NightlyPlan, 'recent' | 'sweep'>, finals: boolean) => {
    const ranges = plan.sweep ? [plan.sweep, plan.recent] : [plan.recent];
    const caps: Capability[] = finals ? ['journal.read', 'finals.read'] : ['journal.read'];
    return (await read({ from: ranges[0].from, to: plan.recent.to, ranges, capabilities: caps, windowDays: Math.max(...ranges.map((r) => daysBetween(r.from, r.to) + 1)) })).requests;
  };
  const tonight = planNightly({ today: TODAY, windowDays, sweepDays });
  const measured = {
    sweepWithFinals: await night(tonight, true),
    sweep: await night(tonight, false),
    recentOnly: await night({ recent: tonight.recent }, false),
  };
  const finalsCost = measured.sweepWithFinals - measured.sweep;
  log(`  nights on ${TODAY}: ${JSON.stringify(measured)}`);

  // Every night of the year, priced by the measured nights (kit/year-walk.ts walks it as journal-nightly.ts runs it).
  const walk = {
    from: year.from, today: TODAY, windowDays, sweepDays, periodEnds: ends,
    price: (reads: NightlyReads) => (reads.sweep ? measured.sweep : measured.recentOnly) + (reads.finals ? finalsCost : 0),
  };
  const years = [walkYear(walk, 1, full), walkYear(walk, 2, full)];
  const result = {
    platform: 'dnevnik', pupils, weeks, seed, period: year, journalWindowDays: windowDays, journalSweepDays: sweepDays,
    full: { requests: full, roster: roster.requests, journalAndFinals: journal.requests }, periodEnds: ends,
    nightsOnLastDay: measured, finalMarksRequests: finalsCost, years,
  };
  process.stdout.write([
    `nightly delta over a school year, requests only: 1 school × ${pupils} pupils, ${weeks} weeks (${year.from}…${TODAY}), Дневник.ру emulator; journalWindowDays ${windowDays}, journalSweepDays ${sweepDays}`,
    `full sync: ${full} requests (roster ${roster.requests}, journal + final marks ${journal.requests})`,
    `a night on ${TODAY}: recent + sweep + final marks ${measured.sweepWithFinals} (${pct(measured.sweepWithFinals / full)}), recent + sweep ${measured.sweep} (${pct(measured.sweep / full)}), recent only ${measured.recentOnly} (${pct(measured.recentOnly / full)})`,
    ...years.map(walkLine),
  ].join('\n') + '\n');
  mkdirSync(path.join(here, 'results'), { recursive: true });
  writeFileSync(path.join(here, 'results', 'nightly-year.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  emu.close();
}
