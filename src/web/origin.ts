// The CSRF guard every form of the web server shares: a browser sends Origin on a cross-site POST (and on our own
// forms, since the pages send a same-origin Referrer-Policy); an Origin of another host is refused.
import type { FastifyRequest } from 'fastify';

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/** Origin present and not ours (`null` — a sandboxed or privacy-stripped origin — is left to the form token). */
export function crossOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  return !!origin && origin !== 'null' && !!host && hostOf(origin) !== host;
}

/**
 * For a request that carries no form token (the staff login, the queue dashboard's actions): the Origin is the only
 * guard, so `null` — what a browser sends for a form posted from a page with a no-referrer policy or a sandbox — is
 * refused as well (it could be anyone's).
 */
export function crossOriginWithoutToken(req: FastifyRequest): boolean {
  return req.headers.origin === 'null' || crossOrigin(req);
}
