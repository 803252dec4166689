// NetSchool report queue (platforms.md §1.5 «Reports», §1.1 version notes) — THE one place its shapes live.
//
// The web API's only source of term and year marks («Итог…» columns) is a report: `POST …/queue` a task,
// run it through the queue hub, `GET files/{id}` the HTML. What is verified and what is not:
// - [V lentryd `reportFile/legacy.ts`] the classic ASP.NET SignalR hub `queuehub` over the long-polling
//   transport: `signalr/negotiate` → `connect` → `start` → `send` (`StartTask [taskId, "report-v2"]`) →
//   `poll` until a `complete` message whose `Data` is the file id → `abort`; query `clientProtocol=1.5`,
//   `connectionData=[{"name":"queuehub"}]`. lentryd used it on servers 5.24…5.28.
// - [V lentryd `reportFile/index.ts`, vkrya/netschoolpy 8 `client.py`] from 5.29 the ASP.NET Core hub (JSON hub
//   protocol over a websocket, `at` in the query): `webapi/queueHub`, from 5.32 `webapi/signalr/queueHub`;
//   handshake `{"protocol":"json","version":1}` + 0x1E; `startTask(taskId, "report-v2")`, or on servers whose
//   queue answer carries `queueKey` (2026) `startTaskAsync(taskId, queueKey)` after `GET earlyaccess?accessKey=
//   irtechsignalr`; then `progress` and `complete` invocations whose argument is `{taskId, data (the file id),
//   componentId}`, and a completion (`type` 3) whose `result.success` false means the task was refused.
//   [A] the long-polling transport of that hub is not used (no public client uses it); whether several tasks may
//   run on one connection at once is assumed from the `taskId` in every message.
// - [V lentryd `journal.ts`] `v2/reports/studenttotal/queue` with filters `SID`, `PCLID`, `TERMID`, `period`
//   and params `DATEFORMAT`, `SCHOOLYEARID`, `SERVERTIMEZONE=3`, `FULLSCHOOLNAME`; answer `{taskId}`.
// - [V lentryd `classes/Journal.ts`] the report table `table.table-print`: header row 1 = «Предмет», month
//   cells with `colspan`, one cell with `rowspan` per «Средн…»/«Итог…» column and a last one (the period's
//   average); row 2 = day numbers; body rows = subject, day cells (no class), `td.cell-num-2` cells.
// - [U-gw] the exact column titles: `Средн. <term>` / `Итог <term>`, and `Средн. год` / `Итог год` for the
//   year; the header's term names are those of `terms/{id}.name`. Correct them here when a real report is seen.
import * as z from 'zod';

/** The report that carries a pupil's term and year finals (lentryd `journal.ts`: the «v2/» route of ≥ 5.24). */
export const FINALS_REPORT = 'reports/studenttotal';
export const FINALS_QUEUE = `v2/${FINALS_REPORT}/queue`;
/** The route a report file is read from, named for the report it holds: what the mapper and `map` are given. */
export const FINALS_FILE = 'files/{id}#studenttotal';
/** `TERMID` value for the whole year (§1.5). */
export const WHOLE_YEAR_TERM = '-1';

/** The classic hub's routes (under `/webapi/`) and the query every one of them carries. */
export const HUB = {
  negotiate: 'signalr/negotiate', connect: 'signalr/connect', start: 'signalr/start', send: 'signalr/send',
  poll: 'signalr/poll', abort: 'signalr/abort',
  name: 'queuehub',
  connectionData: '[{"name":"queuehub"}]',
  clientProtocol: '1.5',
  transport: 'longPolling',
} as const;

/** The report task's body (§1.5 step 3). `period` is `<start> - <end>` with `YYYY-MM-DDT00:00` dates. */
export interface ReportTaskBody {
  params: { name: string; value?: string | number }[];
  selectedData: { filterId: string; filterValue: string }[];
}

