// The final-marks mapper and its strict report-table reader on small synthetic reports (platforms.md §1.5, §1.8):
// marks are text in the report — digits are marks of the scale, «н/а»/«осв»/«зач» (not examined, released, pass)
// keep their text with no base — averages use a decimal comma, and a table of another layout is refused whole.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run as mapCommand } from '../../src/cli/commands/map.js';
import { asursoMapper } from '../../src/mappers/asurso/index.js';
import { readReportTable } from '../../src/connectors/asurso/report-table.js';
import type { MapContext } from '../../src/connectors/mapping.js';
import { finalMarkId, sourceScopedId } from '../../src/model/ids.js';
import { parseRecord, type CanonicalRecord } from '../../src/model/records.js';

const PERIODS = JSON.stringify([['1 четверть', '5001', 'quarter', '2026-10-24'], ['2 четверть', '5002', 'quarter', '2026-12-26'], ['1 триместр', '5009', 'trimester', '2026-11-30'], ['год', '84301', 'year', '2027-05-31']]);
const ctx = (ids: Record<string, string> = {}): MapContext => ({
  system: 'asu_rso', instance: 'asurso.test', timeZone: 'Europe/Samara', fetchedAt: '2026-12-28T10:00:00.000Z', runId: 'unit', mapperVersion: 'asurso-1',
  ids: { studentId: '501', sg: JSON.stringify({ Алгебра: 40001, 'Русский язык': 40004 }), teachers: JSON.stringify({ 40001: 9, 40004: 12 }), periods: PERIODS, ...ids },
});
const sid = (entity: string, id: string | number) => sourceScopedId('asu_rso', 'asurso.test', entity, String(id));
type Fm = CanonicalRecord & Record<string, unknown>;

