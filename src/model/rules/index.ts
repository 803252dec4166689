// Rules R-01…R-24 of canonical-model.md §B as pure functions over canonical records.
import type { CanonicalRecord } from '../records.js';
import { ATTENDANCE_RULES } from './attendance.js';
import { buildRuleIndex, type RuleDeclaration, RuleContext, type RuleIndex } from './context.js';
import { FINAL_RULES } from './finals.js';
import { LESSON_RULES } from './lessons.js';
import { LOCK_RULES } from './locks.js';
import { MARK_RULES } from './marks.js';
import { resolveOptions, type RuleOptions, type Violation } from './types.js';

export * from './types.js';
export { buildRuleIndex, RuleContext, isLive, severityOf, type RuleDeclaration, type RuleIndex } from './context.js';
export { latinShare, renderHomework, enrollmentSubgroup } from './lessons.js';
export { scaleOf, workTypeWeight, isRetake, expectedNumeric, weightedAverageFor, studentsDuring, ATTENDANCE_CODES_IN_MARK_CELL } from './marks.js';
export { attendanceCategory, checkAttendanceUpdate } from './attendance.js';
export { finalWhitelistFor } from './finals.js';
export { checkLockAdvance, coveringOrder, issuerAllowed } from './locks.js';

export const RULES: readonly RuleDeclaration[] = [...LESSON_RULES, ...MARK_RULES, ...ATTENDANCE_RULES, ...FINAL_RULES, ...LOCK_RULES];

export function ruleContext(records: Iterable<CanonicalRecord> | RuleIndex, options: RuleOptions): RuleContext {
  const index = isIndex(records) ? records : buildRuleIndex(records);
  return new RuleContext(index, resolveOptions(options));
}

/** Runs every rule (or `options.only`) and returns all violations, in rule order. */
export function validateRecords(records: Iterable<CanonicalRecord> | RuleIndex, options: RuleOptions): Violation[] {
  const ctx = ruleContext(records, options);
  const only = options.only ? new Set(options.only) : undefined;
  const out: Violation[] = [];
  for (const rule of RULES) {
    if (only && !only.has(rule.id)) continue;
    for (const v of rule.check(ctx)) out.push(v);
  }
  return out;
}

function isIndex(x: Iterable<CanonicalRecord> | RuleIndex): x is RuleIndex {
  return (x as RuleIndex).byId instanceof Map && Array.isArray((x as RuleIndex).lessons);
}
