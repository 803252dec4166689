// When final marks are worth reading. A platform's final-marks read is per class (Дневник.ру, ЭПОС, ЭлЖур) or per
// pupil (АСУ РСО's report queue) and returns the whole year, yet final marks change only around a period's end:
// they are set in its last days and corrected in the weeks after. Reading them on every night would be a fixed
// cost with nothing new in it for most of the year.
import { addDays } from './dates.js';

export interface DateRange { from: string; to: string }

/** Days around a window in which a period's end makes its final marks due. */
export interface FinalsSlack { before: number; after: number }

/**
 * True when a period (a term, a half-year, the year) ends between `slack.before` days before one of the windows
 * and `slack.after` days after it. The default (30 before, 7 after) is the one-off read's: a 14-day window runs no
 * final-marks read in mid-term; a wide window (a migration, a first load) reads them all.
 */
export function finalsDue(ends: readonly string[], windows: DateRange | readonly DateRange[], slack: FinalsSlack = { before: 30, after: 7 }): boolean {
  const list: readonly DateRange[] = Array.isArray(windows) ? windows : [windows as DateRange];
  return list.some((w) => {
    const [from, to] = [addDays(w.from, -slack.before), addDays(w.to, slack.after)];
    return ends.some((e) => e.slice(0, 10) >= from && e.slice(0, 10) <= to);
  });
}
