// The summary every sync run ends with (issue 7; Canvas' SisImportStatistic shape): what an operator
// attaches to a ticket. Counts only — never names or platform payloads.
import type { UpsertCounts } from '../store/index.js';
import { WRITES_AGAIN_BEFORE_HOLDING } from './push-again.js';

export interface RunSummary {
  runId: string;
  kind: 'roster-sync' | 'journal-sync' | 'grade-push';
  instance: string;
  school: string;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  restored: number;
  quarantined: number;
  forReview: number;
  keyChanges: number;
  /** Roster sync: records matching a pupil missing for the first time, by name and birth date only, held until a second miss. */
  keyChangesHeld?: number;
  /** Set when snapshot deletes were refused (threshold) with the reason. */
  deletesRefused?: string;
  /** Roster sync of a platform that is not the system of record: its subject titles no stored subject has. */
  unmatchedSubjects?: string[];
  /** When the threshold refused the deletes: the count `sync roster --accept-deletes` takes to apply them. */
  deletesToAccept?: number;
  /** Records missing from the source for the first time (deleted only when missing twice). */
  missingOnce?: number;
  /**
   * Roster sync at a school-year rollover: records of an earlier school year (terms, classes, groups, subjects,
   * memberships) the platform lists no more, kept as they are and out of the snapshot — not missing, not deleted.
   */
  pastYear?: { year: number; records: number };
  /**
   * Roster sync: classes, subjects, groups, terms or memberships whose platform id an earlier school year's record holds
   * (a platform keeping ids across years): linked to this year's records, the earlier year's left as they are.
   */
  otherYearIds?: number;
  /**
   * Push only: changes held back by R-22 (a closed period without an open unlock order) — how many, and the first
   * few by canonical id and lesson date. Every push checks them again: an order recorded since lets them through.
   */
  refusedByLock?: { rule: 'R-22'; count: number; sample: { entity: string; id: string; date?: string }[] };
  /**
   * Push only: deletes of a moved lesson's records on its old day held until the records replacing them on the new day
   * are on the target (moved-deletes.ts) — how many, and the first few by canonical id and old lesson date. Every push
   * checks them again; until then the old day keeps them there, so nothing of the school's is lost on the target.
   */
  movedWaiting?: { count: number; sample: { entity: string; id: string; date?: string }[] };
  /** Push only: why the target refused operations (not R-22, above), per entity and reason, counted. */
  refusedReasons?: Record<string, number>;
  /**
   * Push only: records a write left on the target without a canonical one, which no route removes (contract.ts
   * `leftOnTarget`), per entity and reason: what a teacher removes there by hand.
   */
  leftOnTarget?: Record<string, number>;
  /** Push only: operations sent, already done, refused (e.g. R-22 lock) and failed. */
  pushed?: { applied: number; unchanged: number; refused: number; failed: number; skipped: number };
  /**
   * Push only: new versions the target would hold exactly as the last confirmed push wrote them (a change to a field it
   * does not carry, such as who recorded a mark): recorded as done without a request, not held by R-22 (counted in
   * `pushed.unchanged` too; same-as-pushed.ts).
   */
  sameAsPushed?: number;
  /** Push only: a dry run — `pushed` counts what a push would do; nothing was written anywhere. */
  dryRun?: true;
  /**
   * Push only, when writes failed: how many of them a later push may still get through (the target down, a time-out)
   * and the first failure's reason. The run then fails (push-failures.ts), so a job is retried and shows as failed.
   */
  pushFailures?: { retryable: number; first: string; accountRefused?: number; retryAfterMs?: number };
  /**
   * Push only: groups (sections) whose first writes the target refused for the account (403), and the writes not sent
   * there for it (counted in `pushed.failed` too): the account may not write into them (refused-groups.ts). The
   * failures that were the account's (sent and refused, or not sent for it) are `pushFailures.accountRefused`.
   */
  accountRefused?: { groups: number; notSent: number; sample: string[] };
  /** Journal sync: the date window read (a nightly run: its recent window). */
  window?: { from: string; to: string };
  /** Nightly journal sync: the older slice read in the same pass as the recent window, if one was due. */
  sweep?: { from: string; to: string };
  /** Journal sync: whether final marks were read (a nightly run reads them only around a period's end). */
  finals?: boolean;
  /** Nightly journal sync: final marks were due, but tonight read the sweep slice; the next night reads them. */
  finalsOwed?: boolean;
  /**
   * Nightly journal sync in the autumn (1 September … `journalLastYearFinalsUntil`): the previous school year's final
   * marks re-read (last-year-finals-read.ts) — the year's days, how many final marks the read created or changed, and
   * how many of its records were quarantined (counted in `quarantined` too); or why the platform was not asked.
   */
  lastYearFinals?: { from: string; to: string; changed?: number; quarantined?: number; notRead?: string };
  /**
   * Nightly journal sync: references an earlier read left records out for (orphans) that the roster has linked
   * since — how many, the days read again for them, and whether final marks were read for them.
   */
  caughtUp?: { references: number; ranges: { from: string; to: string }[]; finals: boolean };
  /** Reasons for quarantined records, counted per reason. */
  quarantineReasons: Record<string, number>;
  /**
   * Roster sync: what the platform lists that its mapper left out on purpose, carrying nothing canonical (ЭлЖур's
   * holidays, «Каникулы»), per reason (`MapResult.skipped`). Not quarantined: the read is not partial for them.
   */
  skipped?: Record<string, number>;
  /**
   * Journal sync of a platform that is not the system of record: records whose content a rule refused (a push
   * target's lesson without a topic, R-01) but that were linked to the record the system of record brought in, so
   * pushes find them — per `rule entity`. Not quarantined: nothing of the school's is missing.
   */
  linkedOnly?: Record<string, number>;
  /**
   * Journal sync of a push target: records it holds as the gateway's last push wrote them, a newer version of the system
   * of record waiting for the next push — not conflicts.
   */
  awaitingPush?: number;
  /**
   * Journal sync of the system of record: lessons moved to another day or period there (the same platform id, another
   * date or number), re-keyed — the old lesson and its works, marks and absences tombstoned (counted in `deleted`).
   */
  lessonsMoved?: number;
  /**
   * Journal sync of a push target: marks and absences the push wrote there that its read no longer holds — deleted
   * there by hand. The system of record's stand: each is in the review queue and written there again by the next push.
   */
  /** `held`: of them, those not written again (they vanished after being written there again too often). */
  deletedOnTarget?: { count: number; sample: { entity: string; id: string; date?: string }[]; held?: number };
  /** Journal sync of a platform that is not the system of record: conflicts it raised before closed, its value agreeing again. */
  conflictsSettled?: number;
  /**
   * Journal sync: seconds spent per step — read (the platform's answers), map (and crosswalk look-ups), context (the
   * school's roster loaded from the store for the rules), rules (judging), store, link (the crosswalk) — for an
   * operator asking where a night went.
   */
  seconds?: Record<string, number>;
  startedAt: string;
  finishedAt?: string;
}

