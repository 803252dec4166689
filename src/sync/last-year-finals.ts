// When a scheduled journal sync re-reads the previous school year's final marks. Pupils promoted with academic debt
// («условный перевод», Федеральный закон № 273-ФЗ, ст. 58 ч. 8) retake in September–October, and the school then
// corrects last year's year mark (and the last term's) on the platform. The nightly windows never reach before
// 1 September of the current year (nightly-plan.ts), so without this read the store — and the yearly archive's
// summary sheet built from it (docs/backup.md, `backup archive --amend`) — kept the mark the pupil failed with.
import { addDays } from '../model/dates.js';
import { schoolYearStart, type DateWindow } from './nightly-plan.js';

/** The default last day (MM-DD) of the re-take season: re-takes end by 31 October in most regions' regulations. */
export const LAST_YEAR_FINALS_UNTIL = '10-31';
/** The default hours between two such reads: weekly — a re-take's corrected mark reaches the store within a week. */
export const LAST_YEAR_FINALS_INTERVAL_HOURS = 168;

/**
 * The previous school year's days (1 September … 31 August), when `today` lies between 1 September and `until`
 * (MM-DD, in September–December: the config schema checks it) of the current school year; undefined otherwise.
 * The whole year is the scope so that a connector choosing the academic year by the scope's days (ЭПОС) finds it
 * whether the platform ends the year in May or in August, and a per-period reader sees every period's end.
 */
export function lastYearFinalsScope(today: string, until: string = LAST_YEAR_FINALS_UNTIL): DateWindow | undefined {
  const start = schoolYearStart(today);
  if (today > `${start.slice(0, 4)}-${until}`) return undefined;
  return { from: schoolYearStart(addDays(start, -1)), to: addDays(start, -1) };
}
