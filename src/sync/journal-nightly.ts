// A scheduled journal sync: the recent window and tonight's sweep slice (nightly-plan.ts), each followed by
// its cursor. Cursors are per (platform instance, school): `journal-recent|<school>` holds the last recent
// window's end (the signpost), `journal-sweep|<school>` the last swept day. A cursor moves only after the
// records of its window are stored (STYLE.md "state after records"): a run that fails part-way reads the
// same window again next time.
import type { Store } from '../store/index.js';
import { journalSync, type JournalSyncInput } from './journal-sync.js';
import { daysBetween, planNightly, type DateWindow, type NightlyPlan } from './nightly-plan.js';
import type { RunSummary } from './run-summary.js';

export interface NightlyJournalInput extends Omit<JournalSyncInput, 'window' | 'finals'> {
  today: string;
  windowDays: number;
  sweepDays: number;
  /** Hours since the last sweep slice before the next one is read (`sync.journalSweepIntervalHours`). */
  sweepIntervalHours: number;
  /** The clock the interval is judged by (default: now). */
  clock?: () => Date;
}

export const recentCursorKey = (schoolId: string) => `journal-recent|${schoolId}`;
export const sweepCursorKey = (schoolId: string) => `journal-sweep|${schoolId}`;

type PlanInput = Pick<NightlyJournalInput, 'run' | 'school' | 'today' | 'windowDays' | 'sweepDays' | 'sweepIntervalHours' | 'clock'>;

export async function nightlyPlanFor(store: Store, input: PlanInput): Promise<NightlyPlan> {
  const { system, instance } = input.run;
  const [recent, sweep] = await Promise.all([
    store.getCursor(system, instance, recentCursorKey(input.school.id)),
    store.getCursor(system, instance, sweepCursorKey(input.school.id)),
  ]);
  // Schools synced several times a day sweep on the first run after the interval, not on every run.
  const now = (input.clock ?? (() => new Date()))().getTime();
  const sweepDue = !sweep?.lastSuccessAt || now - Date.parse(sweep.lastSuccessAt) >= input.sweepIntervalHours * 3_600_000;
  return planNightly({
    today: input.today, windowDays: input.windowDays, sweepDays: sweepDue ? input.sweepDays : 0,
    recentSignpost: recent?.value, sweepSignpost: sweep?.value,
  });
}

/** Runs tonight's plan: the recent window (with final marks), then the sweep slice (journal only). */
export async function nightlyJournalSync(input: NightlyJournalInput): Promise<RunSummary[]> {
  const { store, run, school } = input;
  const plan = await nightlyPlanFor(store, input);
  const summaries: RunSummary[] = [];
  const commit = (entity: string, value: string) =>
    store.setCursor({ system: run.system, instance: run.instance, entity, kind: 'date_last_modified', value, runId: run.runId, lastSuccessAt: new Date().toISOString() });

  // Each window is asked as one range per route and class (up to 31 days; connectors split a longer one):
  // the cost of a night is a fixed number of requests per class, whatever the slice's length.
  const read = (window: DateWindow, finals: boolean) =>
    journalSync({ ...input, window, finals, windowDays: daysBetween(window.from, window.to) + 1 });
  summaries.push({ ...(await read(plan.recent, true)), window: plan.recent });
  await commit(recentCursorKey(school.id), plan.recent.to);
  if (plan.sweep) {
    // Final marks are read with the recent window every night; the sweep re-reads lessons, works, marks and attendance.
    summaries.push({ ...(await read(plan.sweep, false)), window: plan.sweep });
    await commit(sweepCursorKey(school.id), plan.sweep.to);
  }
  return summaries;
}