export function newSummary(kind: RunSummary['kind'], runId: string, instance: string, school: string): RunSummary {
  return {
    runId, kind, instance, school, created: 0, updated: 0, unchanged: 0, deleted: 0, restored: 0, quarantined: 0,
    forReview: 0, keyChanges: 0, quarantineReasons: {}, startedAt: new Date().toISOString(),
  };
}

export function addUpsert(s: RunSummary, c: UpsertCounts): void {
  s.created += c.created;
  s.updated += c.updated;
  s.unchanged += c.unchanged;
  s.deleted += c.deleted;
  s.restored += c.undeleted;
}

/** One step's summary from the summaries of its parts (a migration reads a journal slice by slice): counts added, started with the first, finished with the last. */
export function mergeSummaries(parts: readonly RunSummary[]): RunSummary {
  const [first, ...rest] = parts;
  const out: RunSummary = { ...first, quarantineReasons: { ...first.quarantineReasons }, ...(first.pushed ? { pushed: { ...first.pushed } } : {}) };
  const counted = ['created', 'updated', 'unchanged', 'deleted', 'restored', 'quarantined', 'forReview', 'keyChanges'] as const;
  for (const p of rest) {
    for (const k of counted) out[k] += p[k];
    if (p.sameAsPushed) out.sameAsPushed = (out.sameAsPushed ?? 0) + p.sameAsPushed;
    if (p.awaitingPush) out.awaitingPush = (out.awaitingPush ?? 0) + p.awaitingPush;
    if (p.conflictsSettled) out.conflictsSettled = (out.conflictsSettled ?? 0) + p.conflictsSettled;
    if (p.missingOnce) out.missingOnce = (out.missingOnce ?? 0) + p.missingOnce;
    if (p.pushed) for (const k of Object.keys(p.pushed) as (keyof NonNullable<RunSummary['pushed']>)[]) (out.pushed ??= { applied: 0, unchanged: 0, refused: 0, failed: 0, skipped: 0 })[k] += p.pushed[k];
    for (const [reason, n] of Object.entries(p.quarantineReasons)) out.quarantineReasons[reason] = (out.quarantineReasons[reason] ?? 0) + n;
    for (const [reason, n] of Object.entries(p.refusedReasons ?? {})) out.refusedReasons = { ...out.refusedReasons, [reason]: (out.refusedReasons?.[reason] ?? 0) + n };
    for (const [reason, n] of Object.entries(p.leftOnTarget ?? {})) out.leftOnTarget = { ...out.leftOnTarget, [reason]: (out.leftOnTarget?.[reason] ?? 0) + n };
    for (const [reason, n] of Object.entries(p.skipped ?? {})) out.skipped = { ...out.skipped, [reason]: (out.skipped?.[reason] ?? 0) + n };
    for (const [reason, n] of Object.entries(p.linkedOnly ?? {})) out.linkedOnly = { ...out.linkedOnly, [reason]: (out.linkedOnly?.[reason] ?? 0) + n };
    if (p.seconds) for (const [step, t] of Object.entries(p.seconds)) out.seconds = { ...out.seconds, [step]: Math.round(((out.seconds?.[step] ?? 0) + t) * 100) / 100 };
    if (p.deletedOnTarget) {
      const d = out.deletedOnTarget ?? { count: 0, sample: [] };
      const held = (d.held ?? 0) + (p.deletedOnTarget.held ?? 0);
      out.deletedOnTarget = { count: d.count + p.deletedOnTarget.count, sample: [...d.sample, ...p.deletedOnTarget.sample].slice(0, 10), ...(held > 0 ? { held } : {}) };
    }
    if (p.movedWaiting) {
      const w = (out.movedWaiting ??= { count: 0, sample: [] });
      out.movedWaiting = { count: w.count + p.movedWaiting.count, sample: [...w.sample, ...p.movedWaiting.sample].slice(0, 10) };
    }
    if (p.deletesRefused) out.deletesRefused = p.deletesRefused;
    if (p.accountRefused) {
      const a = out.accountRefused ?? { groups: 0, notSent: 0, sample: [] };
      out.accountRefused = { groups: a.groups + p.accountRefused.groups, notSent: a.notSent + p.accountRefused.notSent, sample: [...a.sample, ...p.accountRefused.sample].slice(0, 5) };
    }
    if (p.pushFailures) {
      const account = (out.pushFailures?.accountRefused ?? 0) + (p.pushFailures.accountRefused ?? 0);
      const wait = Math.max(out.pushFailures?.retryAfterMs ?? 0, p.pushFailures.retryAfterMs ?? 0);
      out.pushFailures = { retryable: (out.pushFailures?.retryable ?? 0) + p.pushFailures.retryable, first: out.pushFailures?.first ?? p.pushFailures.first, ...(account ? { accountRefused: account } : {}), ...(wait ? { retryAfterMs: wait } : {}) };
    }
    out.finishedAt = p.finishedAt;
  }
  return out;
}

