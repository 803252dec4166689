// The ASP.NET Core queue hub of NetSchool servers from 5.29 (shapes and sources in ./report-api.ts): the JSON hub
// protocol over one websocket per run, opened through the HTTP layer (rate permit, session token, re-login). Tasks
// started in parallel share the connection; each `complete` message names the task it belongs to.
import type WebSocket from 'ws';
import type * as z from 'zod';
import { GatewayHttpError, type HttpClient } from '../http/index.js';
import { CORE_HUB, CoreFrame, CoreStartResult, CoreTaskMessage } from './report-api.js';
import type { ReportHub } from './report-hub.js';

interface Waiter { resolve: (fileId: string) => void; reject: (e: Error) => void }

const MESSAGE = { invocation: 1, completion: 3, ping: 6, close: 7 } as const;
const PING = JSON.stringify({ type: MESSAGE.ping }) + CORE_HUB.separator;
/** How long the hub may take to answer the protocol handshake. */
const HANDSHAKE_MS = 30_000;

export class CoreReportHub implements ReportHub {
  private opening: Promise<WebSocket> | undefined;
  private socket: WebSocket | undefined;
  private invocation = 0;
  private readonly waiters = new Map<number, Waiter>();
  /** Invocation id → the task it started: a refused start is answered by invocation, not by task. */
  private readonly started = new Map<string, number>();
  private lastWord = Date.now();
  private stallTimer: NodeJS.Timeout | undefined;
  private handshake: Waiter | undefined;

  private readonly stallMs: number;
  private readonly keepAliveMs: number;

  /**
   * `path`: the hub under `/webapi/`. `stallMs`: how long the hub may say nothing about any waiting task.
   * `keepAliveMs`: how often a ping goes out — an ASP.NET Core hub drops a client it has not heard from for its
   * ClientTimeoutInterval (30 s by default), and a run may queue nothing for longer (its rate budget spent on the
   * class lists); the default 15 s is the official clients' KeepAliveInterval.
   */
  constructor(private readonly http: HttpClient, readonly path: string, o: { stallMs?: number; keepAliveMs?: number } = {}) {
    this.stallMs = o.stallMs ?? 120_000;
    this.keepAliveMs = o.keepAliveMs ?? 15_000;
  }

  async ready(): Promise<void> {
    await this.open();
  }

  async run(taskId: number, queueKey?: string): Promise<string> {
    const ws = await this.open();
    const invocationId = String(this.invocation++);
    const done = new Promise<string>((resolve, reject) => this.waiters.set(taskId, { resolve, reject }));
    this.started.set(invocationId, taskId);
    // 2026 servers hand out a queue key with the task and start it with it (netschoolpy 8); earlier ones take "report-v2".
    const [target, args] = queueKey ? [CORE_HUB.startTaskAsync, [taskId, queueKey]] : [CORE_HUB.startTask, [taskId, CORE_HUB.reportV2]];
    this.lastWord = Date.now();
    ws.send(JSON.stringify({ type: MESSAGE.invocation, invocationId, target, arguments: args }) + CORE_HUB.separator);
    this.watchForStall();
    return done;
  }

