// CSV per RFC 4180: comma-separated, CRLF line ends, fields with a quote, the separator, CR or LF quoted and their
// quotes doubled. UTF-8 with a BOM so that Excel opens Cyrillic correctly. Excel in a Russian locale splits on
// «;», so the separator can be switched to a semicolon (the one departure from RFC 4180, on request only). The field
// and the separators are src/infra/csv-field.ts, shared with the yearly archive's CSV.
// A text cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection; the rule is
// src/infra/spreadsheet-formula.ts, shared with the yearly archive's CSV).
import { csvField, type CsvSeparator } from '../../infra/csv-field.js';
import { inertCell } from '../../infra/spreadsheet-formula.js';
import type { Cell, Column, Report, ReportTable } from '../types.js';
import { plainCell, plainTitle } from './format.js';

export const BOM = '\uFEFF';
export { CSV_SEPARATORS, csvField, type CsvSeparator } from '../../infra/csv-field.js';

function textCell(col: Column, v: Cell): string {
  const s = plainCell(col, v);
  return col.type === 'text' || col.type === 'mark' ? inertCell(s) : s;
}

function tableLines(t: ReportTable, separator: CsvSeparator): string[] {
  const line = (cells: string[]) => cells.map((c) => csvField(c, separator)).join(separator);
  return [
    // Titles too: a summary sheet's columns are period titles and a printout's blocks guardian names, from a platform.
    line(t.columns.map((c) => inertCell(plainTitle(c)))),
    ...t.rows.map((r) => line(t.columns.map((c) => textCell(c, r[c.key] ?? null)))),
    line(t.columns.map((c) => textCell(c, t.totals[c.key] ?? null))),
  ];
}

/**
 * One table: heading line, rows, totals line. Several tables (a page per guardian): each block starts with a
 * one-field title line and blocks are separated by an empty line.
 */
export function renderCsv(report: Report, separator: CsvSeparator = ','): string {
  const blocks = report.tables.length === 1
    ? [tableLines(report.tables[0], separator)]
    : report.tables.map((t) => [csvField(inertCell(t.title ?? ''), separator), ...tableLines(t, separator)]);
  return `${BOM}${blocks.map((b) => b.join('\r\n')).join('\r\n\r\n')}\r\n`;
}
