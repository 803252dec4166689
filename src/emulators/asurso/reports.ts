// The report queue as the emulator serves it (platforms.md §1.5 steps 3–5, shapes in
// src/connectors/asurso/report-api.ts): `v2/reports/studenttotal/queue` → the classic SignalR hub `queuehub` over
// long polling (`signalr/negotiate|connect|start|send|poll|abort`) → `files/{id}`, an HTML report with one row per
// subject, the pupil's marks and attendance letters per day and the «Средн…»/«Итог…» columns of every term and
// the year. Tasks finish as soon as they are started; a poll with nothing to say waits a moment, then answers empty.
import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse, EmuRoute } from '../kit/index.js';
import { json } from '../kit/index.js';
import { FINALS_QUEUE, HUB, REPORT_TABLE, WHOLE_YEAR_TERM, averageTitle, finalTitle } from '../../connectors/asurso/report-api.js';
import type { AsursoWorld, NMeeting } from './world.js';
import type { Session } from './server.js';

type Api = (method: string, path: string, h: (req: EmuRequest, s: Session) => EmuResponse | Promise<EmuResponse>) => EmuRoute;

interface Task { id: number; studentId: number; classId: number; from: string; to: string; started: boolean }
interface Connection { id: string; connected: boolean; messages: unknown[] }

export interface ReportState {
  tasks: Map<number, Task>;
  connections: Map<string, Connection>;
  files: Map<string, string>;
}

export const newReportState = (): ReportState => ({ tasks: new Map(), connections: new Map(), files: new Map() });

const MONTHS = ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'];
const PERIOD = /^(\d{4}-\d{2}-\d{2})T00:00 - (\d{4}-\d{2}-\d{2})T00:00$/;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const bad = (text: string): EmuResponse => ({ status: 400, json: { message: text } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function reportRoutes(world: AsursoWorld, state: ReportState, api: Api, mayRead: (s: Session, studentId: number) => boolean): EmuRoute[] {
  let taskSeq = 700_000;
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
      state.tasks.set(id, { id, studentId, classId: cls.id, from: period[1], to: period[2], started: false });
      return json({ taskId: id });
    }),
    api('GET', HUB.negotiate, (req) => {
      if (!hubQuery(req)) return bad('Protocol error: Unknown transport or connection data');
      const token = randomBytes(24).toString('base64');
      const id = randomBytes(8).toString('hex');
      state.connections.set(token, { id, connected: false, messages: [] });
      return json({ Url: '/webapi/signalr', ConnectionToken: token, ConnectionId: id, KeepAliveTimeout: 20, DisconnectTimeout: 30, ConnectionTimeout: 110, TryWebSockets: false, ProtocolVersion: HUB.clientProtocol, TransportConnectTimeout: 5, LongPollDelay: 0 });
    }),
    api('POST', HUB.connect, (req) => {
      const c = connectionOf(req);
      if (!c || req.query.transport !== HUB.transport) return bad('Connection was disconnected before invocation result was received.');
      c.connected = true;
      return json({ C: cursor(c), S: 1, M: [] });
    }),
    api('GET', HUB.start, (req) => {
      const c = connectionOf(req);
      return c?.connected ? json({ Response: 'started' }) : bad('Connection not started');
    }),
    api('POST', HUB.send, (req) => {
      const c = connectionOf(req);
      if (!c?.connected) return bad('Connection not started');
      let inv: { I?: unknown; H?: string; M?: string; A?: unknown[] };
      try { inv = JSON.parse(String(((req.body ?? {}) as Record<string, string>).data ?? '')) as typeof inv; } catch { return bad('data is not JSON'); }
      if (inv.H?.toLowerCase() !== HUB.name || inv.M !== 'StartTask' || !Array.isArray(inv.A)) return json({ I: String(inv.I ?? ''), E: `'${String(inv.H)}.${String(inv.M)}' method could not be resolved.` });
      const task = state.tasks.get(Number(inv.A[0]));
      if (!task) return json({ I: String(inv.I ?? ''), E: 'Задание не найдено' });
      if (!task.started) {
        // A repeated StartTask (a resent request) changes nothing.
        task.started = true;
        const file = randomBytes(16).toString('hex');
        state.files.set(file, renderStudentTotal(world, task));
        c.messages.push(hubMessage('progress', { TaskId: task.id, Data: null, ComponentId: '' }), hubMessage('complete', { TaskId: task.id, Data: file, ComponentId: '' }));
      }
      return json({ I: String(inv.I ?? '') });
    }),
    api('POST', HUB.poll, async (req) => {
      const c = connectionOf(req);
      if (!c?.connected) return bad('Connection not started');
      const from = Number(String(((req.body ?? {}) as Record<string, string>).messageId ?? req.query.messageId ?? '').split(',').pop()) || 0;
      if (from >= c.messages.length) await sleep(100);
      return json({ C: cursor(c), M: c.messages.slice(from) });
    }),
    api('POST', HUB.abort, (req) => {
      state.connections.delete(String(req.query.connectionToken ?? ''));
      return { status: 200 };
    }),
    api('GET', 'files/{id}', (req) => {
      const html = state.files.get(String(req.params.id));
      return html === undefined ? { status: 404, json: { message: 'Файл не найден' } } : { status: 200, text: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
    }),
  ];
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
