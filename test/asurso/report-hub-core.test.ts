// The ASP.NET Core queue hub client (src/connectors/asurso/report-hub-core.ts) and the HTTP layer's websocket
// upgrade (src/connectors/http/websocket.ts) against a scripted hub: what a server of 5.29+ may answer — a refused
// or failed upgrade, an ended session, a refused handshake or task, a hub that closes or goes silent, completions
// out of order — and what the gateway must do with it.
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CoreReportHub } from '../../src/connectors/asurso/report-hub-core.js';
import { startEmulatorServer, type EmuRequest, type EmuResponse, type EmulatorServer } from '../../src/emulators/kit/index.js';
import { testClient } from '../http/helpers.js';

const SEP = '\u001e';
const PATH = 'signalr/queueHub';
let server: EmulatorServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

type Frame = { type?: number; invocationId?: string; target?: string; arguments?: unknown[]; protocol?: string };
interface Script {
  /** Per upgrade attempt (0-based): refuse with a response, or accept. */
  upgrade?: (attempt: number, req: EmuRequest) => EmuResponse | undefined;
  /** The handshake's answer (default `{}`). */
  handshake?: unknown;
  /** Called with every connection the hub accepts. */
  onOpen?: (ws: WebSocket) => void;
  /** What the hub does with an invocation (default: complete the task at once with file `f<taskId>`). */
  invoke?: (m: Frame, send: (f: unknown) => void, ws: WebSocket) => void;
}

async function hubServer(script: Script = {}) {
  const seen = { upgrades: [] as EmuRequest[], invocations: [] as Frame[], opened: 0 };
  server = await startEmulatorServer({
    routes: [],
    onUpgrade: (req) => {
      seen.upgrades.push(req);
      const refusal = script.upgrade?.(seen.upgrades.length - 1, req);
      if (refusal) return refusal;
      return {
        accept: 'hub',
        onSocket: (ws) => {
          seen.opened++;
          script.onOpen?.(ws);
          const send = (f: unknown) => ws.send(JSON.stringify(f) + SEP);
          let shaken = false;
          ws.on('message', (raw: Buffer) => {
            for (const part of raw.toString().split(SEP).filter(Boolean)) {
              const m = JSON.parse(part) as Frame;
              if (!shaken) { shaken = true; send(script.handshake ?? {}); continue; }
              if (m.type === 6) continue; // the client's ping
              seen.invocations.push(m);
              if (script.invoke) script.invoke(m, send, ws);
              else {
                send({ type: 3, invocationId: m.invocationId, result: { success: true } });
                send({ type: 1, target: 'complete', arguments: [{ taskId: m.arguments![0], data: `f${String(m.arguments![0])}`, componentId: '' }] });
              }
            }
          });
        },
      };
    },
  });
  return seen;
}

/** A client whose session token (header `at`) is `token()`, with a re-login that issues the next one. */
function client(tokens = ['tok-1', 'tok-2', 'tok-3']) {
  let i = 0;
  const http = testClient({ baseURL: server!.baseUrl, sensitive: tokens });
  const auth = { refreshes: 0, apply: (cfg: never) => { (cfg as { headers: { set(k: string, v: string): void } }).headers.set('at', tokens[i]); return cfg; }, refresh: async () => { auth.refreshes++; i++; } };
  http.setAuth(auth);
  return { http, auth };
}

