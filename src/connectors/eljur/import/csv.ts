// CSV as the import package writes and the support-side loader reads it: UTF-8 with a byte-order mark, `;`
// separated (what a Russian-locale spreadsheet opens without a wizard: without the mark it reads the file as cp1251
// and garbles every name), a header row, fields quoted when they hold `;`, `"` or a line break (RFC 4180 quoting
// otherwise).
//
// A text cell a spreadsheet would run as a formula (`=…`, `@…`: a topic or a name from a platform) gets an apostrophe
// in front, as every CSV of the gateway does (src/infra/spreadsheet-formula.ts). The package must still load exactly
// what the journal held, so here the rule is made reversible: a value that itself begins with an apostrophe gets a
// second one, and the loader takes one leading apostrophe off (README.md of the package says so).
import { inertCell } from '../../../infra/spreadsheet-formula.js';

export type Row = Record<string, string | number | boolean | null | undefined>;

const BOM = '\uFEFF';

/** A value as the package writes it: formula-looking text made inert, reversibly ({@link valueOfCell}). */
export function packageCell(v: Row[string]): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  return v.startsWith("'") ? `'${v}` : inertCell(v);
}

/** The value a package cell stands for: one leading apostrophe taken off. */
export const valueOfCell = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell);

const quote = (v: Row[string]) => {
  const s = packageCell(v);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(columns: readonly string[], rows: Iterable<Row>): string {
  const out = [columns.join(';')];
  for (const r of rows) out.push(columns.map((c) => quote(r[c])).join(';'));
  return `${BOM}${out.join('\r\n')}\r\n`;
}

/** Parses {@link toCsv} output back into rows keyed by the header, each value as the journal held it. */
export function parseCsv(text: string): Record<string, string>[] {
  if (text.startsWith(BOM)) text = text.slice(1);
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ';') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      records.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); records.push(row); }
  const [header, ...body] = records;
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, valueOfCell(r[i] ?? '')])));
}