  async close(): Promise<void> {
    const ws = this.socket;
    this.socket = undefined;
    this.opening = undefined;
    // Tasks still waiting (the run ended early, e.g. on another report's failure) are settled, not left hanging.
    this.failAll(new Error(`asurso webapi/${this.path}: the gateway closed the queue hub's connection with ${this.waiters.size} report task(s) unfinished`));
    this.stopWatching();
    if (!ws || ws.readyState === ws.CLOSED) return;
    // The closing handshake is waited for (briefly), so a run's end leaves no connection open on the server.
    const closed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => { ws.terminate(); resolve(); }, 2_000);
      ws.once('close', () => { clearTimeout(timer); resolve(); });
    });
    ws.close(1000);
    await closed;
  }

  private open(): Promise<WebSocket> {
    this.opening ??= this.connect().catch((e: unknown) => { this.opening = undefined; throw e; });
    return this.opening;
  }

  private async connect(): Promise<WebSocket> {
    // The web client asks for early access first (netschoolpy: "as the web client does"); the answer is not used,
    // and a server without the route answers 404. It also renews an ended session before the upgrade.
    await this.http.get(`/webapi/${CORE_HUB.earlyAccess}`, { query: { accessKey: CORE_HUB.earlyAccessKey }, responseType: 'text' }).catch((e: unknown) => {
      if (!(e instanceof GatewayHttpError && e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 401)) throw e;
    });
    const { data: ws } = await this.http.openWebSocket(`/webapi/${this.path}`, { headersInQuery: { [CORE_HUB.tokenQuery]: 'at' } }).catch((e: unknown) => {
      if (e instanceof GatewayHttpError && e.status !== undefined && e.status >= 400 && e.status < 500) {
        throw new Error(`asurso webapi/${this.path}: the server refused the report-queue hub (HTTP ${e.status}); a server before 5.29 serves the classic one — set options.reportHub: classic (or auto), or options.finalMarks: false to sync the journal without final marks (docs/platforms/asurso.md "Final marks")`);
      }
      throw e;
    });
    this.socket = ws;
    const shaken = new Promise<string>((resolve, reject) => { this.handshake = { resolve, reject }; });
    ws.on('message', (raw: Buffer) => this.onText(raw.toString('utf8')));
    ws.on('error', () => undefined); // a 'close' follows: handled there
    const keepAlive = this.keepAliveMs > 0 ? setInterval(() => { if (ws.readyState === ws.OPEN) ws.send(PING); }, this.keepAliveMs) : undefined;
    keepAlive?.unref();
    ws.once('close', () => { clearInterval(keepAlive); this.onClosed(ws); });
    ws.send(CORE_HUB.handshake + CORE_HUB.separator);
    const timer = setTimeout(() => this.handshake?.reject(new Error(`asurso webapi/${this.path}: no answer to the hub protocol handshake in ${HANDSHAKE_MS / 1000} s`)), HANDSHAKE_MS);
    try {
      await shaken;
    } catch (e) {
      this.handshake = undefined;
      if (this.socket === ws) this.socket = undefined;
      ws.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return ws;
  }

  private onText(text: string): void {
    for (const part of text.split(CORE_HUB.separator)) {
      if (!part.trim()) continue;
      let frame;
      try {
        frame = CoreFrame.safeParse(JSON.parse(part));
      } catch {
        continue; // not JSON: nothing a task waits for
      }
      if (frame.success) this.onFrame(frame.data);
    }
  }

  private onFrame(f: z.infer<typeof CoreFrame>): void {
    if (this.handshake && f.type === undefined) {
      const h = this.handshake;
      this.handshake = undefined;
      // The server's text is not passed on (it is not ours to show); the protocol name is.
      if (f.error !== undefined) h.reject(new Error(`asurso webapi/${this.path}: the hub refused the JSON hub protocol handshake`));
      else h.resolve('');
      return;
    }
    if (f.type === MESSAGE.invocation && (f.target === 'complete' || f.target === 'progress')) {
      for (const arg of f.arguments ?? []) {
        const m = CoreTaskMessage.safeParse(arg);
        if (!m.success) continue;
        const w = this.waiters.get(m.data.taskId);
        if (!w) continue;
        this.lastWord = Date.now();
        if (f.target === 'progress') continue;
        this.waiters.delete(m.data.taskId);
        if (m.data.data) w.resolve(m.data.data);
        else w.reject(new Error(`asurso report task ${m.data.taskId}: the queue hub completed it without a file id`));
      }
    } else if (f.type === MESSAGE.completion && f.invocationId !== undefined) {
      const taskId = this.started.get(f.invocationId);
      this.started.delete(f.invocationId);
      const r = CoreStartResult.safeParse(f.result ?? {});
      const refused = f.error !== undefined || (r.success && r.data.success === false);
      const w = taskId === undefined ? undefined : this.waiters.get(taskId);
      if (!w) return;
      this.lastWord = Date.now();
      if (refused) {
        this.waiters.delete(taskId!);
        // The hub's message is not passed on: it may name the pupil of the report.
        w.reject(new Error(`asurso report task ${taskId}: the queue hub refused to start it (details withheld: they may carry personal data)`));
      }
    } else if (f.type === MESSAGE.close) {
      this.failAll(new Error(`asurso webapi/${this.path}: the queue hub closed the connection${f.error !== undefined ? ' with an error' : ''} with ${this.waiters.size} report task(s) unfinished`));
      // Let go of it now: a task started from here on opens a new connection instead of waiting on this one.
      const ws = this.socket;
      this.socket = undefined;
      this.opening = undefined;
      ws?.close(1000);
    }
  }

  private onClosed(ws: WebSocket): void {
    // A connection already let go of (closed by us, or after the hub's close message) has no task of its own left.
    if (this.socket !== ws) return;
    this.socket = undefined;
    this.opening = undefined;
    this.handshake?.reject(new Error(`asurso webapi/${this.path}: the hub closed the connection during the handshake`));
    this.handshake = undefined;
    this.failAll(new Error(`asurso webapi/${this.path}: the queue hub's connection closed with ${this.waiters.size} report task(s) unfinished`));
  }

  private watchForStall(): void {
    if (this.stallTimer) return;
    this.stallTimer = setInterval(() => {
      if (!this.waiters.size) return this.stopWatching();
      if (Date.now() - this.lastWord <= this.stallMs) return;
      this.failAll(new Error(`asurso webapi/${this.path}: no word from the queue hub on ${this.waiters.size} report task(s) for ${Math.round(this.stallMs / 1000)} s`));
      // The connection is dropped: a later task opens a new one rather than wait on a hub that lost these.
      void this.close();
    }, Math.max(50, Math.min(5_000, this.stallMs / 4)));
    this.stallTimer.unref();
  }

  private stopWatching(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = undefined;
  }

  private failAll(e: Error): void {
    if (!this.waiters.size) return;
    for (const w of this.waiters.values()) w.reject(e);
    this.waiters.clear();
    this.started.clear();
    this.stopWatching();
  }
}