export function finalsTaskBody(o: { studentId: string; classId: string; yearId: string; yearStart: string; yearEnd: string; schoolName: string }): ReportTaskBody {
  return {
    // Every public client hard-codes SERVERTIMEZONE=3 whatever the region (§1.8).
    params: [{ name: 'DATEFORMAT', value: 'd\u0001mm\u0001yy\u0001.' }, { name: 'SCHOOLYEARID', value: o.yearId }, { name: 'SERVERTIMEZONE', value: 3 }, { name: 'FULLSCHOOLNAME', value: o.schoolName }],
    selectedData: [
      { filterId: 'SID', filterValue: o.studentId },
      { filterId: 'PCLID', filterValue: o.classId },
      { filterId: 'TERMID', filterValue: WHOLE_YEAR_TERM },
      { filterId: 'period', filterValue: `${o.yearStart}T00:00 - ${o.yearEnd}T00:00` },
    ],
  };
}

/** The ASP.NET Core hub of servers from 5.29 (see the top of this file). */
export const CORE_HUB = {
  since: '5.29',
  /** The hub's path under `/webapi/` on 5.29–5.31, and from `signalrPathFrom` on. */
  firstPath: 'queueHub',
  path: 'signalr/queueHub',
  signalrPathFrom: '5.32',
  /** The session token rides in the query too: browsers cannot set headers on a websocket. */
  tokenQuery: 'at',
  earlyAccess: 'earlyaccess',
  earlyAccessKey: 'irtechsignalr',
  handshake: '{"protocol":"json","version":1}',
  /** Every hub-protocol message ends with this record separator. */
  separator: '\u001e',
  startTask: 'startTask',
  startTaskAsync: 'startTaskAsync',
  reportV2: 'report-v2',
} as const;

/** `5.44.7850` ≥ `5.32`: compared number by number, missing parts counting as 0. */
export function serverVersionAtLeast(version: string, least: string): boolean {
  const a = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const b = least.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

const int = z.number().int();
/** `…/queue` answer: the task id (2026 servers add `queueKey`, used only by the ASP.NET Core hub). */
export const QueueAnswer = z.looseObject({ taskId: int, queueKey: z.string().optional() });
/** `signalr/negotiate` answer. */
export const Negotiate = z.looseObject({ ConnectionId: z.string().min(1), ConnectionToken: z.string().min(1), ProtocolVersion: z.string().optional() });
/** `signalr/connect` and `signalr/poll` answer: `C` is the message id the next poll sends back. */
export const HubMessage = z.looseObject({
  H: z.string(), M: z.enum(['progress', 'complete', 'error']),
  A: z.array(z.looseObject({ TaskId: int, Data: z.string().nullable().optional(), Details: z.string().nullable().optional() })),
});
export const PollAnswer = z.looseObject({ C: z.string().optional(), M: z.array(z.unknown()).default([]) });
export const StartAnswer = z.looseObject({ Response: z.string() });
/** One message of the ASP.NET Core hub protocol: 1 invocation, 3 completion, 6 ping, 7 close; `{}` or `{error}` answers the handshake. */
export const CoreFrame = z.looseObject({
  type: z.number().int().optional(), target: z.string().optional(), invocationId: z.string().optional(),
  arguments: z.array(z.unknown()).optional(), result: z.unknown().optional(), error: z.string().optional(),
});
/** The argument of a `progress` or `complete` invocation. */
export const CoreTaskMessage = z.looseObject({ taskId: int, data: z.string().nullable().optional() });
/** A completion's `result`: `success` false when the hub refused to start the task. */
export const CoreStartResult = z.looseObject({ success: z.boolean().optional(), message: z.unknown().optional() });

/** The report table's markers (lentryd `Journal.ts` selectors). */
export const REPORT_TABLE = {
  tableClass: 'table-print',
  subjectHeader: 'Предмет',
  totalCellClass: 'cell-num-2',
  average: /^Средн\.?\s+(.+)$/u,
  final: /^Итог\.?\s+(.+)$/u,
  /** The year's column names the year, not a term [U-gw]. */
  yearName: 'год',
} as const;

/** The columns of one period a report shows: its average and its final mark. */
export const averageTitle = (period: string) => `Средн. ${period}`;
export const finalTitle = (period: string) => `Итог ${period}`;
