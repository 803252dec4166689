// Opening a WebSocket through the one HTTP layer (src/connectors/http/client.ts `openWebSocket`): the upgrade
// is an HTTP GET like any other, so it takes a rate permit of the instance, carries the session's credentials and
// cookies, and a refused upgrade is classified, retried or answered with a re-login as a refused request would be.
// Used by NetSchool's ASP.NET Core report-queue hub (servers ≥ 5.29), which every public client opens as a
// websocket; browsers cannot set headers on one, so such servers also take the token in the query.
import type { InternalAxiosRequestConfig } from 'axios';
import { AxiosHeaders } from 'axios';
import WebSocket from 'ws';
import { serializeQuery } from './route.js';
import type { QueryValue } from './types.js';

/** What the transport of one attempt answered: a status, headers and a body, plus the socket when it opened. */
export interface SentAttempt {
  status: number;
  headers: Record<string, unknown>;
  data: unknown;
  socket?: WebSocket;
}

/** How an upgrade is sent: which applied header also rides in the query, how large a frame may be. */
export interface WebSocketOptions {
  /** `{query name: header name}`: a credential header the server expects in the URL too (NetSchool `at`). */
  headersInQuery?: Record<string, string>;
  /** Largest frame accepted (default 16 MB). */
  maxPayload?: number;
}

/** The body of a refused upgrade is read up to this many bytes: enough for the platform's error message. */
const REFUSAL_BODY_LIMIT = 64 * 1024;

/**
 * Sends one upgrade attempt for an axios-shaped config (the URL, query and headers the client built, credentials
 * applied). Resolves with status 101 and the open socket, or with the refusal's status, headers and body; rejects
 * only on a network failure (with the error's `code`, as axios would).
 */
export function sendUpgrade(baseURL: string, cfg: InternalAxiosRequestConfig, o: WebSocketOptions = {}): Promise<SentAttempt> {
  const headers = AxiosHeaders.from(cfg.headers).toJSON() as Record<string, unknown>;
  const query: Record<string, QueryValue> = { ...(cfg.params as Record<string, QueryValue>) };
  for (const [name, header] of Object.entries(o.headersInQuery ?? {})) {
    const v = headers[header] ?? headers[header.toLowerCase()];
    if (typeof v === 'string') query[name] = v;
  }
  const q = serializeQuery(query);
  const url = `${baseURL.replace(/\/$/, '').replace(/^http/, 'ws')}${cfg.url ?? ''}${q ? `?${q}` : ''}`;
  const plain: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === 'string' || typeof v === 'number') plain[k] = String(v);
  delete plain.Accept;
  return new Promise<SentAttempt>((resolve, reject) => {
    const ws = new WebSocket(url, { headers: plain, handshakeTimeout: cfg.timeout || 30_000, maxPayload: o.maxPayload ?? 16 * 1024 * 1024, followRedirects: false });
    let settled = false;
    const settle = (f: () => void) => { if (!settled) { settled = true; f(); } };
    ws.once('open', () => settle(() => resolve({ status: 101, headers: {}, data: undefined, socket: ws })));
    ws.once('unexpected-response', (request, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => { if (size < REFUSAL_BODY_LIMIT) { chunks.push(c); size += c.length; } });
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        try { data = text ? JSON.parse(text) : ''; } catch { /* not JSON: the text stays */ }
        settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, unknown>, data }));
        request.destroy();
      });
      res.once('error', () => settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, unknown>, data: '' })));
    });
    // A handshake time-out or a refused connection: the message of `ws` names the URL, which carries the token,
    // so only its code goes on (the client redacts what it reports, but nothing is left to chance here).
    ws.once('error', (e: Error & { code?: string }) => settle(() => reject(Object.assign(new Error(`websocket ${e.code ?? 'error'}`), { code: e.code ?? 'ECONNRESET' }))));
  });
}
