// A redirect that leaves the platform's host loses the session credentials. axios drops only `Authorization` and
// `Cookie` there, so NetSchool's `at`, ЭПОС's `auth-token` and Дневник.ру's `Access-Token` went to whatever host a
// redirect named (a maintenance page on a CDN, a Госуслуги login page) — a live session handed to a third party.
// A redirect within the host (a trailing slash, http → https) keeps them, as a request there needs them; one from
// https down to http drops them (they would cross the network in the clear).
import { SECRET_HEADERS } from './redact.js';

/** axios `beforeRedirect`: removes the secret headers from the next hop when it leaves the host or TLS. */
export function keepCredentialsOnHost(next: { href?: string; headers?: Record<string, unknown> }, _response: unknown, previous?: { url?: string }): void {
  let leaves = true;
  try {
    const to = new URL(String(next.href));
    const from = new URL(String(previous?.url));
    leaves = to.hostname !== from.hostname || (from.protocol === 'https:' && to.protocol !== 'https:');
  } catch {
    // An address that cannot be read: dropping the credentials is the safe side.
  }
  if (!leaves || !next.headers) return;
  for (const name of Object.keys(next.headers)) if (SECRET_HEADERS.has(name.toLowerCase())) delete next.headers[name];
}
