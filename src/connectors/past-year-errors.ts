// Reads of an earlier school year by the ids linked then (Дневник.ру's `pastYearJournal` / `pastYearFinals`:
// 'by-linked-ids') that cannot succeed by being asked again. Typed, so that the job layer fails them once instead of
// retrying with backoff (src/jobs/worker.ts) and the autumn re-read of final marks says them once per interval
// (src/sync/last-year-finals-read.ts), without matching message text. The CLI exits 1 as for any failed run: the
// command is right (not 64), and asking later is answered alike (not 69) (docs/sync.md "One-off reads of an earlier
// school year").

/**
 * The platform refused one of the groups the read had to read, by id, for good: archived, or the account's access to
 * it withdrawn (a plain 403 or 404, not a refused token or an outage).
 */
export class GroupRefusedError extends Error {
  /** `groupId`: the platform's id of the refused group (an id, safe to log); `cause`: the HTTP error it refused with. */
  constructor(readonly groupId: string, message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'GroupRefusedError';
  }
}

/**
 * Every group of that year the read could ask for kept its id into a later school year (year-links.ts `keptLater`): no
 * id answers as that year's, so the read would read nothing. Until the links change (they do not, by themselves),
 * every attempt finds the same.
 */
export class NothingOfYearToAskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingOfYearToAskError';
  }
}
