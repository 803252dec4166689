// Rule declarations and violations for canonical-model.md §B (R-01…R-24).
// Messages are Russian, for a school administrator, and carry record ids only — never a name or a SNILS.
import type { EntityName } from '../enums.js';
import type { JournalLockRecord } from '../records.js';

export type RuleId =
  | 'R-01' | 'R-02' | 'R-03' | 'R-04' | 'R-05' | 'R-06' | 'R-07' | 'R-08' | 'R-09' | 'R-10' | 'R-11' | 'R-12'
  | 'R-13' | 'R-14' | 'R-15' | 'R-16' | 'R-17' | 'R-18' | 'R-19' | 'R-20' | 'R-21' | 'R-22' | 'R-23' | 'R-24';

/** block = reject the write/push; quarantine = review queue, no push; warn = report only (§B). */
export type Severity = 'block' | 'quarantine' | 'warn';

export interface Violation {
  ruleId: RuleId;
  severity: Severity;
  entity: EntityName;
  id: string;
  message: string;
  /** Other records the violation is about (student, period, order…), by id. */
  refs?: Record<string, string>;
  /** R-22 inbound: `late_edit` (an order covers the edit) or `missing_order`. */
  code?: 'late_edit' | 'missing_order';
}

/** Inbound = mirroring from a system of record; outbound = a push to a target platform. */
export type Direction = 'outbound' | 'inbound';

/** Minimum graded marks per quarter by weekly load: the first band with `weeklyHours ≤ maxWeeklyHours` applies. */
export type MinMarksTable = readonly { maxWeeklyHours: number; minMarks: number }[];

/**
 * Seed 000 §6.1: «не менее трёх оценок при двухчасовой недельной нагрузке … и более трёх … при нагрузке более двух
 * часов». Loads above 2 h get 4 by default; the exact table is configuration (canonical-model.md §E.3).
 */
export const DEFAULT_MIN_MARKS: MinMarksTable = [
  { maxWeeklyHours: 2, minMarks: 3 },
  { maxWeeklyHours: Number.POSITIVE_INFINITY, minMarks: 4 },
];

export function minMarksFor(weeklyHours: number, table: MinMarksTable = DEFAULT_MIN_MARKS): number {
  for (const band of table) if (weeklyHours <= band.maxWeeklyHours) return band.minMarks;
  return table.length ? table[table.length - 1].minMarks : 0;
}

export interface RuleOptions {
  /** The moment of the check (Instant). Rules never read the clock (R-22 order validity, R-11 ended quarters). */
  now: string;
  /** Default `outbound`. Changes severities where §B distinguishes them. */
  direction?: Direction;
  minMarks?: MinMarksTable;
  /** Overrides the scale's `finalWhitelist`. */
  finalWhitelist?: readonly string[];
  /**
   * Ids of the marks/attendance records being created, updated or deleted. When absent, the records are
   * treated as stored state: a record counts as a write into a locked period when it was recorded after the lock
   * was set (`recordedAt > lock.createdAt`), and orders are judged at `recordedAt`.
   */
  writes?: ReadonlySet<string>;
  /** Stored values of the locks in the batch, for R-23 (a lock only moves forward). */
  previousLocks?: Iterable<JournalLockRecord>;
  /** Run only these rules. */
  only?: readonly RuleId[];
  /** maximum share of Latin letters in a topic (default 0.2, "threshold to be agreed"). */
  maxLatinShare?: number;
}

export interface ResolvedOptions {
  now: string;
  nowMs: number;
  direction: Direction;
  minMarks: MinMarksTable;
  finalWhitelist?: readonly string[];
  writes?: ReadonlySet<string>;
  previousLocks: JournalLockRecord[];
  maxLatinShare: number;
}

export function resolveOptions(o: RuleOptions): ResolvedOptions {
  const nowMs = Date.parse(o.now);
  if (Number.isNaN(nowMs)) throw new Error(`rules: options.now is not an instant: ${o.now}`);
  return {
    now: o.now,
    nowMs,
    direction: o.direction ?? 'outbound',
    minMarks: o.minMarks ?? DEFAULT_MIN_MARKS,
    finalWhitelist: o.finalWhitelist,
    writes: o.writes,
    previousLocks: o.previousLocks ? [...o.previousLocks] : [],
    maxLatinShare: o.maxLatinShare ?? 0.2,
  };
}

export function isBlocking(v: Violation): boolean {
  return v.severity === 'block';
}
