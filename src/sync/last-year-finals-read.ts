// The nightly's autumn re-read of last school year's final marks (last-year-finals.ts says when): a finals-only
// journal sync whose window is the previous school year, at most once per `journalLastYearFinalsIntervalHours`
// (cursor `journal-last-year-finals|<school>`). It goes through journalSync like any read — mapping, crosswalk,
// rules, content-hash upsert, change log — so a corrected year mark is stored, logged and pushed as any correction
// is. No journal (lessons, marks, attendance) and no deletes: the read holds no lessons, and journal-deletes would
// take last year's marks for missing.
import { NothingOfYearToAskError } from '../connectors/past-year-errors.js';
import type { Store } from '../store/index.js';
import { journalSync, type JournalSyncInput } from './journal-sync.js';
import { lastYearFinalsScope } from './last-year-finals.js';
import { intervalRested } from './nightly-plan.js';
import type { RunSummary } from './run-summary.js';
import { schoolCanonicalId } from './roster-sync.js';
import { yearLinks } from './year-links.js';

export const lastYearFinalsCursorKey = (schoolId: string) => `journal-last-year-finals|${schoolId}`;

export interface LastYearFinalsInput extends Omit<JournalSyncInput, 'window' | 'ranges' | 'finals' | 'finalsWindow' | 'windowDays' | 'journal' | 'scopeYearOnly' | 'yearLinks' | 'deletesFromSnapshot'> {
  today: string;
  /** The last day (MM-DD) of the re-take season (`journalLastYearFinalsUntil`). */
  until?: string;
  /** Hours between two such reads (`journalLastYearFinalsIntervalHours`; 0: every night of the season). */
  intervalHours: number;
  /** The moment the interval is judged by and the cursor stamped with. */
  at: Date;
}

export interface LastYearFinalsRead {
  /** For the run's summary (RunSummary.lastYearFinals). */
  report: NonNullable<RunSummary['lastYearFinals']>;
  /** The read's own summary (its quarantine is the night's too); absent when nothing was read. */
  summary?: RunSummary;
}

/** Tonight's read of last year's final marks, or undefined when none is due (out of season, interval, not the system of record). */
export async function readLastYearFinals(input: LastYearFinalsInput): Promise<LastYearFinalsRead | undefined> {
  const { store, run, school, connector } = input;
  // Only the system of record's final marks are the school's; a push target's copy of last year is not re-read.
  if (!input.isSystemOfRecord) return undefined;
  const scope = lastYearFinalsScope(input.today, input.until);
  if (!scope) return undefined;
  const key = lastYearFinalsCursorKey(school.id);
  const last = await store.getCursor(run.system, run.instance, key);
  if (!intervalRested(last?.lastSuccessAt, input.intervalHours, input.at.getTime(), school.timeZone)) return undefined;
  const commit = () => store.setCursor({ system: run.system, instance: run.instance, entity: key, kind: 'none', value: scope.to, runId: run.runId, lastSuccessAt: input.at.toISOString() });
  const decl = connector.declaration;
  if (!decl.pastYearFinals || !decl.capabilities.includes('finals.read')) {
    // Said once per interval, not every night of the season; the cursor keeps when.
    await commit();
    return { report: { ...scope, notRead: `${decl.title} reads only the current school year's final marks (docs/platforms/${decl.platform}.md)` } };
  }
  // Last year's classes, sections and terms as the crosswalk links them: a platform that lists only the current
  // year's groups (Дневник.ру) reads last year's by these ids (year-links.ts); `to` is 31 August of the year's end.
  const links = await yearLinks(store, run, schoolCanonicalId(school.id), Number(scope.to.slice(0, 4)));
  if (decl.pastYearFinals === 'by-linked-ids' && !links.homeroom_class.length && !links.section.length) {
    // Nothing of last year to ask for, and no login either — the night's request count stays the journal's own. Either
    // the gateway did not read that year from this platform (the school came to it this year), or every class and group
    // of it kept its id into this year (year-links.ts keptLater): no id answers as last year's, and every night of the
    // season would find the same, so it is said once per interval, as the former is.
    await commit();
    return { report: { ...scope, notRead: links.keptLater
      ? `every class and group of last year linked to ${decl.title} kept its id into this school year: none answers as last year's (docs/platforms/${decl.platform}.md "Last year's journal")`
      : `no class or group of last year is linked to ${decl.title}: the gateway did not read that year from it` } };
  }
  const before = await store.currentVersion();
  // Named field by field: the nightly's input carries `deletesFromSnapshot`, which must not reach a read without lessons.
  let summary: RunSummary;
  try {
    summary = await journalSync({
      store, connector, mapper: input.mapper, run, school, isSystemOfRecord: true, logger: input.logger, onProgress: input.onProgress, lease: input.lease,
      ...(input.now ? { now: input.now } : {}), window: scope, finals: true, journal: false, scopeYearOnly: true, yearLinks: links,
    });
  } catch (e) {
    // Links left, but every group they name kept its id into this year (a journal page of a subject the class dropped
    // still linked): as above, said once per interval — asked again, it finds the same.
    if (e instanceof NothingOfYearToAskError) {
      await commit();
      return { report: { ...scope, notRead: e.message } };
    }
    // The platform refusing last year (a 403 for an old academic year, an outage, an answer that does not validate)
    // must not fail tonight's journal sync, already stored: thrown, the job was retried whole five times and failed,
    // every night of the season. Said in the summary; the cursor stays, so the next night asks again.
    input.logger?.warn({ err: e, school: school.id }, 'last school year\'s final marks not read');
    return { report: { ...scope, notRead: `the read failed, asked again next night: ${(e as Error).message}` } };
  }
  const changed = await finalMarksChanged(store, before, run.runId);
  // After the records are stored (STYLE.md "state after records"): a run that fails part-way reads them again.
  await commit();
  return { report: { ...scope, changed, quarantined: summary.quarantined }, summary };
}

/** Final marks this run created, changed or deleted in the store since `version` (each counted once; another school's run may write meanwhile). */
async function finalMarksChanged(store: Store, version: number, runId: string): Promise<number> {
  const ids = new Set<string>();
  for await (const c of store.changesSince(version, { entity: 'final_mark' })) if (c.runId === runId) ids.add(c.canonicalId);
  return ids.size;
}
