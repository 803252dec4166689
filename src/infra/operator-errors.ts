// Two kinds of failure a script around the CLI must tell apart (docs/operations.md "Exit codes"): the command
// itself is wrong — fix it, retrying cannot help — or a service it needs does not answer — try again later.

/** An option or argument that is malformed, or names something that is not there (a school, an instance). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A service the command needs (Redis, the store's PostgreSQL) does not answer. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}
