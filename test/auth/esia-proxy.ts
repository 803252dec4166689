// A proxy in front of the fake ESIA that answers chosen endpoints itself: ESIA down (the connection refused, no
// answer), a gateway's HTML page, a JSON body that is not ESIA's collection. For the tests of what a parent sees
// and what the log says when ESIA misbehaves. Synthetic only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does instead of forwarding; `undefined` forwards to the fake. */
export type Misbehaviour = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface EsiaProxy {
  baseUrl: string;
  /** Set for the next requests; `null` forwards everything. */
  misbehave: Misbehaviour | null;
  close(): Promise<void>;
}

export const answer = (status: number, type: string, body: string) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};

/** Answers `path` (a regexp over the request path) with `reply`. */
export const on = (path: RegExp, reply: (res: ServerResponse) => void): Misbehaviour => (req, res) => {
  if (!path.test((req.url ?? '').split('?')[0])) return false;
  reply(res);
  return true;
};

/** Drops the connection without an answer (a dead upstream behind a load balancer). */
export const hangUp = (res: ServerResponse) => res.socket?.destroy();

export async function esiaProxy(target: () => string): Promise<EsiaProxy> {
  const proxy: EsiaProxy = { baseUrl: '', misbehave: null, close: async () => undefined };
  const server = createServer((req, res) => {
    if (proxy.misbehave?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
      fetch(target() + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, redirect: 'manual' })
        .then(async (up) => {
          const out: Record<string, string> = {};
          up.headers.forEach((v, k) => { if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') out[k] = v; });
          res.writeHead(up.status, out);
          res.end(Buffer.from(await up.arrayBuffer()));
        })
        .catch(() => res.socket?.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
