// A scheduled journal sync: the recent window and tonight's sweep slice (nightly-plan.ts), read in one pass — one
// set of set-up reads (context, groups, periods) for both — then both cursors. Cursors are per (platform instance,
// school): `journal-recent|<school>` holds the last recent window's end (the signpost), `journal-sweep|<school>`
// the last swept day. They move only after the records of the pass are stored (STYLE.md "state after records"): a
// run that fails part-way reads the same windows again next time. `journal-finals-owed|<school>` says a night read
// the sweep slice instead of due final marks, so the next night reads them first (nightlyReads). In the autumn the
// previous school year's final marks are read too, at most weekly (last-year-finals-read.ts, its own cursor).
import type { Store } from '../store/index.js';
import { journalSync, type JournalSyncInput } from './journal-sync.js';
import { daysBetween, finalsDueBySweep, intervalRested, nightlyFinalsDue, nightlyReads, planNightly, schoolYearStart, type DateWindow, type NightlyPlan } from './nightly-plan.js';
import { daysNotCovered, orphanCatchUp, settleOrphans } from './orphan-catch-up.js';
import { schoolCanonicalId } from './roster-sync.js';
import { LAST_YEAR_FINALS_INTERVAL_HOURS } from './last-year-finals.js';
import { readLastYearFinals } from './last-year-finals-read.js';
import { addQuarantine, type RunSummary } from './run-summary.js';

export interface NightlyJournalInput extends Omit<JournalSyncInput, 'window' | 'finals' | 'ranges'> {
  today: string;
  windowDays: number;
  sweepDays: number;
  /** Hours since the last sweep slice before the next one is read (`sync.journalSweepIntervalHours`). */
  sweepIntervalHours: number;
  /** Hours since final marks were last read before they are read again while due (`journalFinalsIntervalHours`; 0: whenever due). */
  finalsIntervalHours?: number;
  /** The last day (MM-DD) of the autumn read of last year's final marks (`journalLastYearFinalsUntil`; default 10-31). */
  lastYearFinalsUntil?: string;
  /** Hours between two autumn reads of last year's final marks (`journalLastYearFinalsIntervalHours`; default a week). */
  lastYearFinalsIntervalHours?: number;
  /** The clock the interval is judged by (default: now). */
  clock?: () => Date;
}

export const recentCursorKey = (schoolId: string) => `journal-recent|${schoolId}`;
export const sweepCursorKey = (schoolId: string) => `journal-sweep|${schoolId}`;
export const finalsOwedCursorKey = (schoolId: string) => `journal-finals-owed|${schoolId}`;
/** When final marks were last read by a scheduled run (its `lastSuccessAt`). */
export const finalsReadCursorKey = (schoolId: string) => `journal-finals|${schoolId}`;
const OWED = 'owed';

/**
 * The owed cursor's value: `owed`, followed by the sweep slice whose period end made the final marks due, if that was
 * why (`owed 2025-09-29 2025-10-26`), so the night that reads them tells the connector those days.
 */
function readOwed(value: string | null | undefined): { owed: boolean; days?: DateWindow } {
  const [word, from, to] = (value ?? '').split(' ');
  if (word !== OWED) return { owed: false };
  return { owed: true, ...(from && to ? { days: { from, to } } : {}) };
}
const owedValue = (owed: boolean, days: DateWindow | undefined) => (owed ? (days ? `${OWED} ${days.from} ${days.to}` : OWED) : '');

const nowOf = (input: { clock?: () => Date }) => (input.clock ?? (() => new Date()))();

type PlanInput = Pick<NightlyJournalInput, 'run' | 'school' | 'today' | 'windowDays' | 'sweepDays' | 'sweepIntervalHours' | 'clock'>;

export async function nightlyPlanFor(store: Store, input: PlanInput): Promise<NightlyPlan> {
  const { system, instance } = input.run;
  const [recent, sweep] = await Promise.all([
    store.getCursor(system, instance, recentCursorKey(input.school.id)),
    store.getCursor(system, instance, sweepCursorKey(input.school.id)),
  ]);
  // Schools synced several times a day sweep on the first run after the interval, not on every run.
  const sweepDue = intervalRested(sweep?.lastSuccessAt, input.sweepIntervalHours, nowOf(input).getTime(), input.school.timeZone);
  return planNightly({
    today: input.today, windowDays: input.windowDays, sweepDays: sweepDue ? input.sweepDays : 0,
    recentSignpost: recent?.value, sweepSignpost: sweep?.value,
  });
}

/** The last days of the school's stored periods (terms, half-years, the year): when final marks are due. */
async function periodEnds(store: Store, schoolId: string): Promise<string[]> {
  const org = schoolCanonicalId(schoolId);
  const out: string[] = [];
  for await (const s of store.iterate('academic_session', { status: 'active' })) {
    const { organizationId, endDate } = s as unknown as { organizationId?: string; endDate?: string };
    if (organizationId === org && endDate) out.push(endDate);
  }
  return out;
}

