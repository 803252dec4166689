// Every night of a school year walked as journal-nightly.ts runs it, for the nightly-cost benchmarks
// (bench/nightly-year.ts for Дневник.ру, bench/platform-nightly.ts for each platform): the sweep's cursor moves as the
// plan says, a slice every `every` nights (journalSweepIntervalHours 20 → 1, 44 → 2), a night reads the sweep slice or
// the final marks, never both (nightlyReads: a slice held back waits a night), and each night is priced by the caller
// from nights it measured. One walk, so both benchmarks price the same year the same way.
import { addDays } from '../../src/model/dates.js';
import { nightlyFinalsDue, nightlyReads, planNightly, type NightlyPlan, type NightlyReads } from '../../src/sync/nightly-plan.js';

export interface YearWalkInput {
  /** The school year's first day and the last night walked. */
  from: string;
  today: string;
  windowDays: number;
  sweepDays: number;
  /** The last days of the school's periods (when final marks are due), as the store holds them. */
  periodEnds: readonly string[];
  /** The requests one night costs, given its plan and what it reads. */
  price: (reads: NightlyReads, plan: NightlyPlan) => number;
}

export interface YearWalk {
  sweepEveryNights: number;
  nights: number;
  nightsWithSweep: number;
  nightsWithFinals: number;
  sweepsHeldBack: number;
  meanNightRequests: number;
  ratio: number;
  heaviestNightRequests: number;
  heaviestRatio: number;
  /** Nights a correction made before the recent window waits at the year's end, at most. */
  boundNightsAtEnd: number;
}

const ratioOf = (n: number, full: number) => Math.round((n / full) * 10_000) / 10_000;

/** Walks the year with a sweep slice every `every` nights; ratios are of `full`, the full sync's requests. */
export function walkYear(input: YearWalkInput, every: number, full: number): YearWalk {
  const { from, today, windowDays, sweepDays, periodEnds, price } = input;
  let signpost: string | undefined;
  let [owed, sinceSweep] = [false, every];
  let [total, nights, withFinals, withSweep, heaviest, sweepsHeldBack] = [0, 0, 0, 0, 0, 0];
  for (let d = addDays(from, 1); d <= today; d = addDays(d, 1), nights++) {
    const plan = planNightly({ today: d, windowDays, sweepDays: sinceSweep >= every ? sweepDays : 0, sweepSignpost: signpost, recentSignpost: addDays(d, -1) });
    const reads = nightlyReads(plan, nightlyFinalsDue(periodEnds, plan), owed);
    const cost = price(reads, plan);
    [total, heaviest] = [total + cost, Math.max(heaviest, cost)];
    if (plan.sweep && !reads.sweep) sweepsHeldBack++;
    if (reads.sweep) [signpost, withSweep] = [reads.sweep.to, withSweep + 1];
    if (reads.finals) withFinals++;
    [owed, sinceSweep] = [reads.finalsOwed, reads.sweep ? 1 : sinceSweep + 1];
  }
  const mean = total / nights;
  return {
    sweepEveryNights: every, nights, nightsWithSweep: withSweep, nightsWithFinals: withFinals, sweepsHeldBack,
    meanNightRequests: Math.round(mean), ratio: ratioOf(mean, full), heaviestNightRequests: heaviest, heaviestRatio: ratioOf(heaviest, full),
    boundNightsAtEnd: planNightly({ today, windowDays, sweepDays }).sweepCycleNights * every,
  };
}

/** One line of a walk, as both benchmarks print it. */
export function walkLine(y: YearWalk): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return `a slice every ${y.sweepEveryNights === 1 ? 'night' : `${y.sweepEveryNights} nights`}: of ${y.nights} nights ${y.nightsWithSweep} sweep (${y.sweepsHeldBack} held back a night for final marks) and ${y.nightsWithFinals} read final marks; mean night ${y.meanNightRequests} requests = ${pct(y.ratio)}, heaviest night ${y.heaviestNightRequests} = ${pct(y.heaviestRatio)} of the full sync (target ≤ 5%); a correction made before the recent window is stored within ${y.boundNightsAtEnd} nights at the year's end${y.sweepsHeldBack ? ' (plus the nights held back)' : ''}`;
}
