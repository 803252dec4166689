// `web.trustProxy`: whose X-Forwarded-For the web server believes when it takes a client's address — the address
// the staff login's lockout counts failures against (docs/operations.md). `true` believes every hop, so the client
// chooses its own address by sending a forged leftmost entry; a list of the reverse proxies' addresses makes the
// address the right-most entry no trusted proxy wrote, the one the proxy saw. A hop count is refused: Fastify 5
// ignores it (it cannot tell a proxy from a direct client) and every user would share the proxy's address.
import { isIP } from 'node:net';
import * as z from 'zod';

/** The names @fastify/proxy-addr knows for ranges of addresses. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8` or a range name; what proxy-addr compiles without throwing at start. */
function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const slash = entry.indexOf('/');
  if (slash < 0) return isIP(entry) !== 0;
  const family = isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  return family !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export type TrustProxySetting = boolean | string | string[];

export const TrustProxySetting = z.union([z.boolean(), z.number(), z.string(), z.array(z.string())]).transform((v, ctx): TrustProxySetting => {
  if (typeof v === 'number') {
    ctx.addIssue({ code: 'custom', message: 'a hop count is not supported (the web server would ignore X-Forwarded-For and every user would share the proxy\'s address): give the reverse proxy\'s address or network, e.g. 127.0.0.1 or 10.0.0.0/8' });
    return z.NEVER;
  }
  if (typeof v === 'boolean') return v;
  const entries = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'list at least one proxy address, or write false' });
  entries.forEach((entry, i) => {
    if (!isProxyAddress(entry)) {
      ctx.addIssue({ code: 'custom', ...(Array.isArray(v) ? { path: [i] } : {}), message: `"${entry}" is not an IP address, a network (address/prefix) or one of ${[...RANGE_NAMES].join(', ')}` });
    }
  });
  return v;
});

/** The warning `config check` and `serve` give for `true`; undefined for a setting that does not trust the client. */
export function trustProxyWarning(setting: TrustProxySetting): string | undefined {
  if (setting !== true) return undefined;
  return 'web.trustProxy: true believes every X-Forwarded-For entry, which the client writes itself: a client can pick '
    + 'its address and escape the staff login lockout; give the reverse proxy\'s address instead (e.g. trustProxy: 127.0.0.1)';
}