export function addQuarantine(s: RunSummary, reason: string, n = 1): void {
  s.quarantined += n;
  // Reasons are counted by their first clause so ids inside messages don't explode the map.
  const key = reason.split(':')[0].slice(0, 80);
  s.quarantineReasons[key] = (s.quarantineReasons[key] ?? 0) + n;
}

/** Adds a mapped page's `skipped` counts (MapResult) to the summary. */
export function addSkipped(s: RunSummary, skipped: Readonly<Record<string, number>> | undefined): void {
  for (const [reason, n] of Object.entries(skipped ?? {})) s.skipped = { ...s.skipped, [reason]: (s.skipped?.[reason] ?? 0) + n };
}

/** "N group(s) (5А Математика, …)": the groups a target refused the account in, a few by title. */
export function refusedGroupsText(a: NonNullable<RunSummary['accountRefused']>): string {
  return `${a.groups} group(s)${a.sample.length ? ` (${a.sample.join(', ')}${a.groups > a.sample.length ? ', …' : ''})` : ''}`;
}

export function formatSummary(s: RunSummary): string {
  const parts = [
    `created ${s.created}`, `updated ${s.updated}`, `unchanged ${s.unchanged}`, `deleted ${s.deleted}`,
    `restored ${s.restored}`, `quarantined ${s.quarantined}`, `for review ${s.forReview}`,
  ];
  if (s.keyChanges) parts.push(`key changes ${s.keyChanges}`);
  if (s.keyChangesHeld) parts.push(`key changes held until a second miss ${s.keyChangesHeld}`);
  if (s.missingOnce) parts.push(`missing once ${s.missingOnce}`);
  if (s.skipped) parts.push(`left out on purpose, not quarantined: ${Object.entries(s.skipped).map(([k, n]) => `${k} (${n})`).join('; ')}`);
  if (s.otherYearIds) parts.push(`platform ids kept from an earlier school year, linked to this year's records ${s.otherYearIds}`);
  if (s.pastYear) parts.push(`kept as an earlier school year's (the platform now lists ${s.pastYear.year - 1}/${s.pastYear.year}) ${s.pastYear.records}`);
  if (s.awaitingPush) parts.push(`held as last pushed, the newer version waiting for the next push ${s.awaitingPush}`);
  if (s.conflictsSettled) parts.push(`conflicts closed, the values agreeing again ${s.conflictsSettled}`);
  if (s.deletedOnTarget) {
    const d = s.deletedOnTarget;
    parts.push(`deleted on this platform by hand ${d.count}: ${d.sample.map((x) => `${x.entity} ${x.id}${x.date ? ` (${x.date})` : ''}`).join(', ')}${d.count > d.sample.length ? ', …' : ''} — the system of record's, written there again by the next push (journal-gateway review lists them)${d.held ? `; of them ${d.held} not written again: each vanished again after being written there again ${WRITES_AGAIN_BEFORE_HOLDING} times (journal-gateway review keep writes one once more)` : ''}`);
  }
  if (s.linkedOnly) parts.push(`linked without their content (${Object.entries(s.linkedOnly).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  // A dry run's counts are what a push would do: said so, or a pasted summary reads as a real push.
  if (s.pushed && s.dryRun) parts.push(`dry run, nothing written: would apply ${s.pushed.applied}, unchanged ${s.pushed.unchanged}, would be refused ${s.pushed.refused}, skipped ${s.pushed.skipped}`);
  else if (s.pushed) parts.push(`pushed: applied ${s.pushed.applied}, unchanged ${s.pushed.unchanged}, refused ${s.pushed.refused}, failed ${s.pushed.failed}, skipped ${s.pushed.skipped}`);
  if (s.sameAsPushed) parts.push(`not sent, the target holding them as last pushed (counted in unchanged) ${s.sameAsPushed}`);
  if (s.pushFailures) parts.push(`failed writes: ${s.pushFailures.retryable} of ${s.pushed?.failed ?? 0} tried again by the next push; first: ${s.pushFailures.first}`);
  if (s.accountRefused) {
    parts.push(`the account refused in ${refusedGroupsText(s.accountRefused)}: ${s.accountRefused.notSent} write(s) there not sent — it may not write into them (a read-only login, a teacher not assigned to the class?); each push asks every group again with its first lessons`);
  }
  if (s.refusedReasons) parts.push(`refused by the target: ${Object.entries(s.refusedReasons).map(([k, n]) => `${k} (${n})`).join('; ')}`);
  if (s.leftOnTarget) parts.push(`left on the target, no route removes them: ${Object.entries(s.leftOnTarget).map(([k, n]) => `${k} (${n})`).join('; ')}`);
  if (s.refusedByLock) {
    const l = s.refusedByLock;
    parts.push(`refused by ${l.rule} (a closed period, no open unlock order) ${l.count}: ${l.sample.map((x) => `${x.entity} ${x.id}${x.date ? ` (${x.date})` : ''}`).join(', ')}${l.count > l.sample.length ? ', …' : ''} — held, and sent by the first push after an unlock order covers them (journal-gateway unlock)`);
  }
  if (s.movedWaiting) {
    const w = s.movedWaiting;
    parts.push(`kept on a moved lesson's old day until written on its new day ${w.count}: ${w.sample.map((x) => `${x.entity} ${x.id}${x.date ? ` (${x.date})` : ''}`).join(', ')}${w.count > w.sample.length ? ', …' : ''} — deleted there by the first push after their replacements are on the target (its timetable has the lesson on the new day and the write goes through)`);
  }
  if (s.deletesRefused) parts.push(`deletes refused: ${s.deletesRefused}`);
  if (s.lastYearFinals) {
    const l = s.lastYearFinals;
    parts.push(l.notRead !== undefined
      ? `previous school year's final marks (${l.from}…${l.to}) not read: ${l.notRead}`
      : `previous school year's final marks read (${l.from}…${l.to}): changed ${l.changed ?? 0}${l.quarantined ? `, quarantined ${l.quarantined}` : ''}`);
  }
  if (s.caughtUp) {
    parts.push(`caught up ${s.caughtUp.references} reference(s) the roster linked since an earlier read left their records out (${[...s.caughtUp.ranges.map((r) => `${r.from}…${r.to}`), ...(s.caughtUp.finals ? ['final marks'] : [])].join(', ')})`);
  }
  if (s.unmatchedSubjects?.length) {
    parts.push(`subjects matching none of the system of record's: ${s.unmatchedSubjects.map((x) => `«${x}»`).join(', ')} — their marks cannot be placed here; name them in sync.subjectAliases`);
  }
  // The way through for a real large change (a school-year rollover), after the operator has checked the platform.
  if (s.deletesToAccept !== undefined) {
    parts.push(`if they are really gone from the platform (check it first), apply with: journal-gateway sync roster --config FILE --school ${s.school} --instance ${s.instance} --accept-deletes ${s.deletesToAccept}`);
  }
  return `${s.kind} ${s.school} on ${s.instance} (${s.runId}): ${parts.join(', ')}`;
}
