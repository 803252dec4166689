// Contract test with nock of the final-marks route sequence on a server before 5.29 (platforms.md §1.5 steps 3–5,
// [V lentryd reportFile/legacy.ts, journal.ts]): per pupil `POST v2/reports/studenttotal/queue` → on one classic
// SignalR connection `negotiate` → `connect` → `start`, then `send` StartTask and `poll` until `complete` →
// `GET files/{id}`; `abort` at the end. Every request is checked field by field; a 503 on a poll is retried.
// The ASP.NET Core hub of later servers is a websocket, which nock does not speak: test/asurso/report-hub-core.test.ts
// and the e2e tests against the emulator cover it.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mapBatch } from '../../src/connectors/mapping.js';
import { asursoMapper } from '../../src/mappers/asurso/index.js';
import { sourceScopedId } from '../../src/model/ids.js';
import { ReportQueue } from '../../src/connectors/asurso/report-queue.js';
import { connector, drain, handshake, ORIGIN } from './contract-kit.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const AT = '12345678901234567890123456';
const TOKEN = 'tok+en/==';
const HUBQ = { transport: 'longPolling', clientProtocol: '1.5', connectionData: '[{"name":"queuehub"}]', connectionToken: TOKEN };
/** The last two weeks of the first half-year: its final marks are due (finals-read.ts `finalsDue`). */
const WINDOW = { from: '2026-12-14', to: '2026-12-27' };
const HALF = { id: 5001, name: '1 полугодие', startDate: '2026-09-01T00:00:00', endDate: '2026-12-26T00:00:00', termType: 'half_year', number: 1 };
const YEAR = { id: 84301, name: '2026/2027', startDate: '2026-09-01T00:00:00', endDate: '2027-05-31T00:00:00' };

/** A report as lentryd's selectors read it: two header rows, day cells, «Средн.»/«Итог» cells of class cell-num-2. */
function report(rows: [subject: string, avg1: string, final1: string][]): string {
  const head = '<tr><th rowspan="2">Предмет</th><th colspan="2">Сентябрь</th><th rowspan="2">Средн. 1 полугодие</th><th rowspan="2">Итог 1 полугодие</th>'
    + '<th rowspan="2">Средн. год</th><th rowspan="2">Итог год</th><th rowspan="2">Средний балл за период</th></tr><tr><th>7</th><th>8</th></tr>';
  const body = rows.map(([s, a, f]) => `<tr><td>${s}</td><td>5</td><td>Б</td><td class="cell-num-2">${a}</td><td class="cell-num-2">${f}</td><td class="cell-num-2"></td><td class="cell-num-2"></td><td class="cell-num-2">5,00</td></tr>`);
  return `<html><body><table class="table-info"><tr><td>Ученик:</td><td><span>Тестов Тест</span></td></tr></table><table class="table-print">${head}${body.join('')}</table></body></html>`;
}

/** Context → … → class 5А (one pupil, no subject groups) with its half-year term: what every finals read asks first. */
function oneClassOfOnePupil(opts: { pupilsListed?: boolean } = {}) {
  const scope = nock(ORIGIN)
    .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, schoolyear: YEAR })
    .get('/webapi/grade/assignment/types').query(true).reply(200, [])
    .get('/webapi/grade/journal/assignments/types/weights').reply(200, [])
    .get('/webapi/grade/attendance/reasons').query(true).reply(200, [])
    .get('/webapi/grade/journal/filter/init').reply(200, { filterSources: [{ filterId: 'PCLID_IUP', items: [{ title: '5А', value: '2002_0' }] }] })
    .get('/webapi/subjectgroups').query({ classId: '2002' }).reply(200, [])
    .get('/webapi/grade/journal/filter/init').query({ classId: '2002' }).reply(200, { filterSources: [{ filterId: 'TERMID', items: [{ title: '1 полугодие', value: '5001' }] }] })
    .get('/webapi/terms/5001').reply(200, HALF);
  return opts.pupilsListed === false ? scope : scope.get('/webapi/grade/studentList').query({ classId: '2002' }).reply(200, [{ id: 601, lastName: 'Тестов', firstName: 'Тест' }]);
}

