// A scheduled journal sync: the recent window and tonight's sweep slice (nightly-plan.ts), read in one pass — one
// set of set-up reads (context, groups, periods) for both — then both cursors. Cursors are per (platform instance,
// school): `journal-recent|<school>` holds the last recent window's end (the signpost), `journal-sweep|<school>`
// the last swept day. They move only after the records of the pass are stored (STYLE.md "state after records"): a
// run that fails part-way reads the same windows again next time.
import type { Store } from '../store/index.js';
import { journalSync, type JournalSyncInput } from './journal-sync.js';
import { daysBetween, nightlyFinalsDue, planNightly, type NightlyPlan } from './nightly-plan.js';
import { schoolCanonicalId } from './roster-sync.js';
import type { RunSummary } from './run-summary.js';

export interface NightlyJournalInput extends Omit<JournalSyncInput, 'window' | 'finals' | 'ranges'> {
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

/** Runs tonight's plan: the recent window and the sweep slice in one read, final marks when a period ends near them. */
export async function nightlyJournalSync(input: NightlyJournalInput): Promise<RunSummary[]> {
  const { store, run, school } = input;
  const plan = await nightlyPlanFor(store, input);
  const finals = nightlyFinalsDue(await periodEnds(store, school.id), plan);
  // Each range is asked as one request per route and class (up to 31 days; connectors split a longer one): the
  // cost of a night is a fixed number of requests per class, whatever the slice's length.
  const ranges = plan.sweep ? [plan.sweep, plan.recent] : [plan.recent];
  const windowDays = Math.max(...ranges.map((r) => daysBetween(r.from, r.to) + 1));
  const summary = await journalSync({ ...input, window: { from: ranges[0].from, to: plan.recent.to }, ranges, finals, windowDays });
  const commit = (entity: string, value: string) =>
    store.setCursor({ system: run.system, instance: run.instance, entity, kind: 'date_last_modified', value, runId: run.runId, lastSuccessAt: new Date().toISOString() });
  await commit(recentCursorKey(school.id), plan.recent.to);
  if (plan.sweep) await commit(sweepCursorKey(school.id), plan.sweep.to);
  return [{ ...summary, window: plan.recent, ...(plan.sweep ? { sweep: plan.sweep } : {}) }];
}
