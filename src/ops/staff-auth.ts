// Staff access to /metrics and /status (issue 10) until the gateway has a staff login: one shared
// token from the environment variable `web.staffTokenEnv` names, sent as `Authorization: Bearer …`
// or as the password of HTTP Basic (any user name, so a browser's login box works). Without a token
// these pages are closed, never open by default.
import { sameToken } from '../web/sessions.js';

/** Shortest token accepted: a guessable token would make the pages public in all but name. */
export const MIN_STAFF_TOKEN_LENGTH = 24;

export function checkStaffToken(token: string | undefined, source: string): string {
  if (!token) throw new Error(`${source} is empty: set it to a random string of at least ${MIN_STAFF_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24)`);
  if (token.length < MIN_STAFF_TOKEN_LENGTH) throw new Error(`${source} is too short (${token.length} characters; at least ${MIN_STAFF_TOKEN_LENGTH})`);
  return token;
}

/** The token from the Authorization header, Bearer or Basic (password part), or undefined. */
export function presentedToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

export function isStaff(authorization: string | undefined, token: string): boolean {
  return sameToken(presentedToken(authorization), token);
}