const taskBody = (sid: string) => (b: { params: { name: string; value?: unknown }[]; selectedData: { filterId: string; filterValue: string }[] }) =>
  JSON.stringify(b.selectedData) === JSON.stringify([
    { filterId: 'SID', filterValue: sid }, { filterId: 'PCLID', filterValue: '2001' }, { filterId: 'TERMID', filterValue: '-1' },
    { filterId: 'period', filterValue: '2026-09-01T00:00 - 2027-05-31T00:00' },
  ]) && b.params.some((p) => p.name === 'SCHOOLYEARID' && p.value === '84301') && b.params.some((p) => p.name === 'SERVERTIMEZONE' && p.value === 3);
const startTask = (i: number, task: number) => (b: Record<string, string>) => b.data === JSON.stringify({ I: i, H: 'queuehub', M: 'StartTask', A: [task, 'report-v2'] });
const complete = (task: number, file: string) => ({ H: 'QueueHub', M: 'complete', A: [{ TaskId: task, Data: file, ComponentId: '' }] });

describe('АСУ РСО final marks: the report queue over classic SignalR long polling', () => {
  it('queue → negotiate/connect/start → send StartTask → poll (503 retried) until complete → files/{id}, per pupil on one connection; abort and logout at the end', async () => {
    handshake({ version: '5.28.3' });
    const teacher = { id: 9, lastName: 'Учителева', firstName: 'Анна' };
    const pupils = [{ id: 501, lastName: 'Тестов', firstName: 'Тест' }, { id: 502, lastName: 'Пробова', firstName: 'Проба' }];
    const roster = nock(ORIGIN, { reqheaders: { at: AT } })
      .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, schoolyear: YEAR, organization: { id: 77, name: 'ГБОУ СОШ № 8' } })
      .get('/webapi/grade/assignment/types').query(true).reply(200, [])
      .get('/webapi/grade/journal/assignments/types/weights').reply(200, [])
      .get('/webapi/grade/attendance/reasons').query(true).reply(200, [])
      .get('/webapi/grade/journal/filter/init').reply(200, { filterSources: [{ filterId: 'PCLID_IUP', items: [{ title: '10Б', value: '2001_0' }] }] })
      .get('/webapi/subjectgroups').query({ classId: '2001' }).reply(200, [
        { id: 40001, name: '10Б/Алгебра', classId: 2001, className: '10Б', subjectId: 3001, subjectName: 'Алгебра', teachers: [teacher] },
        { id: 40002, name: '10Б/Английский язык', classId: 2001, className: '10Б', subjectId: 3002, subjectName: 'Английский язык', subgroupName: '1 группа', teachers: [{ ...teacher, id: 10 }] },
        { id: 40003, name: '10Б/Английский язык', classId: 2001, className: '10Б', subjectId: 3002, subjectName: 'Английский язык', subgroupName: '2 группа', teachers: [{ ...teacher, id: 11 }] },
      ])
      .get('/webapi/grade/studentList').query({ classId: '2001' }).reply(200, pupils)
      // Only the split subject needs its groups' lists (which pupil is in which subgroup).
      .get('/webapi/grade/studentList').query({ sgId: '40002' }).reply(200, [pupils[0]])
      .get('/webapi/grade/studentList').query({ sgId: '40003' }).reply(200, [pupils[1]])
      .get('/webapi/grade/journal/filter/init').query({ classId: '2001' }).reply(200, { filterSources: [{ filterId: 'TERMID', items: [{ title: '1 полугодие', value: '5001' }] }] })
      .get('/webapi/terms/5001').reply(200, HALF);
    const hub = nock(ORIGIN, { reqheaders: { at: AT } })
      .post('/webapi/v2/reports/studenttotal/queue', taskBody('501')).reply(200, { taskId: 11 })
      .get('/webapi/signalr/negotiate').query({ transport: 'longPolling', clientProtocol: '1.5', connectionData: '[{"name":"queuehub"}]' })
      .reply(200, { Url: '/webapi/signalr', ConnectionToken: TOKEN, ConnectionId: 'c1', ProtocolVersion: '1.5' })
      .post('/webapi/signalr/connect').query(HUBQ).reply(200, { C: 'd-c1,0', S: 1, M: [] })
      .get('/webapi/signalr/start').query(HUBQ).reply(200, { Response: 'started' })
      .post('/webapi/signalr/send', startTask(0, 11)).query(HUBQ).reply(200, { I: '0' })
      .post('/webapi/signalr/poll', { messageId: 'd-c1,0' }).query({ ...HUBQ, messageId: 'd-c1,0' }).reply(503, '<html>Сервер недоступен</html>')
      .post('/webapi/signalr/poll', { messageId: 'd-c1,0' }).query({ ...HUBQ, messageId: 'd-c1,0' }).reply(200, { C: 'd-c1,1', M: [{ H: 'QueueHub', M: 'progress', A: [{ TaskId: 11, Data: null }] }] })
      .post('/webapi/signalr/poll', { messageId: 'd-c1,1' }).query({ ...HUBQ, messageId: 'd-c1,1' }).reply(200, { C: 'd-c1,2', M: [complete(11, 'f11')] })
      .get('/webapi/files/f11').reply(200, report([['Алгебра', '4,6', '5'], ['Английский язык', '3,5', '4']]), { 'Content-Type': 'text/html; charset=utf-8' })
      .post('/webapi/v2/reports/studenttotal/queue', taskBody('502')).reply(200, { taskId: 12 })
      .post('/webapi/signalr/send', startTask(1, 12)).query(HUBQ).reply(200, { I: '1' })
      .post('/webapi/signalr/poll', { messageId: 'd-c1,2' }).query({ ...HUBQ, messageId: 'd-c1,2' }).reply(200, { C: 'd-c1,3', M: [complete(12, 'f12')] })
      .get('/webapi/files/f12').reply(200, report([['Алгебра', '2,1', 'н/а'], ['Английский язык', '', '']]), { 'Content-Type': 'text/html; charset=utf-8' })
      .post('/webapi/signalr/abort').query(HUBQ).reply(200);
    const logout = nock(ORIGIN).post('/webapi/auth/logout').reply(200);
    // One request at a time, so the sequence above is the order on the wire.
    const c = connector(undefined, { schoolId: 77, rateLimit: { requestsPerSecond: 1000, concurrency: 1 } });
    await c.open();
    const batches = await drain(c.readSchool({ ...WINDOW, capabilities: ['finals.read'] }));
    await c.close();
    expect([...roster.pendingMocks(), ...hub.pendingMocks(), ...logout.pendingMocks()]).toEqual([]);
    expect(batches.map((b) => b.route)).toEqual(['files/{id}#studenttotal', 'files/{id}#studenttotal']);
    expect(batches[0].context.ids).toMatchObject({ studentId: '501', sg: JSON.stringify({ Алгебра: 40001, 'Английский язык': 40002 }) });
    expect(batches[1].context.ids.sg).toBe(JSON.stringify({ Алгебра: 40001, 'Английский язык': 40003 }));

    const recs = batches.flatMap((b) => mapBatch(asursoMapper, b, { system: 'asu_rso', instance: 'contract', runId: 'r', mapperVersion: 'asurso-1' }).records) as unknown as Record<string, unknown>[];
    const id = (e: string, v: number) => sourceScopedId('asu_rso', 'contract', e, String(v));
    expect(recs.map((r) => [r.studentId, r.sectionId, r.kind, r.periodId, r.raw, r.base, r.computedAverage, r.recordedBy])).toEqual([
      [id('person', 501), id('section', 40001), 'half_year', id('academic_session', 5001), '5', 5, 4.6, id('person', 9)],
      [id('person', 501), id('section', 40002), 'half_year', id('academic_session', 5001), '4', 4, 3.5, id('person', 10)],
      [id('person', 502), id('section', 40001), 'half_year', id('academic_session', 5001), 'н/а', null, 2.1, id('person', 9)],
    ]);
    // The hub's connection token is redacted like the session token.
    expect(c.http.redactor.text(`x ${TOKEN} ${AT}`)).not.toMatch(/tok\+en|1234567890/);
  });

  it('the hub reports the task failed: a clear error naming the task, without the server text (it may name the pupil)', async () => {
    handshake({ version: '5.28.3' });
    oneClassOfOnePupil()
      .post('/webapi/v2/reports/studenttotal/queue').reply(200, { taskId: 21 })
      .get('/webapi/signalr/negotiate').query(true).reply(200, { ConnectionToken: TOKEN, ConnectionId: 'c2' })
      .post('/webapi/signalr/connect').query(true).reply(200, { C: 'm0', M: [] })
      .get('/webapi/signalr/start').query(true).reply(200, { Response: 'started' })
      .post('/webapi/signalr/send').query(true).reply(200, { I: '0' })
      .post('/webapi/signalr/poll').query(true).reply(200, { C: 'm1', M: [{ H: 'QueueHub', M: 'error', A: [{ TaskId: 21, Details: 'Нет данных по ученику Тестов Тест' }] }] })
      .post('/webapi/signalr/abort').query(true).reply(200);
    const c = connector();
    await c.open();
    const err = await drain(c.readSchool({ ...WINDOW, capabilities: ['finals.read'] })).catch((e: unknown) => e) as Error;
    expect(err.message).toMatch(/report task 21: the queue hub reported an error/);
    expect(err.message).not.toMatch(/Тестов/);
    expect(nock.pendingMocks()).toEqual([]); // the connection was aborted even though the read failed
  });

  it('options.reportHub: classic on a server without that hub (404 on signalr/negotiate, NetSchool ≥ 5.29): a clear error saying to set reportHub or finalMarks', async () => {
    handshake();
    oneClassOfOnePupil()
      .get('/webapi/signalr/negotiate').query(true).reply(404, { message: 'Не найдено' });
    const c = connector(undefined, { schoolId: 77, reportHub: 'classic' });
    await c.open();
    const err = await drain(c.readSchool({ ...WINDOW, capabilities: ['finals.read'] })).catch((e: unknown) => e) as Error;
    expect(err.message).toMatch(/refused the classic report-queue hub \(HTTP 404\).*options\.reportHub: core.*options\.finalMarks: false/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('options.finalMarks: false — journal sync\'s finals.read asks the server for nothing and yields nothing', async () => {
    handshake();
    nock(ORIGIN)
      .get('/webapi/context').reply(200, { userId: 1, schoolId: 77, schoolYearId: 84301, schoolyear: YEAR })
      .get('/webapi/grade/assignment/types').query(true).reply(200, []);
    const c = connector(undefined, { schoolId: 77, finalMarks: false });
    await c.open();
    expect(await drain(c.readSchool({ ...WINDOW, capabilities: ['finals.read'] }))).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]); // no report, no hub, not even the class lists
  });

  it('mid-term (no term or year ends within 30 days before to 7 days after the window): no report is run', async () => {
    handshake();
    oneClassOfOnePupil({ pupilsListed: false });
    const c = connector();
    await c.open();
    expect(await drain(c.readSchool({ from: '2026-10-05', to: '2026-10-18', capabilities: ['finals.read'] }))).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]); // no pupil list, no queue, no hub
  });

  it('a task whose «complete» arrives while its StartTask is still in flight settles, and the next task still gets polled (one shared loop)', async () => {
    let task = 0;
    const body = { params: [], selectedData: [] };
    const hub = nock(ORIGIN)
      .post('/webapi/v2/reports/studenttotal/queue').times(3).reply(200, () => ({ taskId: ++task }))
      .get('/webapi/signalr/negotiate').query(true).reply(200, { ConnectionToken: TOKEN, ConnectionId: 'c3' })
      .post('/webapi/signalr/connect').query(true).reply(200, { C: 'm0', M: [] })
      .get('/webapi/signalr/start').query(true).reply(200, { Response: 'started' })
      .post('/webapi/signalr/send', (b: Record<string, string>) => JSON.parse(b.data).A[0] === 1).query(true).reply(200, { I: '0' })
      // Task 2's StartTask answers late: the poll has already brought its «complete».
      .post('/webapi/signalr/send', (b: Record<string, string>) => JSON.parse(b.data).A[0] === 2).query(true).delay(300).reply(200, { I: '1' })
      .post('/webapi/signalr/poll', { messageId: 'm0' }).query(true).delay(100).reply(200, { C: 'm2', M: [complete(1, 'f1'), complete(2, 'f2')] })
      .post('/webapi/signalr/send', (b: Record<string, string>) => JSON.parse(b.data).A[0] === 3).query(true).reply(200, { I: '2' })
      .post('/webapi/signalr/poll', { messageId: 'm2' }).query(true).reply(200, { C: 'm3', M: [complete(3, 'f3')] })
      .get('/webapi/files/f1').reply(200, 'one').get('/webapi/files/f2').reply(200, 'two').get('/webapi/files/f3').reply(200, 'three')
      .post('/webapi/signalr/abort').query(true).reply(200);
    const c = connector(undefined, { schoolId: 77, rateLimit: { requestsPerSecond: 1000, concurrency: 4 } });
    const q = new ReportQueue(c.http);
    try {
      expect(await Promise.all([q.report('v2/reports/studenttotal/queue', body), q.report('v2/reports/studenttotal/queue', body)])).toEqual(['one', 'two']);
      expect(await q.report('v2/reports/studenttotal/queue', body)).toBe('three');
    } finally {
      await q.close();
    }
    expect(hub.pendingMocks()).toEqual([]);
  }, 10_000);
});
