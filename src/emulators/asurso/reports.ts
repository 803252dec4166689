// The report queue as the emulator serves it (platforms.md §1.5 steps 3–5, shapes in
// src/connectors/asurso/report-api.ts): `v2/reports/studenttotal/queue` → the queue hub → `files/{id}`, an HTML
// report with one row per subject, the pupil's marks and attendance letters per day and the «Средн…»/«Итог…»
// columns of every term and the year. Which hub depends on the server's version, as on real servers: before 5.29
// the classic SignalR hub `queuehub` over long polling (`signalr/negotiate|connect|start|send|poll|abort`; a poll
// with nothing to say waits a moment, then answers empty); from 5.29 the ASP.NET Core hub over a websocket
// (`queueHub`, from 5.32 `signalr/queueHub`), whose queue answers carry a `queueKey` from 5.44 [A: the version
// that brought it is not known; netschoolpy 8 (2026) sees it]. Tasks finish as soon as they are started.
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { EmuRequest, EmuResponse, EmuRoute } from '../kit/index.js';
import { json } from '../kit/index.js';
import { CORE_HUB, FINALS_QUEUE, HUB, REPORT_TABLE, WHOLE_YEAR_TERM, averageTitle, finalTitle, serverVersionAtLeast } from '../../connectors/asurso/report-api.js';
import type { AsursoWorld, NMeeting } from './world.js';
import type { AsursoApiState, Session } from './server.js';

type Api = (method: string, path: string, h: (req: EmuRequest, s: Session) => EmuResponse | Promise<EmuResponse>) => EmuRoute;

interface Task { id: number; studentId: number; classId: number; from: string; to: string; started: boolean; queueKey?: string }

/** From this version the queue answer carries a `queueKey` that `startTaskAsync` must be given [A]. */
export const QUEUE_KEY_FROM = '5.44';
interface Connection { id: string; connected: boolean; messages: unknown[] }

export interface ReportState {
  tasks: Map<number, Task>;
  /** Classic hub connections (by connection token). */
  connections: Map<string, Connection>;
  /** Open ASP.NET Core hub websockets. */
  sockets: Set<WebSocket>;
  files: Map<string, string>;
}

export const newReportState = (): ReportState => ({ tasks: new Map(), connections: new Map(), sockets: new Set(), files: new Map() });

