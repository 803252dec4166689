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
