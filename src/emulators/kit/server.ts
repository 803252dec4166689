// The emulator HTTP server (node:http, no framework): routing, fault injection, request accounting.
// Platform emulators (src/emulators/<p>/) pass their routes and keep platform error formats to
// themselves through `faultResponse` and `onExpireSessions`.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { FaultInjector, type FaultConfig, type FaultDecision } from './faults.js';
import { formatSetCookie, parseBody, parseCookies, Router, type EmuRequest, type EmuResponse, type EmuRoute } from './router.js';
import { EmulatorStats, type EmulatorStatsSnapshot } from './stats.js';

export interface EmulatorServerOptions {
  /** 0 or undefined = random free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  routes: readonly EmuRoute[];
  faults?: FaultConfig;
  /** Runs when `expireSessionAfter` triggers: drop the emulator's live tokens/cookies. */
  onExpireSessions?: () => void;
  /** Platform-shaped body for an injected 429/5xx (the kit adds `Retry-After` on 429 itself). */
  faultResponse?: (decision: Exclude<FaultDecision, { kind: 'none' }>, req: EmuRequest) => EmuResponse;
  /** Answer for an unknown route. Default 404 `{"error":"not found"}`. */
  notFound?: (req: EmuRequest) => EmuResponse;
  /** A handler threw: default 500 `{"error": message}`. */
  onError?: (err: unknown, req: EmuRequest) => EmuResponse;
  /**
   * A WebSocket upgrade (a platform's hub): `accept` with the route's name and what to do with the socket, or a
   * refusal, answered as plain HTTP. Faults and the request count apply as to any route. Default: 404.
   */
  onUpgrade?: (req: EmuRequest) => { accept: string; onSocket: (ws: WebSocket) => void } | EmuResponse;
}

export interface EmulatorServer {
  baseUrl: string;
  port: number;
  stats(): EmulatorStatsSnapshot;
  setFaults(faults: FaultConfig | undefined): void;
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: EmuResponse): number {
  const status = r.status ?? 200;
  const headers: Record<string, string | string[]> = { ...r.headers };
  let body: Buffer | string | undefined;
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (r.text !== undefined) {
    body = r.text;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else body = r.body;
  if (r.cookies?.length) headers['set-cookie'] = r.cookies.map(formatSetCookie);
  res.writeHead(status, headers);
  res.end(body);
  return status;
}

/** Answers a refused upgrade as plain HTTP on the raw socket, then closes it. */
function refuseUpgrade(socket: Duplex, r: EmuResponse): number {
  const status = r.status ?? 400;
  const body = r.json !== undefined ? JSON.stringify(r.json) : (r.text ?? r.body ?? '').toString();
  const headers: Record<string, string | string[]> = {
    'content-type': r.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', ...r.headers,
    'content-length': String(Buffer.byteLength(body)), connection: 'close',
  };
  const lines = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`));
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
  return status;
}

const defaultFault = (d: Exclude<FaultDecision, { kind: 'none' }>): EmuResponse =>
  d.kind === 'rate_limited' ? { status: 429, json: { error: 'Too Many Requests' } } : { status: d.status, json: { error: 'Service Unavailable' } };

/**
 * Starts an emulator server.
 *
 * @example
 * ```ts
 * const srv = await startEmulatorServer({
 *   routes: [route('GET', '/api/getmarks', (req) => json({ response: { state: 200, error: null, result: {} } }))],
 *   faults: { seed: 7, errorRate: 0.05, rateLimit: { every: 50, retryAfterS: 1 } },
 *   onExpireSessions: () => tokens.clear(),
 * });
 * // … srv.baseUrl, srv.stats().peakRps …
 * await srv.close();
 * ```
 */
export async function startEmulatorServer(opts: EmulatorServerOptions): Promise<EmulatorServer> {
  const router = new Router(opts.routes);
  const faults = new FaultInjector(opts.faults);
  const stats = new EmulatorStats();

  const toEmuRequest = (req: IncomingMessage, url: URL, method: string, params: Record<string, string>, route: string, rawBody: Buffer): EmuRequest => ({
    method, path: url.pathname, params, query: Object.fromEntries(url.searchParams), searchParams: url.searchParams,
    headers: req.headers, cookies: parseCookies(req.headers.cookie), body: parseBody(rawBody, req.headers['content-type']),
    rawBody, route, faults,
  });

  const server = createServer(async (req, res) => {
    stats.arrived();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const m = router.match(method, url.pathname);
    const rawBody = await readBody(req).catch(() => Buffer.alloc(0));
    const er = toEmuRequest(req, url, method, m?.params ?? {}, m?.name ?? 'unmatched', rawBody);
    const delay = faults.latency();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    let answer: EmuResponse;
    if (!m) {
      answer = opts.notFound?.(er) ?? { status: 404, json: { error: 'not found' } };
    } else {
      const d = m.route.noFaults ? ({ kind: 'none' } as const) : faults.decide();
      if (d.kind !== 'none') {
        answer = (opts.faultResponse ?? defaultFault)(d, er);
        if (d.kind === 'rate_limited') answer = { ...answer, status: 429, headers: { ...answer.headers, 'retry-after': String(d.retryAfterS) } };
      } else {
        try {
          answer = await m.route.handler(er);
        } catch (e) {
          answer = opts.onError?.(e, er) ?? { status: 500, json: { error: e instanceof Error ? e.message : String(e) } };
        }
        if (faults.afterHandled()) opts.onExpireSessions?.();
      }
    }
    if (res.destroyed) return;
    stats.answered(er.route, send(res, answer));
  });
  server.keepAliveTimeout = 5_000;

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    stats.arrived();
    socket.on('error', () => undefined); // a client gone mid-handshake
    const url = new URL(req.url ?? '/', 'http://emulator');
    const er = toEmuRequest(req, url, 'GET', {}, `GET ${url.pathname} (websocket)`, Buffer.alloc(0));
    const d = faults.decide();
    let answer = d.kind === 'none' ? opts.onUpgrade?.(er) ?? opts.notFound?.(er) ?? { status: 404, json: { error: 'not found' } } : (opts.faultResponse ?? defaultFault)(d, er);
    if (d.kind === 'rate_limited') answer = { ...answer as EmuResponse, status: 429, headers: { ...(answer as EmuResponse).headers, 'retry-after': String(d.retryAfterS) } };
    if (d.kind === 'none' && faults.afterHandled()) opts.onExpireSessions?.();
    if ('accept' in answer) {
      const { accept, onSocket } = answer;
      sockets.handleUpgrade(req, socket, head, (ws) => {
        stats.answered(accept, 101);
        onSocket(ws);
      });
      return;
    }
    stats.answered(er.route, refuseUpgrade(socket, answer));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    baseUrl: `http://${host}:${addr.port}`,
    port: addr.port,
    faults,
    stats: () => stats.snapshot(faults.counts),
    setFaults: (f) => faults.configure(f),
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
