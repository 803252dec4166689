// A migration's push is limited to the migration's window (`migrate --since/--until`, docs/migration.md): the plan and
// the reconciliation cover the window only, so a push writing everything the store holds since the push cursor (an
// earlier, wider dry run, or the nightly syncs' whole year) wrote records the plan never promised and the
// reconciliation never read back — "try one month first" wrote the whole year, and the run still said ok.
// A scheduled push has no window and is not filtered.

/** The days of a migration (YYYY-MM-DD, both ends included, as migration-journal.ts slices them). */
export type PushWindow = { from: string; to: string };

/**
 * Whether a record whose lesson is on `date` belongs to the push: always without a window. A record whose lesson's day
 * is unknown is left out of a windowed push (the plan could not have counted it either); it stays for the next
 * scheduled push, which has no window (a windowed push moves no cursor, grade-push.ts).
 */
export function inPushWindow(date: string | undefined, window: PushWindow | undefined): boolean {
  if (!window) return true;
  return date !== undefined && date >= window.from && date <= window.to;
}
