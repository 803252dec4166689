// The classic ASP.NET SignalR queue hub (servers before 5.29; shapes in ./report-api.ts) over the long-polling
// transport — plain HTTP through the one HTTP layer, so rate limits, retries, re-login and redaction hold for it as
// for every other call. One connection serves every task of a run: tasks started in parallel wait on one poll loop
// that hands each `complete` message to the task it names.
import { GatewayHttpError, type HttpClient } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import { HUB, HubMessage, Negotiate, PollAnswer, StartAnswer } from './report-api.js';
import type { ReportHub } from './report-hub.js';

const where = (route: string) => ({ platform: 'asurso', route });

interface Waiter { resolve: (fileId: string) => void; reject: (e: Error) => void }

export class ClassicReportHub implements ReportHub {
  private token: string | undefined;
  private opening: Promise<void> | undefined;
  private messageId = '';
  private invocation = 0;
  private readonly waiters = new Map<number, Waiter>();
  /** A poll loop is running (set before it starts, cleared by the loop in the step that finds no waiting task). */
  private polling = false;
  /** `stallMs`: how long the hub may stay silent about every waiting task before they fail (the server lost them). */
  constructor(private readonly http: HttpClient, private readonly stallMs = 120_000) {}

  ready(): Promise<void> {
    return this.open();
  }

  /** Ends the hub connection (never throws: it runs in `finally`). */
  async close(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    this.opening = undefined;
    if (!token) return;
    await this.http.post(`/webapi/${HUB.abort}`, { query: this.query(token), body: '', retrySafe: true }).catch(() => undefined);
  }

  private query(token = this.token!) {
    return { transport: HUB.transport, clientProtocol: HUB.clientProtocol, connectionData: HUB.connectionData, connectionToken: token };
  }

  private open(): Promise<void> {
    this.opening ??= (async () => {
      const base = { transport: HUB.transport, clientProtocol: HUB.clientProtocol, connectionData: HUB.connectionData };
      const negotiated = await this.http.get(`/webapi/${HUB.negotiate}`, { query: base }).catch((e: unknown) => {
        // Servers from 5.29 moved the queue to an ASP.NET Core hub (report-hub-core.ts).
        if (e instanceof GatewayHttpError && e.status !== undefined && e.status >= 400 && e.status < 500) {
          throw new Error(`asurso ${HUB.negotiate}: the server refused the classic report-queue hub (HTTP ${e.status}); a server from 5.29 on serves the ASP.NET Core hub — set options.reportHub: core (or auto), or options.finalMarks: false to sync the journal without final marks (docs/platforms/asurso.md "Final marks")`);
        }
        throw e;
      });
      const n = parsePayload(Negotiate, negotiated.data, where(HUB.negotiate));
      this.http.redactor.add(n.ConnectionToken);
      const first = parsePayload(PollAnswer, (await this.http.post(`/webapi/${HUB.connect}`, { query: this.query(n.ConnectionToken), body: '', retrySafe: true })).data, where(HUB.connect));
      const started = parsePayload(StartAnswer, (await this.http.get(`/webapi/${HUB.start}`, { query: this.query(n.ConnectionToken) })).data, where(HUB.start));
      if (started.Response !== 'started') throw new Error(`asurso ${HUB.start}: the hub answered «${started.Response}» instead of «started»`);
      this.token = n.ConnectionToken;
      this.messageId = first.C ?? '';
    })().catch((e: unknown) => { this.opening = undefined; throw e; });
    return this.opening;
  }

  async run(taskId: number): Promise<string> {
    await this.open();
    const done = new Promise<string>((resolve, reject) => this.waiters.set(taskId, { resolve, reject }));
    const data = JSON.stringify({ I: this.invocation++, H: HUB.name, M: 'StartTask', A: [taskId, 'report-v2'] });
    try {
      // StartTask of a task already started changes nothing on the hub: safe to repeat after a lost answer.
      await this.http.post(`/webapi/${HUB.send}`, { query: this.query(), form: { data }, retrySafe: true });
    } catch (e) {
      this.waiters.delete(taskId);
      throw e;
    }
    // A loop already running may have delivered this task's `complete` while `send` was in flight: then none is
    // started, and `done` is settled already.
    if (!this.polling && this.waiters.size) {
      this.polling = true;
      this.pollLoop().catch((e: unknown) => this.failAll(e as Error));
    }
    return done;
  }

  /** Polls while any task waits; clears `polling` in the same step that sees none, so a task added later starts a new loop. */
  private async pollLoop(): Promise<void> {
    let lastProgress = Date.now();
    for (;;) {
      if (!this.waiters.size) { this.polling = false; return; }
      let ans;
      try {
        ans = parsePayload(PollAnswer, (await this.http.post(`/webapi/${HUB.poll}`, {
          query: { ...this.query(), messageId: this.messageId }, form: { messageId: this.messageId }, retrySafe: true, timeoutMs: 150_000,
        })).data, where(HUB.poll));
      } catch (e) {
        this.failAll(e as Error);
        return;
      }
      if (ans.C) this.messageId = ans.C;
      for (const raw of ans.M) {
        const m = HubMessage.safeParse(raw);
        if (!m.success) continue; // keep-alives and messages of other hubs
        for (const a of m.data.A) {
          const w = this.waiters.get(a.TaskId);
          if (!w) continue;
          lastProgress = Date.now();
          if (m.data.M === 'progress') continue;
          this.waiters.delete(a.TaskId);
          // The hub's error text is not passed on: it may name the pupil of the report.
          if (m.data.M === 'error') w.reject(new Error(`asurso report task ${a.TaskId}: the queue hub reported an error (details withheld: they may carry personal data)`));
          else if (!a.Data) w.reject(new Error(`asurso report task ${a.TaskId}: the queue hub completed it without a file id`));
          else w.resolve(a.Data);
        }
      }
      if (this.waiters.size && Date.now() - lastProgress > this.stallMs) {
        this.failAll(new Error(`asurso ${HUB.poll}: no word from the queue hub on ${this.waiters.size} report task(s) for ${Math.round(this.stallMs / 1000)} s`));
        return;
      }
    }
  }

  private failAll(e: Error): void {
    for (const w of this.waiters.values()) w.reject(e);
    this.waiters.clear();
    this.polling = false;
  }
}