/** A report with the given period columns (titles) and rows (subject + one text per column); two day columns. */
function report(titles: string[], rows: string[][], opts: { dropCellOfRow?: number } = {}): string {
  const head = `<tr><th rowspan="2">Предмет</th><th colspan="2">Октябрь</th>${titles.map((t) => `<th rowspan="2">${t}</th>`).join('')}<th rowspan="2">Средний балл за период</th></tr><tr><th>20</th><th>21</th></tr>`;
  const body = rows.map((r, i) => {
    const cells = [`<td>${r[0]}</td>`, '<td>5 4</td>', '<td>НП</td>', ...r.slice(1).map((v) => `<td class="cell-num-2">${v}</td>`), '<td class="cell-num-2">4,50</td>'];
    if (opts.dropCellOfRow === i) cells.pop();
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<html><body><h1>Отчёт</h1><table class="table-print">\n${head}\n${body.join('\n')}\n</table></body></html>`;
}
const ROUTE = 'files/{id}#studenttotal';
const Q1 = ['Средн. 1 четверть', 'Итог 1 четверть', 'Средн. год', 'Итог год'];

describe('АСУ РСО mapper: files/{id}#studenttotal (a reports/studenttotal file) → final marks', () => {
  it('marks are text: digits carry a base, «н/а», «осв» and «зач» keep their text with base null; the year column is a year mark', () => {
    const res = asursoMapper(ROUTE, report(Q1, [['Алгебра', '4,25', '4', '4,1', '4'], ['Русский язык', '', 'н/а', '', 'осв']]), ctx());
    expect(res.quarantine).toEqual([]);
    const fm = res.records as Fm[];
    expect(fm.map((r) => [r.sectionId, r.kind, r.periodId, r.raw, r.base, r.computedAverage])).toEqual([
      [sid('section', 40001), 'quarter', sid('academic_session', 5001), '4', 4, 4.25],
      [sid('section', 40001), 'year', sid('academic_session', 84301), '4', 4, 4.1],
      [sid('section', 40004), 'quarter', sid('academic_session', 5001), 'н/а', null, undefined],
      [sid('section', 40004), 'year', sid('academic_session', 84301), 'осв', null, undefined],
    ]);
    expect(fm[0].id).toBe(finalMarkId(sid('person', 501), sid('section', 40001), 'quarter', sid('academic_session', 5001)));
    expect(fm[0].recordedBy).toBe(sid('person', 9)); // the subject group's teacher
    expect(fm[2].recordedBy).toBe(sid('person', 12));
    expect(fm[0].recordedAt).toBe('2026-10-23T20:00:00.000Z'); // the quarter's last day, 00:00 in Samara (UTC+4)
    for (const r of res.records) parseRecord(r);
    const zach = asursoMapper(ROUTE, report(Q1, [['Алгебра', '', 'зач', '', '']]), ctx());
    expect((zach.records as Fm[]).map((r) => [r.raw, r.base])).toEqual([['зач', null]]);
  });

  it('an empty «Итог» cell is no final mark (the average alone makes none); the last column (period average) is never a period', () => {
    const res = asursoMapper(ROUTE, report(Q1, [['Алгебра', '3,75', '', '', '']]), ctx());
    expect(res).toEqual({ records: [], quarantine: [] });
    expect(readReportTable(report(Q1, [['Алгебра', '', '', '', '']]), 'r').periods).toEqual(Q1);
  });

  it('a trimester\'s column is a grading-period mark (kind quarter) of the trimester: a school on trimesters keeps its term marks', () => {
    const res = asursoMapper(ROUTE, report(['Средн. 1 триместр', 'Итог 1 триместр'], [['Алгебра', '4,50', '5']]), ctx());
    expect(res.quarantine).toEqual([]);
    expect((res.records as Fm[]).map((r) => [r.kind, r.periodId, r.raw])).toEqual([['quarter', sid('academic_session', 5009), '5']]);
  });

  it('quarantines what it cannot place, naming the column or subject: an unknown period, a subject not among the pupil\'s groups, a bad average', () => {
    const titles = ['Средн. 1 четверть', 'Итог 1 четверть', 'Итог 3 четверть'];
    const res = asursoMapper(ROUTE, report(titles, [['Алгебра', '4.x', '5', '5'], ['Физика', '', '4', ''], ['Русский язык', '', '', '']]), ctx());
    expect(res.records).toEqual([]);
    expect(res.quarantine.map((q) => [q.field, q.rawValue])).toEqual([
      ['periods', 'Итог 3 четверть'], ['Средн. 1 четверть', '4.x'], ['subject', 'Физика'],
    ]);
    for (const q of res.quarantine) expect(q.route).toBe(ROUTE);
  });

  it('the same report maps to the same records (pure: no clock, no network)', () => {
    const html = report(Q1, [['Алгебра', '4,25', '4', '4,1', '4']]);
    expect(asursoMapper(ROUTE, html, ctx())).toEqual(asursoMapper(ROUTE, html, ctx()));
  });

  it('a report without the pupil id in the context is quarantined, not guessed', () => {
    const res = asursoMapper(ROUTE, report(Q1, [['Алгебра', '', '5', '', '']]), ctx({ studentId: '' }));
    expect(res.records).toEqual([]);
    expect(res.quarantine[0]).toMatchObject({ field: 'ids.studentId' });
  });
});

describe('АСУ РСО report table reader: strict about the layout', () => {
  const refused = (html: unknown) => asursoMapper(ROUTE, html, ctx()).quarantine;
  it('a row with a cell missing is refused whole, naming the row and the count the header announced', () => {
    const q = refused(report(Q1, [['Алгебра', '', '5', '', ''], ['Русский язык', '', '4', '', '']], { dropCellOfRow: 1 }));
    expect(q).toHaveLength(1);
    expect(q[0].field).toBe('row 4');
    expect(q[0].reason).toMatch(/asurso files\/\{id\}#studenttotal: .*7 cells, the header announces 8/);
  });

  it('no table-print, a period cell without its class, day numbers that are not days, or not HTML at all: each a clear error', () => {
    expect(refused('<html><table class="other"><tr><td>x</td></tr></table></html>')[0].reason).toMatch(/no <table class="table-print">/);
    expect(refused(report(Q1, [['Алгебра', '', '5', '', '']]).replace('<td class="cell-num-2">5</td>', '<td>5</td>'))[0]).toMatchObject({ field: 'row 3.column 5' });
    expect(refused(report(Q1, []).replace('<th>21</th>', '<th>Вт</th>'))[0]).toMatchObject({ field: 'row 2.column 2' });
    expect(refused({ html: '<table>' })[0].reason).toMatch(/expected the HTML text of a report file/);
  });

  it('reads entities and nested markup in cells; ignores other tables (the heading with the pupil\'s name)', () => {
    const html = `<table class="info"><tr><td><span>Тестов Тест</span></td></tr></table>${report(Q1, [['Алгебра&nbsp;<b>и</b> начала анализа', '', '&#53;', '', '']])}`;
    const t = readReportTable(html, ROUTE);
    expect(t.rows).toEqual([{ subject: 'Алгебра и начала анализа', cells: ['', '5', '', ''] }]);
  });
});

describe('journal-gateway map asurso files/{id}#studenttotal', () => {
  it('maps a saved report file (HTML) with the context the connector would pass, and lists the route', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'asurso-map-'));
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((x) => { out.push(String(x)); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((x) => { err.push(String(x)); return true; });
    try {
      const file = path.join(dir, 'report.html');
      writeFileSync(file, report(Q1, [['Алгебра', '4,25', '4', '', ''], ['Физика', '', '5', '', '']]));
      const context = JSON.stringify({ timeZone: 'Europe/Samara', studentId: '501', sg: { Алгебра: 40001 }, teachers: { 40001: 9 }, periods: JSON.parse(PERIODS) });
      expect(await mapCommand('asurso', ROUTE, file, { context })).toBe(0);
      const records = out.join('').trim().split('\n').map((l) => JSON.parse(l));
      expect(records).toEqual([expect.objectContaining({ entity: 'final_mark', kind: 'quarter', raw: '4', base: 4, computedAverage: 4.25 })]);
      expect(err.join('')).toMatch(/"field":"subject"/); // Физика: not one of the pupil's groups
      out.length = 0;
      await mapCommand('asurso', undefined, undefined, { list: true });
      expect(out.join('')).toContain(ROUTE);
    } finally {
      vi.restoreAllMocks();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