describe('АСУ РСО ASP.NET Core queue hub (servers from 5.29)', () => {
  it('one connection for many tasks: the token in the query and the header, startTaskAsync with the queue key, completions matched by task id out of order', async () => {
    const seen = await hubServer({
      // The hub completes the first task only after the second: each must still get its own file.
      invoke: (() => {
        const held: Frame[] = [];
        return (m, send) => {
          send({ type: 3, invocationId: m.invocationId, result: { success: true, message: null } });
          send({ type: 1, target: 'progress', arguments: [{ taskId: m.arguments![0], status: '…' }] });
          held.push(m);
          if (held.length === 2) for (const h of held.reverse()) send({ type: 1, target: 'complete', arguments: [{ taskId: h.arguments![0], data: `file-${String(h.arguments![0])}`, componentId: '' }] });
        };
      })(),
    });
    const { http } = client();
    const hub = new CoreReportHub(http, PATH);
    await hub.ready();
    const [a, b] = await Promise.all([hub.run(11, 'key-11'), hub.run(12)]);
    await hub.close();
    expect([a, b]).toEqual(['file-11', 'file-12']);
    expect(seen.opened).toBe(1);
    expect(seen.upgrades[0].path).toBe('/webapi/signalr/queueHub');
    expect(seen.upgrades[0].query.at).toBe('tok-1');
    expect(seen.upgrades[0].headers.at).toBe('tok-1');
    expect(seen.invocations.map((m) => [m.type, m.target, m.arguments])).toEqual([
      [1, 'startTaskAsync', [11, 'key-11']],
      [1, 'startTask', [12, 'report-v2']],
    ]);
    // The upgrade went through the HTTP layer: counted like any request of the instance.
    expect(http.stats.snapshot().requests['GET /webapi/signalr/queueHub']).toEqual({ 101: 1 });
  });

  it('a failed upgrade (503) is retried; an ended session (401) logs in again and the new token is sent', async () => {
    const seen = await hubServer({
      upgrade: (n, req) => (n === 0 ? { status: 503, text: 'Сервер временно недоступен' } : req.query.at === 'tok-1' ? { status: 401, json: { message: 'Сессия завершена' } } : undefined),
    });
    const { http, auth } = client();
    const hub = new CoreReportHub(http, PATH);
    expect(await hub.run(5)).toBe('f5');
    await hub.close();
    expect(seen.upgrades.map((u) => u.query.at)).toEqual(['tok-1', 'tok-1', 'tok-2']);
    expect(auth.refreshes).toBe(1);
  });

  it('a server without this hub (404): a clear error naming options.reportHub and finalMarks', async () => {
    await hubServer({ upgrade: () => ({ status: 404, json: { message: 'Не найдено' } }) });
    const { http } = client();
    const err = (await new CoreReportHub(http, PATH).run(1).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/webapi\/signalr\/queueHub: the server refused the report-queue hub \(HTTP 404\).*options\.reportHub: classic.*options\.finalMarks: false/);
    expect(err.message).not.toMatch(/tok-1/);
  });

  it('an upgrade answered with a page (200) or a redirect (302) instead of a websocket: an error saying so, no crash', async () => {
    for (const status of [200, 302]) {
      await hubServer({ upgrade: () => ({ status, text: '<html>Вход в систему</html>', headers: (status === 302 ? { location: '/asp/SecurityWarning.asp' } : {}) as Record<string, string> }) });
      const err = (await new CoreReportHub(client().http, PATH).run(1).catch((e: unknown) => e)) as Error;
      expect(err.message, String(status)).toMatch(new RegExp(`answered HTTP ${status} instead of opening a websocket`));
      await server!.close();
      server = undefined;
    }
  });

  it('a refused handshake and a refused task: errors that name the step and the task, never the server text (it may name the pupil)', async () => {
    await hubServer({ handshake: { error: 'Requested protocol json is not available.' } });
    let err = (await new CoreReportHub(client().http, PATH).run(1).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/refused the JSON hub protocol handshake/);
    await server!.close();

    await hubServer({ invoke: (m, send) => send({ type: 3, invocationId: m.invocationId, result: { success: false, message: 'Нет данных по ученику Тестов Тест' } }) });
    const hub = new CoreReportHub(client().http, PATH);
    err = (await hub.run(21).catch((e: unknown) => e)) as Error;
    await hub.close();
    expect(err.message).toMatch(/report task 21: the queue hub refused to start it/);
    expect(err.message).not.toMatch(/Тестов/);
  });

  it('the hub closes the connection mid-task: the task fails with a clear error, and the next one opens a new connection', async () => {
    let first = true;
    const seen = await hubServer({
      invoke: (m, send, ws) => {
        if (first) { first = false; send({ type: 7, error: 'Server timeout elapsed' }); ws.close(); return; }
        send({ type: 1, target: 'complete', arguments: [{ taskId: m.arguments![0], data: 'f-again', componentId: '' }] });
      },
    });
    const hub = new CoreReportHub(client().http, PATH);
    const err = (await hub.run(7).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/queue hub closed the connection with an error with 1 report task\(s\) unfinished/);
    expect(await hub.run(8)).toBe('f-again');
    await hub.close();
    expect(seen.opened).toBe(2);
  });

  it('pings keep an idle connection open past the hub\'s client time-out; without them the hub drops it and the next task opens another', async () => {
    // The hub closes a connection it has heard nothing from for 300 ms, as ASP.NET Core does after ClientTimeoutInterval.
    const timeoutMs = 300;
    const seen = await hubServer({
      onOpen: (ws) => {
        let heard = Date.now();
        ws.on('message', () => { heard = Date.now(); });
        const t = setInterval(() => {
          if (Date.now() - heard <= timeoutMs) return;
          ws.send(JSON.stringify({ type: 7, error: 'Server timeout elapsed without receiving a message from the client.' }) + SEP);
          ws.close();
        }, 50);
        ws.once('close', () => clearInterval(t));
      },
    });
    for (const [keepAliveMs, connections] of [[100, 1], [0, 2]] as const) {
      seen.opened = 0;
      const hub = new CoreReportHub(client().http, PATH, { keepAliveMs });
      await hub.ready();
      await new Promise((r) => setTimeout(r, 3 * timeoutMs));
      expect(await hub.run(3)).toBe('f3');
      await hub.close();
      expect(seen.opened, `keepAliveMs ${keepAliveMs}`).toBe(connections);
    }
  });

  it('a hub that says nothing about a task: it fails after the stall time instead of waiting forever', async () => {
    await hubServer({ invoke: () => undefined });
    const hub = new CoreReportHub(client().http, PATH, { stallMs: 300 });
    const started = Date.now();
    const err = (await hub.run(9).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/no word from the queue hub on 1 report task\(s\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await hub.close();
  });
});
