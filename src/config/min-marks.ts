// how many graded marks a pupil needs in a quarter, by the subject's weekly hours. The regulations give three for
// two hours a week and "more for a heavier load" without numbers (canonical-model.md R-11 and its open question 3), so
// a school sets its own table; without one the built-in table (model/rules/types.ts DEFAULT_MIN_MARKS) applies.
import * as z from 'zod';
import type { MinMarksTable } from '../model/rules/types.js';

/** Bands from the lightest load up: `weeklyHoursUpTo` (inclusive), the last band without it covering any heavier load. */
export const MinMarksConfig = z.array(z.strictObject({
  weeklyHoursUpTo: z.number().positive().optional(),
  marks: z.number().int().min(0).max(100),
})).min(1).superRefine((bands, ctx) => {
  bands.forEach((b, i) => {
    if (b.weeklyHoursUpTo === undefined) {
      if (i < bands.length - 1) ctx.addIssue({ code: 'custom', path: [i, 'weeklyHoursUpTo'], message: 'only the last band may leave out weeklyHoursUpTo (it covers any heavier load)' });
      return;
    }
    const before = bands[i - 1]?.weeklyHoursUpTo;
    if (before !== undefined && b.weeklyHoursUpTo <= before) {
      ctx.addIssue({ code: 'custom', path: [i, 'weeklyHoursUpTo'], message: `bands go from the lightest load up: ${b.weeklyHoursUpTo} is not above the band before (${before})` });
    }
  });
});
export type MinMarksConfig = z.infer<typeof MinMarksConfig>;

/** The rules' table of a school's configured bands; undefined (the built-in table) when the school sets none. */
export function minMarksTable(bands: MinMarksConfig | undefined): MinMarksTable | undefined {
  return bands?.map((b) => ({ maxWeeklyHours: b.weeklyHoursUpTo ?? Number.POSITIVE_INFINITY, minMarks: b.marks }));
}