/** Runs tonight's plan: the recent window with either the sweep slice or, when due, the final marks (nightlyReads). */
export async function nightlyJournalSync(input: NightlyJournalInput): Promise<RunSummary[]> {
  const { store, run, school } = input;
  const plan = await nightlyPlanFor(store, input);
  const owedBefore = (await store.getCursor(run.system, run.instance, finalsOwedCursorKey(school.id)))?.value ?? '';
  const { owed, days: owedDays } = readOwed(owedBefore);
  const lastFinals = (await store.getCursor(run.system, run.instance, finalsReadCursorKey(school.id)))?.lastSuccessAt;
  const finalsRested = intervalRested(lastFinals, input.finalsIntervalHours ?? 0, nowOf(input).getTime(), school.timeZone);
  const ends = await periodEnds(store, school.id);
  const due = finalsRested && nightlyFinalsDue(ends, plan);
  const reads = nightlyReads(plan, due, owed);
  const bySweep = due ? finalsDueBySweep(ends, plan) : undefined;
  // Days left out earlier for a pupil (or class) the roster has linked since: read again tonight (orphan-catch-up.ts).
  const catchUp = await orphanCatchUp(store, run, school.id, schoolYearStart(input.today));
  // Each range is asked as one request per route and class (up to 31 days; connectors split a longer one): the
  // cost of a night is a fixed number of requests per class, whatever the slice's length.
  const planned = reads.sweep ? [reads.sweep, plan.recent] : [plan.recent];
  const ranges = [...planned, ...daysNotCovered(catchUp.ranges, planned)].sort((a, b) => (a.from < b.from ? -1 : 1));
  const windowDays = Math.max(...ranges.map((r) => daysBetween(r.from, r.to) + 1));
  const finals = reads.finals || catchUp.finals;
  // Final marks due for a period whose end lay in a sweep slice (tonight's, or the one of the night that owed them) are
  // judged by those days too: a connector reading those of periods ending near the days read (АСУ РСО) read none of them
  // on the night after, whose ranges are the recent window's alone.
  const finalsFrom = [ranges[0].from, ...(reads.finals ? [owedDays, bySweep].flatMap((d) => (d ? [d.from] : [])) : [])].sort()[0];
  const finalsWindow = finals && finalsFrom < ranges[0].from ? { finalsWindow: { from: finalsFrom, to: ranges.at(-1)!.to } } : {};
  const summary = await journalSync({ ...input, window: { from: ranges[0].from, to: ranges.at(-1)!.to }, ranges, finals, windowDays, ...finalsWindow });
  // The cursors say the windows are stored: not by a run that lost the school's lease meanwhile.
  await input.lease?.assertHeld();
  await settleOrphans(store, run, school.id, catchUp.caught);
  const commit = (entity: string, value: string, kind: 'date_last_modified' | 'none' = 'date_last_modified') =>
    store.setCursor({ system: run.system, instance: run.instance, entity, kind, value, runId: run.runId, lastSuccessAt: nowOf(input).toISOString() });
  await commit(recentCursorKey(school.id), plan.recent.to);
  if (reads.sweep) await commit(sweepCursorKey(school.id), reads.sweep.to);
  const owedNow = owedValue(reads.finalsOwed, bySweep);
  if (owedNow !== owedBefore) await commit(finalsOwedCursorKey(school.id), owedNow, 'none');
  // Stamped by the school's own read of final marks only: a catch-up of a pupil just linked (orphan-catch-up.ts) is
  // not one, and stamping it put the school's due read off by up to `journalFinalsIntervalHours` (a week for АСУ РСО).
  if (reads.finals) await commit(finalsReadCursorKey(school.id), plan.recent.to, 'none');
  // In the autumn, last year's final marks corrected after re-takes: a read of its own, after tonight's (its own cursor).
  const lastYear = await readLastYearFinals({
    ...input, until: input.lastYearFinalsUntil, intervalHours: input.lastYearFinalsIntervalHours ?? LAST_YEAR_FINALS_INTERVAL_HOURS, at: nowOf(input),
  });
  for (const [reason, n] of Object.entries(lastYear?.summary?.quarantineReasons ?? {})) addQuarantine(summary, reason, n);
  return [{
    ...summary, window: plan.recent, ...(lastYear ? { lastYearFinals: lastYear.report } : {}), ...(reads.sweep ? { sweep: reads.sweep } : {}), ...(reads.finalsOwed ? { finalsOwed: true } : {}),
    ...(catchUp.caught.length ? { caughtUp: { references: catchUp.caught.length, ranges: catchUp.ranges, finals: catchUp.finals } } : {}),
  }];
}