const MONTHS = ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'];
const PERIOD = /^(\d{4}-\d{2}-\d{2})T00:00 - (\d{4}-\d{2}-\d{2})T00:00$/;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const bad = (text: string): EmuResponse => ({ status: 400, json: { message: text } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function reportRoutes(world: AsursoWorld, state: ReportState, api: Api, mayRead: (s: Session, studentId: number) => boolean, version: string): EmuRoute[] {
  let taskSeq = 700_000;
  const core = serverVersionAtLeast(version, CORE_HUB.since);
  // A server with the ASP.NET Core hub has no classic one: its routes answer as an unknown route does.
  const classic = (method: string, path: string, h: (req: EmuRequest, s: Session) => EmuResponse | Promise<EmuResponse>) =>
    api(method, path, (req, s) => (core ? { status: 404, json: { message: 'Не найдено' } } : h(req, s)));
  const connectionOf = (req: EmuRequest) => state.connections.get(String(req.query.connectionToken ?? ''));
  const hubQuery = (req: EmuRequest) => req.query.clientProtocol === HUB.clientProtocol && String(req.query.connectionData ?? '').toLowerCase().includes(HUB.name);

  return [
    api('POST', FINALS_QUEUE, (req, s) => {
      const b = (req.body ?? {}) as { params?: { name: string; value?: unknown }[]; selectedData?: { filterId: string; filterValue: string }[] };
      const f = new Map((b.selectedData ?? []).map((x) => [x.filterId, String(x.filterValue)]));
      const studentId = Number(f.get('SID'));
      const cls = world.classes.get(Number(f.get('PCLID')));
      const period = PERIOD.exec(f.get('period') ?? '');
      if (Number((b.params ?? []).find((p) => p.name === 'SCHOOLYEARID')?.value) !== world.schoolYear.id) return bad('Учебный год не найден');
      if (!cls || !cls.pupils.includes(studentId)) return bad('Ученик не найден в классе');
      const term = f.get('TERMID');
      if (term !== WHOLE_YEAR_TERM && !cls.terms.includes(Number(term))) return bad('Неверный период');
      if (!period) return bad('Неверный формат периода');
      if (!mayRead(s, studentId)) return { status: 403, json: { message: 'Нет прав на отчёт' } };
      const id = ++taskSeq;
      const queueKey = serverVersionAtLeast(version, QUEUE_KEY_FROM) ? randomBytes(12).toString('hex') : undefined;
      state.tasks.set(id, { id, studentId, classId: cls.id, from: period[1], to: period[2], started: false, queueKey });
      return json(queueKey ? { taskId: id, queueKey } : { taskId: id });
    }),
    // What the web client asks before it opens the ASP.NET Core hub; the emulator only notes nothing.
    api('GET', CORE_HUB.earlyAccess, (req) => (req.query.accessKey === CORE_HUB.earlyAccessKey ? { status: 200, text: '' } : bad('Неверный ключ'))),
    classic('GET', HUB.negotiate, (req) => {
      if (!hubQuery(req)) return bad('Protocol error: Unknown transport or connection data');
      const token = randomBytes(24).toString('base64');
      const id = randomBytes(8).toString('hex');
      state.connections.set(token, { id, connected: false, messages: [] });
      return json({ Url: '/webapi/signalr', ConnectionToken: token, ConnectionId: id, KeepAliveTimeout: 20, DisconnectTimeout: 30, ConnectionTimeout: 110, TryWebSockets: false, ProtocolVersion: HUB.clientProtocol, TransportConnectTimeout: 5, LongPollDelay: 0 });
    }),
    classic('POST', HUB.connect, (req) => {
      const c = connectionOf(req);
      if (!c || req.query.transport !== HUB.transport) return bad('Connection was disconnected before invocation result was received.');
      c.connected = true;
      return json({ C: cursor(c), S: 1, M: [] });
    }),
    classic('GET', HUB.start, (req) => {
      const c = connectionOf(req);
      return c?.connected ? json({ Response: 'started' }) : bad('Connection not started');
    }),
    classic('POST', HUB.send, (req) => {
      const c = connectionOf(req);
      if (!c?.connected) return bad('Connection not started');
      let inv: { I?: unknown; H?: string; M?: string; A?: unknown[] };
      try { inv = JSON.parse(String(((req.body ?? {}) as Record<string, string>).data ?? '')) as typeof inv; } catch { return bad('data is not JSON'); }
      if (inv.H?.toLowerCase() !== HUB.name || inv.M !== 'StartTask' || !Array.isArray(inv.A)) return json({ I: String(inv.I ?? ''), E: `'${String(inv.H)}.${String(inv.M)}' method could not be resolved.` });
      const task = state.tasks.get(Number(inv.A[0]));
      if (!task) return json({ I: String(inv.I ?? ''), E: 'Задание не найдено' });
      if (!task.started) {
        // A repeated StartTask (a resent request) changes nothing.
        const file = finishTask(world, state, task);
        c.messages.push(hubMessage('progress', { TaskId: task.id, Data: null, ComponentId: '' }), hubMessage('complete', { TaskId: task.id, Data: file, ComponentId: '' }));
      }
      return json({ I: String(inv.I ?? '') });
    }),
    classic('POST', HUB.poll, async (req) => {
      const c = connectionOf(req);
      if (!c?.connected) return bad('Connection not started');
      const from = Number(String(((req.body ?? {}) as Record<string, string>).messageId ?? req.query.messageId ?? '').split(',').pop()) || 0;
      if (from >= c.messages.length) await sleep(100);
      return json({ C: cursor(c), M: c.messages.slice(from) });
    }),
    classic('POST', HUB.abort, (req) => {
      state.connections.delete(String(req.query.connectionToken ?? ''));
      return { status: 200 };
    }),
    api('GET', 'files/{id}', (req) => {
      const html = state.files.get(String(req.params.id));
      return html === undefined ? { status: 404, json: { message: 'Файл не найден' } } : { status: 200, text: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
    }),
  ];
}

/** Renders a started task's report and keeps it as a file; the file's id. */
function finishTask(world: AsursoWorld, state: ReportState, task: Task): string {
  task.started = true;
  const file = randomBytes(16).toString('hex');
  state.files.set(file, renderStudentTotal(world, task));
  return file;
}

/**
 * The ASP.NET Core queue hub (servers from 5.29): accepts the upgrade at the version's path for a live session
 * (`at` in the query, as browsers send it), then speaks the JSON hub protocol: the handshake, `startTask` /
 * `startTaskAsync` answered by a completion, then `progress` and `complete` invocations naming the task.
 */
export function coreHubUpgrade(world: AsursoWorld, api: AsursoApiState) {
  return (req: EmuRequest): { accept: string; onSocket: (ws: WebSocket) => void } | EmuResponse => {
    if (!serverVersionAtLeast(api.version, CORE_HUB.since)) return { status: 404, json: { message: 'Не найдено' } };
    const path = `/webapi/${serverVersionAtLeast(api.version, CORE_HUB.signalrPathFrom) ? CORE_HUB.path : CORE_HUB.firstPath}`;
    if (req.path.toLowerCase() !== path.toLowerCase()) return { status: 404, json: { message: 'Не найдено' } };
    const at = req.query[CORE_HUB.tokenQuery];
    const s = at === undefined ? undefined : api.sessions.get(at);
    if (!s || api.now() - s.lastSeen > api.timeOutMs) return { status: 401, json: { message: 'Сессия завершена. Войдите в систему заново' } };
    s.lastSeen = api.now();
    return { accept: `GET ${path} (websocket)`, onSocket: (ws) => serveCoreHub(world, api.reports, ws, api.hubClientTimeoutMs) };
  };
}

const SEP = CORE_HUB.separator;
/** ASP.NET Core's defaults: the server pings every 15 s and drops a client it has not heard from for 30 s. */
const SERVER_PING_MS = 15_000;

function serveCoreHub(world: AsursoWorld, state: ReportState, ws: WebSocket, clientTimeoutMs: number): void {
  let shaken = false;
  let heard = Date.now();
  state.sockets.add(ws);
  const send = (m: unknown) => ws.send(JSON.stringify(m) + SEP);
  const ping = setInterval(() => { if (shaken) send({ type: 6 }); }, SERVER_PING_MS);
  const watch = setInterval(() => {
    if (Date.now() - heard <= clientTimeoutMs) return;
    send({ type: 7, error: 'Server timeout elapsed without receiving a message from the client.' });
    ws.close();
  }, Math.max(20, Math.min(1_000, clientTimeoutMs / 4)));
  ping.unref();
  watch.unref();
  ws.once('close', () => { state.sockets.delete(ws); clearInterval(ping); clearInterval(watch); });
  ws.on('message', (raw: Buffer) => {
    heard = Date.now();
    for (const part of raw.toString('utf8').split(SEP)) {
      if (!part.trim()) continue;
      let m: { protocol?: string; version?: number; type?: number; invocationId?: string; target?: string; arguments?: unknown[] };
      try { m = JSON.parse(part) as typeof m; } catch { send({ type: 7, error: 'Connection closed with an error. InvalidDataException: invalid message' }); ws.close(); return; }
      if (!shaken) {
        if (m.protocol !== 'json' || m.version !== 1) { send({ error: `Requested protocol '${String(m.protocol)}' is not available.` }); ws.close(); return; }
        shaken = true;
        send({});
        continue;
      }
      if (m.type === 6) continue; // the client's ping
      if (m.type !== 1) continue;
      const args = m.arguments ?? [];
      const task = state.tasks.get(Number(args[0]));
      const known = m.target === CORE_HUB.startTaskAsync || m.target === CORE_HUB.startTask;
      const keyed = task && (task.queueKey ? m.target === CORE_HUB.startTaskAsync && args[1] === task.queueKey : m.target === CORE_HUB.startTask && args[1] === CORE_HUB.reportV2);
      if (!known) { send({ type: 3, invocationId: m.invocationId, error: `Unknown hub method '${String(m.target)}'` }); continue; }
      if (!task || !keyed) { send({ type: 3, invocationId: m.invocationId, result: { success: false, message: 'Задание не найдено' } }); continue; }
      send({ type: 3, invocationId: m.invocationId, result: { success: true, message: null } });
      // A repeated start of a started task changes nothing.
      if (task.started) continue;
      const file = finishTask(world, state, task);
      send({ type: 1, target: 'progress', arguments: [{ taskId: task.id, status: 'Выполняется' }] });
      send({ type: 1, target: 'complete', arguments: [{ taskId: task.id, data: file, componentId: '' }] });
    }
  });
}

/** SignalR 2 message ids: the client sends the last one back; here the count of messages sent so far. */
const cursor = (c: Connection) => `d-${c.id},${c.messages.length}`;
const hubMessage = (kind: 'progress' | 'complete', a: Record<string, unknown>) => ({ H: 'QueueHub', M: kind, A: [a] });

/** The pupil's marks and attendance letters on one lesson, as a report day cell shows them. */
function dayCell(m: NMeeting, studentId: number): string {
  const parts: string[] = [];
  for (const c of m.columns) {
    const r = c.results.get(studentId);
    if (r) parts.push(r.mark === null ? (r.duty ? '.' : '') : String(r.mark));
  }
  const letter = m.attendance.get(studentId);
  if (letter) parts.push(letter);
  return parts.filter(Boolean).join(' ');
}

/** `reports/studenttotal` for one pupil over [from, to]: the layout of lentryd's `Journal.ts` selectors. */
export function renderStudentTotal(world: AsursoWorld, task: Task): string {
  const sid = task.studentId;
  const cls = world.classes.get(task.classId)!;
  const groups = [...world.groups.values()].filter((g) => g.classId === cls.id && g.pupils.includes(sid))
    .sort((a, b) => (world.subjects.get(a.subjectId) ?? '').localeCompare(world.subjects.get(b.subjectId) ?? ''));
  const inPeriod = (m: NMeeting) => m.date.slice(0, 10) >= task.from && m.date.slice(0, 10) <= task.to;
  const days = [...new Set(groups.flatMap((g) => (world.meetingsBySg.get(g.id) ?? []).filter(inPeriod).map((m) => m.date.slice(0, 10))))].sort();
  const months: [string, number][] = [];
  for (const d of days) {
    const name = MONTHS[Number(d.slice(5, 7)) - 1];
    if (months.at(-1)?.[0] === name) months.at(-1)![1]++;
    else months.push([name, 1]);
  }
  const periods = [...world.terms.filter((t) => cls.terms.includes(t.id)).map((t) => ({ id: t.id, name: t.name })), { id: world.schoolYear.id, name: REPORT_TABLE.yearName }];
  const finals = world.finals.get(sid) ?? [];
  const person = world.persons.get(sid)!.rec;
  const th = (text: string, attrs = '') => `<th${attrs}>${esc(text)}</th>`;
  const td = (text: string, cls?: string) => `<td${cls ? ` class="${cls}"` : ''}>${esc(text)}</td>`;
  const rows = groups.map((g) => {
    const byDay = new Map<string, string[]>();
    for (const m of (world.meetingsBySg.get(g.id) ?? []).filter(inPeriod)) {
      const cell = dayCell(m, sid);
      if (cell) (byDay.get(m.date.slice(0, 10)) ?? byDay.set(m.date.slice(0, 10), []).get(m.date.slice(0, 10))!).push(cell);
    }
    const marks = [...byDay.values()].join(' ').match(/\d/g)?.map(Number) ?? [];
    const totals = periods.flatMap((p) => {
      const f = finals.find((x) => x.sg === g.id && x.period === p.id);
      return [td(f?.average === undefined ? '' : String(f.average).replace('.', ','), REPORT_TABLE.totalCellClass), td(f?.raw ?? '', REPORT_TABLE.totalCellClass)];
    });
    const mean = marks.length ? (marks.reduce((a, b) => a + b, 0) / marks.length).toFixed(2).replace('.', ',') : '';
    return `<tr>${td(world.subjects.get(g.subjectId) ?? '')}${days.map((d) => td(byDay.get(d)?.join(' ') ?? '')).join('')}${totals.join('')}${td(mean, REPORT_TABLE.totalCellClass)}</tr>`;
  });
  const span2 = ' rowspan="2"';
  return [
    '<html><head><meta charset="utf-8"><title>Отчёт об успеваемости и посещаемости ученика</title></head><body>',
    '<h1>Отчёт об успеваемости и посещаемости ученика</h1>',
    `<table class="table-info"><tr><td>Ученик:</td><td><span>${esc(world.school.name)}</span> <span>${esc(cls.title)}</span> <span>${esc(`${person.familyName} ${person.givenName}`)}</span> <span>${task.from.split('-').reverse().join('.')} - ${task.to.split('-').reverse().join('.')}</span></td></tr></table>`,
    `<table class="${REPORT_TABLE.tableClass}">`,
    `<tr>${th(REPORT_TABLE.subjectHeader, span2)}${months.map(([m, n]) => th(m, ` colspan="${n}"`)).join('')}${periods.flatMap((p) => [th(averageTitle(p.name), span2), th(finalTitle(p.name), span2)]).join('')}${th('Средний балл за период', span2)}</tr>`,
    `<tr>${days.map((d) => th(String(Number(d.slice(8, 10))))).join('')}</tr>`,
    ...rows,
    '</table></body></html>',
  ].join('\n');
}
