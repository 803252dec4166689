// What a scheduled (nightly) journal sync reads. None of the four platforms offers a change feed the gateway
// can rely on for corrected marks (platforms.md: Дневник.ру's range routes, ЭПОС's `created_at_*` filter, АСУ РСО's
// per-week journal, ЭлЖур's `getupdates` only for new marks), so a delta is a re-read diffed by content hash
// (unchanged hash = no write). The plan bounds that re-read:
//   - the **recent window**: the last `journalWindowDays` days — where new marks and most corrections land —
//     reaching back further when the previous run's signpost is older (an outage is caught up, minus nothing);
//   - the **sweep**: one slice of `journalSweepDays` older days per night, rotating from the school year's start
//     up to the recent window and round again, so a mark corrected in any past week is read within one cycle;
//   - **final marks** only when a period ends near tonight's windows (nightlyFinalsDue).
import { addDays, daysBetween, instantToLocalDate, schoolYearStart } from '../model/dates.js';
import { finalsDue } from '../model/finals-due.js';

export interface DateWindow { from: string; to: string }

export interface NightlyPlanInput {
  /** Today in the school's zone (or `sync.windowEndsOn`). */
  today: string;
  /** Days back the recent window reaches (the school's `journalWindowDays`). */
  windowDays: number;
  /** Days of older journal re-read per night (the school's `journalSweepDays`; 0 turns the sweep off). */
  sweepDays: number;
  /** The `to` day of the last recent window stored (the signpost), if any. */
  recentSignpost?: string | null;
  /** The `to` day of the last sweep slice stored, if any. */
  sweepSignpost?: string | null;
}

export interface NightlyPlan {
  recent: DateWindow;
  /** The older slice to re-read tonight; absent when nothing lies between the year's start and the recent window. */
  sweep?: DateWindow;
  /** Nights one sweep cycle takes: a mark changed before the recent window is read again within this many nights. */
  sweepCycleNights: number;
}

/** Days re-read before a signpost: a mark entered late on the signpost's day (another time zone, a slow save) is not lost. */
export const SIGNPOST_OVERLAP_DAYS = 1;

/** The school year starts on 1 September (model/dates.ts, the one rule for it); re-exported for the nightly's callers. */
export { schoolYearStart };

/** Days between two local dates (model/dates.ts); re-exported for the nightly's callers. */
export { daysBetween };

export function planNightly(input: NightlyPlanInput): NightlyPlan {
  const { today, windowDays, sweepDays } = input;
  if (windowDays < 1) throw new Error(`nightly plan: journalWindowDays must be at least 1, got ${windowDays}`);
  if (sweepDays < 0) throw new Error(`nightly plan: journalSweepDays must not be negative, got ${sweepDays}`);
  const yearStart = schoolYearStart(today);
  let from = addDays(today, -windowDays);
  // Caught up from the signpost (minus the overlap) when the last stored window ended earlier than tonight's
  // starts — but never before the school year: older data is the sweep's.
  if (input.recentSignpost && input.recentSignpost <= today) {
    const resume = addDays(input.recentSignpost, -SIGNPOST_OVERLAP_DAYS);
    if (resume < from) from = resume;
  }
  if (from < yearStart) from = yearStart;
  const recent = { from, to: today };

  // The sweep covers [yearStart, the day before the recent window's usual start]: the recent window is read
  // every night anyway.
  const sweepEnd = addDays(today, -windowDays - 1);
  if (sweepDays === 0 || sweepEnd < yearStart) return { recent, sweepCycleNights: 0 };
  const span = daysBetween(yearStart, sweepEnd) + 1;
  const sweepCycleNights = Math.ceil(span / sweepDays);
  const last = input.sweepSignpost;
  // Slices are fixed blocks of `sweepDays` from the year's start; tonight's is the block after the signpost's, or the
  // first after the last block that has begun, or when the signpost is from another year or no longer valid. Before,
  // the next slice started the day after the signpost: a cycle's last slice ends at that night's sweep end, which
  // moves on with every night, so the sweep never wrapped — it crept along the edge a day or two a night for the rest
  // of the year, and a mark corrected in September after the first cycle was never read again. The days the edge
  // moved on by were in the recent window meanwhile; the next cycle sweeps them with their block.
  const block = last && last >= yearStart && last <= today ? Math.floor(daysBetween(yearStart, last) / sweepDays) + 1 : 0;
  let start = addDays(yearStart, block * sweepDays);
  if (start > sweepEnd) start = yearStart;
  const end = addDays(start, sweepDays - 1);
  return { recent, sweep: { from: start, to: end < sweepEnd ? end : sweepEnd }, sweepCycleNights };
}

