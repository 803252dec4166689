// The CSRF guard every form of the web server shares: a browser sends Origin on a cross-site POST (and on our own
// forms, since the pages send a same-origin Referrer-Policy); an Origin of another host is refused.
//
// Behind a reverse proxy the Host header is often the proxy's upstream name (nginx's default `proxy_set_header Host
// $proxy_host`), not the host the browser asked for: the origin `web.publicUrl` names is ours as well, or every form
// posted through such a proxy — a parent's logout, the staff login — was refused with 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** `web.publicUrl`'s origin (scheme, host, port), when configured: what browsers send as Origin through the proxy. */
    publicOrigin?: string;
  }
}

/** Makes `publicUrl`'s origin ours for every route of `app` (its child contexts inherit the decoration). */
export function trustPublicOrigin(app: FastifyInstance, publicUrl: string | undefined): void {
  app.decorate('publicOrigin', publicUrl ? new URL(publicUrl).origin : undefined);
}

const hostOf = (origin: string): string | null => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/**
 * Origin present and not ours — neither the Host the request came with nor `web.publicUrl`'s origin (`null` — a
 * sandboxed or privacy-stripped origin — is left to the form token).
 */
export function crossOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return false;
  if (req.server.publicOrigin && origin === req.server.publicOrigin) return false;
  const host = req.headers.host;
  return !!host && hostOf(origin) !== host;
}

/**
 * For a request that carries no form token (the staff login, the queue dashboard's actions): the Origin is the only
 * guard, so `null` — what a browser sends for a form posted from a page with a no-referrer policy or a sandbox — is
 * refused as well (it could be anyone's).
 */
export function crossOriginWithoutToken(req: FastifyRequest): boolean {
  return req.headers.origin === 'null' || crossOrigin(req);
}
