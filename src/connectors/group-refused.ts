// A read that failed because the platform refused one of the groups it had to read, by id, for good: archived, or
// the account's access to it withdrawn (a plain 403 or 404, not a refused token or an outage). Asked again, the group
// is refused again, so a queued job fails once instead of being retried with backoff (src/jobs/worker.ts); the CLI
// exits 1 as for any failed run — the command is right, the platform's answer is what stops it (docs/sync.md
// "One-off reads of an earlier school year"). Typed so the job layer need not match the message text.
export class GroupRefusedError extends Error {
  /** `groupId`: the platform's id of the refused group (an id, safe to log); `cause`: the HTTP error it refused with. */
  constructor(readonly groupId: string, message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'GroupRefusedError';
  }
}