/**
 * Whether tonight reads final marks. They are set in a period's last days and entered late or corrected in the
 * weeks after, so they are read while a period's end lies in the recent window or up to 7 days ahead of it; a
 * correction made later is read when the sweep's slice holds that period's end — within one sweep cycle, the
 * same bound as a corrected mark. With no period known yet (no roster synced), every night reads them.
 */
export function nightlyFinalsDue(periodEnds: readonly string[], plan: Pick<NightlyPlan, 'recent' | 'sweep'>): boolean {
  if (periodEnds.length === 0) return true;
  return finalsDue(periodEnds, plan.recent, { before: 0, after: 7 }) || (!!plan.sweep && finalsDue(periodEnds, plan.sweep, { before: 0, after: 0 }));
}

/**
 * The sweep slice, when a period's end in it is what makes final marks due tonight ({@link nightlyFinalsDue}'s second
 * reason). A connector that reads final marks only of periods ending near the days read (АСУ РСО) must be told these
 * days (ReadScope.finalsWindow) on the night that reads them — the next one, which reads no slice (nightlyReads).
 */
export function finalsDueBySweep(periodEnds: readonly string[], plan: Pick<NightlyPlan, 'sweep'>): DateWindow | undefined {
  return plan.sweep && finalsDue(periodEnds, plan.sweep, { before: 0, after: 0 }) ? plan.sweep : undefined;
}

/** What tonight reads beyond the recent window, once the sweep and the final marks have been weighed together. */
export interface NightlyReads {
  sweep?: DateWindow;
  finals: boolean;
  /** Final marks were due but left to the next night, which reads them before anything else (the cursor says so). */
  finalsOwed: boolean;
}

/**
 * A night reads at most one of its two extras: the sweep slice (three range requests per group) and the final marks
 * (one per group). Both on one night made it the costliest of the year (5.9% of the full sync on Дневник.ру, against
 * the ≤ 5% a night may cost); apart, no night exceeds the sweep night. When both are due they alternate: the sweep
 * slice first and the final marks owed to the next night, whose sweep waits a night in turn. With a slice every
 * other night (the default) the final marks fall on the nights between, and nothing waits; a final mark entered
 * near a period's end is stored at most one night later than before.
 */
export function nightlyReads(plan: Pick<NightlyPlan, 'sweep'>, finalsDue: boolean, finalsOwed: boolean): NightlyReads {
  const finals = finalsDue || finalsOwed;
  if (!plan.sweep || !finals) return { ...(plan.sweep ? { sweep: plan.sweep } : {}), finals, finalsOwed: false };
  return finalsOwed ? { finals: true, finalsOwed: false } : { sweep: plan.sweep, finals: false, finalsOwed: true };
}

/**
 * Whether `hours` have passed since a cursor's last success (none yet, or 0 hours: yes) — the interval a scheduled read
 * waits between two of its reads (the sweep, final marks, last year's final marks in the autumn). Given the school's
 * time zone, it has also passed once as many of the school's nights have gone by as `hours` spans days, rounded up
 * (44 or 48: every other night; 20: every night; 168: weekly). By hours alone, a night that ran late (the last slice
 * stored at 03:10, tonight's run at 03:00) was minutes short of the interval and waited a night more: "every other
 * night" became every third. The hours still hold within a night: a school synced every half hour reads once.
 *
 * Dates alone are not nights: a school synced every half hour read at 23:30 and again at 00:00, the date having
 * changed. So the night rule also needs the nights it counts, less half a day, to have passed ({@link NIGHT_SLACK_HOURS}).
 */
export function intervalRested(lastSuccessAt: string | null | undefined, hours: number, now: number, timeZone?: string): boolean {
  if (!hours || !lastSuccessAt) return true;
  const last = Date.parse(lastSuccessAt);
  if (now - last >= hours * 3_600_000) return true;
  if (!timeZone) return false;
  const needed = Math.ceil(hours / 24);
  if (now - last < (needed * 24 - NIGHT_SLACK_HOURS) * 3_600_000) return false;
  const nights = daysBetween(instantToLocalDate(new Date(last).toISOString(), timeZone), instantToLocalDate(new Date(now).toISOString(), timeZone));
  return nights >= needed;
}

/**
 * How much later than the night it is compared with a night may have run and still count as a night passed: the
 * night rule wants `n` nights' dates and at least n × 24 h less this. Half a day, because two runs under 12 hours
 * apart around midnight are one night (23:30 and 00:00), while a run that finished well into the morning (08:00, or
 * 10:30 in the tests) against tonight's 03:00 is the usual late night; a run later than midday is a day run anyway.
 */
export const NIGHT_SLACK_HOURS = 12;
