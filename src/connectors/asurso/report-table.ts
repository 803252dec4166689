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

interface Cell { tag: 'td' | 'th'; cls: string; colspan: number; rowspan: number; text: string }

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
const decode = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (m, e: string) => {
  if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  return ENTITIES[e.toLowerCase()] ?? m;
});
const textOf = (html: string) => decode(html.replace(/<br\s*\/?>/giu, ' ').replace(/<[^>]*>/gu, '')).replace(/\s+/gu, ' ').trim();
const attr = (attrs: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'iu').exec(attrs);
const attrText = (attrs: string, name: string) => { const m = attr(attrs, name); return m ? (m[1] ?? m[2] ?? m[3]) : undefined; };

function cellsOf(rowHtml: string): Cell[] {
  const out: Cell[] = [];
  for (const m of rowHtml.matchAll(/<(td|th)\b([^>]*)>([\s\S]*?)<\/\1\s*>/giu)) {
    const attrs = m[2];
    out.push({
      tag: m[1].toLowerCase() as 'td' | 'th', cls: attrText(attrs, 'class') ?? '',
      colspan: Number(attrText(attrs, 'colspan') ?? 1), rowspan: Number(attrText(attrs, 'rowspan') ?? 1), text: textOf(m[3]),
    });
  }
  return out;
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
  if (/<table\b/iu.test(body)) return fail('table', 'a table inside the report table');
  const rows = [...body.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr\s*>/giu)].map((m) => cellsOf(m[1]));
  if (rows.length < 2) return fail('table', `${rows.length} rows: expected two header rows`);

  // Header row 1: «Предмет» (rowspan 2), month cells (colspan = their days), then the rowspan-2 period columns,
  // the last of which is the average over the report's whole period.
  const [head, dayRow] = rows;
  if (head[0]?.text !== REPORT_TABLE.subjectHeader || head[0].rowspan !== 2) fail('row 1.column 1', `expected «${REPORT_TABLE.subjectHeader}» spanning two rows`);
  let days = 0;
  let i = 1;
  for (; i < head.length && head[i].rowspan === 1; i++) {
    if (!Number.isInteger(head[i].colspan) || head[i].colspan < 1) fail(`row 1.column ${i + 1}`, 'a month cell without a valid colspan');
    days += head[i].colspan;
  }
  const spanned = head.slice(i);
  if (spanned.length < 1) fail('row 1', 'no period columns after the month cells');
  spanned.forEach((c, k) => { if (c.rowspan !== 2) fail(`row 1.column ${i + k + 1}`, 'a month cell after the period columns'); });
  const periods = spanned.slice(0, -1).map((c) => c.text);
  if (dayRow.length !== days) fail('row 2', `${dayRow.length} day cells, the month cells span ${days}`);
  dayRow.forEach((c, k) => { if (!/^\d{1,2}$/u.test(c.text)) fail(`row 2.column ${k + 1}`, 'a day number (1…31) expected'); });

  const width = 1 + days + spanned.length;
  const out: ReportTable['rows'] = [];
  rows.slice(2).forEach((r, n) => {
    const row = `row ${n + 3}`;
    if (r.length !== width) fail(row, `${r.length} cells, the header announces ${width}`);
    if (!r[0].text) fail(`${row}.column 1`, 'a subject row without the subject');
    for (let k = 1 + days; k < width; k++) {
      if (!r[k].cls.split(/\s+/u).includes(REPORT_TABLE.totalCellClass)) fail(`${row}.column ${k + 1}`, `a period cell without class ${REPORT_TABLE.totalCellClass}`);
    }
    out.push({ subject: r[0].text, cells: r.slice(1 + days, width - 1).map((c) => c.text) });
  });
  return { periods, rows: out };
}
