// A small strict reader of NetSchool's report table (`files/{id}` of `reports/studenttotal`; the shape is in
// ./report-api.ts). It reads only what the gateway maps — the titles of the «Средн…»/«Итог…» columns and, per
// subject row, their cells — and checks the rest of the layout (header rows, day columns, cell counts, cell
// classes), so a report of another shape is a clear error naming the row and column instead of marks read
// from the wrong column. Pure: no I/O. The pupil's name in the report's heading is never read.
import { PayloadSchemaError } from '../mapping.js';
import { REPORT_TABLE } from './report-api.js';

export interface ReportTable {
  /** Titles of the period columns, in order (`Средн. 1 четверть`, `Итог 1 четверть`, …). */
  periods: string[];
  /** Subject rows: the subject's name and one cell text per period column (`''` when empty). */
  rows: { subject: string; cells: string[] }[];
}

/** A cell; `raw` is its inner markup — turned into text only where read (day cells are only counted). */
interface Cell { tag: 'td' | 'th'; cls: string; colspan: number; rowspan: number; raw: string }

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
const decode = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (m, e: string) => {
  if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  return ENTITIES[e.toLowerCase()] ?? m;
});
// Fast path for the common cell: plain text without markup or entities (most day cells are empty or a few marks).
const textOf = (html: string) => (/[<&]/.test(html) ? decode(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '')) : html).replace(/\s+/g, ' ').trim();
const text = (c: Cell) => textOf(c.raw);
const ATTR = /([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

const isTagEnd = (c: number) => c === 62 /* > */ || c === 32 || c === 9 || c === 10 || c === 13 || c === 47 /* / */;

/**
 * The rows and cells of the table's markup in one forward scan with indexOf (per-cell regexes cost ~1 ms a
 * report). Tags are found case-insensitively on a lower-cased copy; text is sliced from the original.
 */
function rowsOf(body: string, fail: (path: string, detail: string) => never): Cell[][] {
  const low = body.toLowerCase();
  const find = low.length === body.length ? low : body; // a lower-casing that changes length: search as is
  const rows: Cell[][] = [];
  let row: Cell[] | undefined;
  for (let pos = find.indexOf('<'); pos >= 0; pos = find.indexOf('<', pos)) {
    const c2 = find.charCodeAt(pos + 2);
    if (find.charCodeAt(pos + 1) !== 116 /* t */ || !isTagEnd(find.charCodeAt(pos + 3))) { pos++; continue; }
    const gt = find.indexOf('>', pos);
    if (gt < 0) fail(`row ${rows.length}`, 'a tag that is not closed');
    if (c2 === 114 /* r */) {
      rows.push(row = []);
      pos = gt + 1;
    } else if (c2 === 100 /* d */ || c2 === 104 /* h */) {
      if (!row) fail('row 1', 'a cell outside a row');
      const close = find.indexOf('</t', gt);
      const cell: Cell = { tag: c2 === 100 ? 'td' : 'th', cls: '', colspan: 1, rowspan: 1, raw: body.slice(gt + 1, close < 0 ? body.length : close) };
      const attrs = body.slice(pos + 3, gt);
      if (attrs.includes('=')) {
        for (const a of attrs.matchAll(ATTR)) {
          const name = a[1].toLowerCase();
          const value = a[2] ?? a[3] ?? a[4];
          if (name === 'class') cell.cls = value;
          else if (name === 'colspan') cell.colspan = Number(value);
          else if (name === 'rowspan') cell.rowspan = Number(value);
        }
      }
      row!.push(cell);
      pos = close < 0 ? body.length : close + 3;
    } else pos++;
  }
  return rows;
}

/** Reads the report table of `route`; throws a PayloadSchemaError naming the row and column when the layout differs. */
export function readReportTable(html: unknown, route: string): ReportTable {
  const fail = (path: string, detail: string): never => { throw new PayloadSchemaError('asurso', route, path, detail); };
  if (typeof html !== 'string') return fail('(root)', 'expected the HTML text of a report file');
  const start = new RegExp(`<table\\b[^>]*\\bclass\\s*=\\s*"[^"]*\\b${REPORT_TABLE.tableClass}\\b[^"]*"[^>]*>`, 'iu').exec(html);
  if (!start) return fail('table', `no <table class="${REPORT_TABLE.tableClass}"> in the report`);
  const end = html.indexOf('</table>', start.index);
  if (end < 0) return fail('table', 'the report table is not closed');
  const body = html.slice(start.index + start[0].length, end);
  if (/<table\b/i.test(body)) return fail('table', 'a table inside the report table');
  const rows = rowsOf(body, fail);
  if (rows.length < 2) return fail('table', `${rows.length} rows: expected two header rows`);

  // Header row 1: «Предмет» (rowspan 2), month cells (colspan = their days), then the rowspan-2 period columns,
  // the last of which is the average over the report's whole period.
  const [head, dayRow] = rows;
  if (!head[0] || text(head[0]) !== REPORT_TABLE.subjectHeader || head[0].rowspan !== 2) fail('row 1.column 1', `expected «${REPORT_TABLE.subjectHeader}» spanning two rows`);
  let days = 0;
  let i = 1;
  for (; i < head.length && head[i].rowspan === 1; i++) {
    if (!Number.isInteger(head[i].colspan) || head[i].colspan < 1) fail(`row 1.column ${i + 1}`, 'a month cell without a valid colspan');
    days += head[i].colspan;
  }
  const spanned = head.slice(i);
  if (spanned.length < 1) fail('row 1', 'no period columns after the month cells');
  spanned.forEach((c, k) => { if (c.rowspan !== 2) fail(`row 1.column ${i + k + 1}`, 'a month cell after the period columns'); });
  const periods = spanned.slice(0, -1).map(text);
  if (dayRow.length !== days) fail('row 2', `${dayRow.length} day cells, the month cells span ${days}`);
  dayRow.forEach((c, k) => { if (!/^\d{1,2}$/.test(text(c))) fail(`row 2.column ${k + 1}`, 'a day number (1…31) expected'); });

  const width = 1 + days + spanned.length;
  const out: ReportTable['rows'] = [];
  rows.slice(2).forEach((r, n) => {
    const row = `row ${n + 3}`;
    if (r.length !== width) fail(row, `${r.length} cells, the header announces ${width}`);
    const subject = text(r[0]);
    if (!subject) fail(`${row}.column 1`, 'a subject row without the subject');
    for (let k = 1 + days; k < width; k++) {
      if (!r[k].cls.split(/\s+/).includes(REPORT_TABLE.totalCellClass)) fail(`${row}.column ${k + 1}`, `a period cell without class ${REPORT_TABLE.totalCellClass}`);
    }
    out.push({ subject, cells: r.slice(1 + days, width - 1).map(text) });
  });
  return { periods, rows: out };
}
