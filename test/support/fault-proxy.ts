// A fault proxy in front of an emulator, for what the emulators' own fault switches do not serve: each request goes
// through `rule`, which can pass it, answer it itself (an HTML page with 200, a 403), forward it and rewrite the
// answer (a body cut off, a field dropped), drop the connection after the platform applied it, or hang.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Action =
  | { kind: 'pass' }
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body: string }
  | { kind: 'rewrite'; fn: (status: number, body: string) => { status: number; body: string; headers?: Record<string, string> } }
  | { kind: 'applied-then-reset' }
  | { kind: 'hang' };

export interface SeenRequest { method: string; path: string; headers: IncomingMessage['headers']; body: string }

export async function startProxy(target: string, rule: (r: SeenRequest, n: number) => Action) {
  const log: SeenRequest[] = [];
  const hung: (() => void)[] = [];
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      log.push(seen);
      const a = rule(seen, log.length);
      if (a.kind === 'hang') { hung.push(() => res.destroy()); return; }
      if (a.kind === 'respond') { res.writeHead(a.status, { 'content-type': 'text/html; charset=utf-8', ...a.headers }); res.end(a.body); return; }
      const u = new URL(req.url!, target);
      const headers = { ...req.headers, host: u.host };
      const up = httpRequest(u, { method: req.method, headers }, (ur) => {
        const bs: Buffer[] = [];
        ur.on('data', (c) => bs.push(c));
        ur.on('end', () => {
          const body = Buffer.concat(bs).toString();
          if (a.kind === 'applied-then-reset') { res.destroy(); return; }
          const h = { ...ur.headers } as Record<string, string>;
          delete h['content-length']; delete h['transfer-encoding'];
          if (a.kind === 'rewrite') {
            const o = a.fn(ur.statusCode!, body);
            res.writeHead(o.status, { ...h, ...o.headers }); res.end(o.body); return;
          }
          res.writeHead(ur.statusCode!, h); res.end(body);
        });
      });
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`, log,
    close: () => new Promise<void>((r) => { for (const h of hung) h(); srv.closeAllConnections(); srv.close(() => r()); }),
  };
}
export const HTML_PAGE = '<!DOCTYPE html><html><head><title>Технические работы</title></head><body><h1>Сайт на обслуживании</h1></body></html>';
